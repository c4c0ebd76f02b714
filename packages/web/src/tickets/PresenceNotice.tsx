import type { Presence } from '../api/helpdeskTypes';

/** "Leo Lead is replying", so two agents do not answer the same customer at once. */
export function PresenceNotice({ others }: { others: Presence[] }) {
  const replying = others.filter((p) => p.mode === 'replying');
  const viewing = others.filter((p) => p.mode === 'viewing');
  const names = (list: Presence[]) => list.map((p) => p.name).join(', ');
  const verb = (list: Presence[], what: string) => `${list.length === 1 ? 'is' : 'are'} ${what}`;
  return (
    <div className="presence" role="status" aria-live="polite">
      {replying.length > 0 && (
        <p className="presence-line presence-replying">
          <span className="presence-dot" aria-hidden="true" />
          <strong>{names(replying)}</strong> {verb(replying, 'replying')}
        </p>
      )}
      {viewing.length > 0 && (
        <p className="presence-line">
          <span className="presence-dot" aria-hidden="true" />
          <strong>{names(viewing)}</strong> {verb(viewing, 'viewing')}
        </p>
      )}
    </div>
  );
}
