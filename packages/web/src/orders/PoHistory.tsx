import type { PoStatusChange } from '../api/types';
import { formatTime } from '../ui/format';

/** Every status the PO has had, newest first: from what, to what, who did it and why. */
export function PoHistory({ history }: { history: PoStatusChange[] }) {
  if (history.length === 0) return <p className="muted small">No status changes recorded.</p>;
  const newestFirst = [...history].reverse();
  return (
    <table className="table compact">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Change</th>
          <th scope="col">By</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {newestFirst.map((change, i) => (
          <tr key={`${change.at}-${change.to}-${i}`}>
            <td className="nowrap">
              <time dateTime={change.at}>{formatTime(change.at)}</time>
            </td>
            <td className="nowrap">
              {change.from ? (
                <>
                  {change.from} <span aria-hidden="true">→</span>
                  <span className="visually-hidden">to</span> {change.to}
                </>
              ) : (
                <>Created as {change.to}</>
              )}
            </td>
            <td>{change.by}</td>
            <td>{change.reason ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
