import { Link } from 'react-router';
import { AuditRow } from '../admin/AuditRow';
import { fetchOrderActivity } from '../api/orders';
import { ticketPath } from '../shell/paths';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { useResource } from '../ui/useResource';

/**
 * The tickets about an order and its audit trail (the order, its POs, shipments, refunds,
 * reshipments and warranty plans), each shown to those who may see it. `version` reloads it
 * after a change on the page.
 */
export function OrderActivity({
  brandId,
  orderId,
  version,
}: {
  brandId: string;
  orderId: string;
  version: unknown;
}) {
  const activity = useResource((signal) => fetchOrderActivity(orderId, signal), [orderId, version]);
  const data = activity.data;
  return (
    <>
      <ErrorMessage error={activity.error} />
      {data?.tickets && (
        <section className="panel" aria-labelledby="order-tickets-title">
          <h2 id="order-tickets-title" className="panel-title">
            Tickets <span className="count">{data.tickets.length}</span>
          </h2>
          {data.tickets.length === 0 ? (
            <p className="muted">No ticket is linked to this order.</p>
          ) : (
            <ul className="order-tickets">
              {data.tickets.map((t) => (
                <li key={t.id}>
                  <Link to={ticketPath(brandId, t.id)}>
                    #{t.number} {t.subject}
                  </Link>{' '}
                  <span className="chip">{t.status}</span>{' '}
                  <span className="muted">
                    {t.linkedBy === 'auto' ? 'linked automatically' : 'linked by hand'} ·{' '}
                    <time dateTime={t.createdAt}>{formatTime(t.createdAt)}</time>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {data?.audit && (
        <section className="panel" aria-labelledby="order-audit-title">
          <h2 id="order-audit-title" className="panel-title">
            Audit trail
          </h2>
          {data.audit.length === 0 ? (
            <p className="muted">Nothing recorded yet.</p>
          ) : (
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
                {data.audit.map((entry) => (
                  <AuditRow key={entry.id} entry={entry} />
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
