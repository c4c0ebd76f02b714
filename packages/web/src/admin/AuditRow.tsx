import { useState } from 'react';
import type { AuditEntry } from '../api/types';
import { formatMoment, shortId } from '../ui/format';

function compactJson(value: unknown): string {
  return value === null || value === undefined ? '—' : JSON.stringify(value, null, 1);
}

/** One audit entry; "Details" expands a second row with the before and after states as JSON. */
export function AuditRow({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const detailsId = `audit-${entry.id}`;
  return (
    <>
      <tr className={open ? 'row-open' : undefined}>
        <td className="nowrap">
          <time dateTime={entry.at}>{formatMoment(entry.at)}</time>
        </td>
        <td>{entry.actor.label}</td>
        <td>
          {entry.entityType}{' '}
          <span className="mono muted" title={entry.entityId}>
            {shortId(entry.entityId)}
          </span>
        </td>
        <td>
          <span className="chip">{entry.action}</span>
        </td>
        <td className="row-actions">
          <button
            type="button"
            className="button small"
            aria-expanded={open}
            aria-controls={detailsId}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? 'Hide' : 'Details'}
          </button>
        </td>
      </tr>
      {open && (
        <tr id={detailsId} className="row-details">
          <td colSpan={5}>
            <div className="diff">
              <div>
                <h4>Before</h4>
                <pre>{compactJson(entry.before)}</pre>
              </div>
              <div>
                <h4>After</h4>
                <pre>{compactJson(entry.after)}</pre>
              </div>
            </div>
            <p className="muted small">
              Entity id <span className="mono">{entry.entityId}</span>
              {entry.requestId && (
                <>
                  {' '}
                  · request <span className="mono">{entry.requestId}</span>
                </>
              )}
            </p>
          </td>
        </tr>
      )}
    </>
  );
}
