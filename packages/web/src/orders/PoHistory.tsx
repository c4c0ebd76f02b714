import type { PoStatusChange } from '../api/types';
import { formatTime } from '../ui/format';

/** Who made a change: a person's email, or Casebook itself for changes it makes on its own. */
function actorText(by: string): string {
  return by === 'system:casebook' ? 'Casebook (automatic)' : by;
}

/** Every status the PO has had, newest first: from what, to what, who did it and why. */
export function PoHistory({ history }: { history: PoStatusChange[] }) {
  if (history.length === 0) return <p className="muted small">No status changes recorded.</p>;
  // The history only grows, so a change's place in it (1 = the first) identifies it.
  const newestFirst = history.map((change, n) => ({ change, place: n + 1 })).reverse();
  return (
    <div className="table-scroll">
      <table className="table compact po-history">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Change</th>
            <th scope="col">By</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map(({ change, place }) => (
            <tr key={place}>
              <td className="nowrap">
                <time dateTime={change.at}>{formatTime(change.at)}</time>
              </td>
              <td className="nowrap">
                {change.from ? (
                  <>
                    {change.from} <span aria-hidden="true">→</span>
                    <span className="visually-hidden"> to</span> {change.to}
                  </>
                ) : (
                  <>Created as {change.to}</>
                )}
              </td>
              <td title={change.by}>{actorText(change.by)}</td>
              <td>{change.reason ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
