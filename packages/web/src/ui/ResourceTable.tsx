import type { ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage';
import type { Resource } from './useResource';

/**
 * A table of loaded rows with the states every admin list shares: the error, a loading line, an
 * optional empty message, and a header whose last column (the row actions) is named for screen
 * readers only.
 */
export function ResourceTable<T>({
  resource,
  error,
  loadingText,
  emptyText,
  columns,
  actionsLabel = 'Actions',
  children,
}: {
  resource: Resource<T[]>;
  /** An error of a row action, shown in the same place as a loading error. */
  error?: unknown;
  loadingText: string;
  emptyText?: string;
  columns: string[];
  actionsLabel?: string;
  children: (rows: T[]) => ReactNode;
}) {
  const rows = resource.data;
  return (
    <>
      <ErrorMessage error={resource.error ?? error} />
      {resource.loading && !rows && (
        <p className="muted" role="status">
          {loadingText}
        </p>
      )}
      {emptyText && rows?.length === 0 && <p className="muted">{emptyText}</p>}
      {rows && (rows.length > 0 || !emptyText) && (
        <table className="table">
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{actionsLabel}</span>
              </th>
            </tr>
          </thead>
          <tbody>{children(rows)}</tbody>
        </table>
      )}
    </>
  );
}
