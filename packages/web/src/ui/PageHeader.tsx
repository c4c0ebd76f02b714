import type { ReactNode } from 'react';

/** The title block at the top of every page: what this page is, one line about it, and page actions. */
export function PageHeader({
  title,
  summary,
  actions,
}: {
  title: string;
  summary?: string;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1 id="page-title">{title}</h1>
        {summary && <p className="page-summary">{summary}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
