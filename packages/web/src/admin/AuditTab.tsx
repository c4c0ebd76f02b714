import { type FormEvent, useState } from 'react';
import { type AuditFilter, readAudit } from '../api/brandAdmin';
import type { AuditEntry } from '../api/types';
import { useCurrentBrand } from '../shell/currentBrand';
import { ErrorMessage } from '../ui/ErrorMessage';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { AuditRow } from './AuditRow';

const PAGE_SIZE = 50;
const ENTITY_TYPES = ['api_token', 'brand', 'membership', 'role', 'session', 'user'];
const ACTIONS = ['create', 'update', 'delete', 'revoke', 'login', 'logout', 'change_password'];

/**
 * The brand's audit log, newest first: who changed what, with the state before and after.
 * Filters by entity type and action; "Load older" pages back with the API's `nextBefore` cursor.
 */
export function AuditTab() {
  const brand = useCurrentBrand();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [draft, setDraft] = useState({ entityType: '', action: '' });
  const [older, setOlder] = useState<{ entries: AuditEntry[]; nextBefore: number | null } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  useDocumentTitle('Audit log', brand.name);

  const first = useResource(
    (signal) => readAudit(brand.id, { ...filter, limit: PAGE_SIZE }, signal),
    [brand.id, filter.entityType, filter.action],
  );
  const entries = [...(first.data?.data ?? []), ...(older?.entries ?? [])];
  const nextBefore = older ? older.nextBefore : (first.data?.nextBefore ?? null);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setOlder(null);
    setFilter({ entityType: draft.entityType.trim() || undefined, action: draft.action.trim() || undefined });
  };

  const loadOlder = async () => {
    if (nextBefore === null) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await readAudit(brand.id, { ...filter, before: nextBefore, limit: PAGE_SIZE });
      setOlder((current) => ({
        entries: [...(current?.entries ?? []), ...page.data],
        nextBefore: page.nextBefore,
      }));
    } catch (e) {
      setOlderError(e);
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <div className="section-header">
        <h2 id="audit-title">Audit log</h2>
      </div>
      <form className="inline-form" onSubmit={apply} aria-label="Filter the audit log">
        <label className="field">
          <span>Entity type</span>
          <input
            list="audit-entity-types"
            value={draft.entityType}
            placeholder="any"
            onChange={(e) => setDraft((d) => ({ ...d, entityType: e.target.value }))}
          />
          <datalist id="audit-entity-types">
            {ENTITY_TYPES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span>Action</span>
          <input
            list="audit-actions"
            value={draft.action}
            placeholder="any"
            onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value }))}
          />
          <datalist id="audit-actions">
            {ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <button type="submit" className="button">
          Filter
        </button>
        {(filter.entityType || filter.action) && (
          <button
            type="button"
            className="button link"
            onClick={() => {
              setDraft({ entityType: '', action: '' });
              setOlder(null);
              setFilter({});
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      <ErrorMessage error={first.error} />
      {first.loading && (
        <p className="muted" role="status">
          Loading entries…
        </p>
      )}
      {!first.loading && first.data && entries.length === 0 && (
        <p className="muted">No audit entries match these filters.</p>
      )}
      {!first.loading && entries.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Entity</th>
              <th scope="col">Action</th>
              <th scope="col">
                <span className="visually-hidden">Changes</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <AuditRow key={entry.id} entry={entry} />
            ))}
          </tbody>
        </table>
      )}
      <ErrorMessage error={olderError} />
      {!first.loading && nextBefore !== null && (
        <div className="load-more">
          <button type="button" className="button" onClick={loadOlder} disabled={loadingOlder}>
            {loadingOlder ? 'Loading…' : 'Load older'}
          </button>
        </div>
      )}
    </section>
  );
}
