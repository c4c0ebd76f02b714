import './notifications.css';
import { Link } from 'react-router';
import { listNotifications, markNotificationsRead } from '../api/notifications';
import type { Brand } from '../api/types';
import { useCurrentBrand } from '../shell/currentBrand';
import { EmptyState } from '../ui/EmptyState';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { WebhooksPanel } from './WebhooksPanel';

/** In-app notifications: the posts to the pack channels the person's role sees, newest first. */
export function NotificationsPage() {
  const brand = useCurrentBrand();
  return <Notifications key={brand.id} brand={brand} />;
}

/** `/brands/<id>/approvals/<x>` from the API becomes the app's `/b/<id>/approvals/<x>`. */
function appLink(link: string): string {
  return link.replace(/^\/brands\//, '/b/');
}

function Notifications({ brand }: { brand: Brand }) {
  useDocumentTitle('Notifications', brand.name);
  const list = useResource((signal) => listNotifications(brand.id, signal), [brand.id]);

  async function read(which: { ids: number[] } | { all: true }) {
    await markNotificationsRead(brand.id, which);
    list.reload();
    window.dispatchEvent(new Event('casebook:notifications'));
  }

  return (
    <>
      <PageHeader
        title="Notifications"
        summary={`Posts to ${brand.name}’s channels, e.g. approvals decided and reminders noted.`}
        actions={
          (list.data?.unread ?? 0) > 0 && (
            <button type="button" className="button" onClick={() => read({ all: true })}>
              Mark all read
            </button>
          )
        }
      />
      <ErrorMessage error={list.error} />
      {list.data && list.data.data.length === 0 && (
        <EmptyState title="Nothing yet">No posts to your channels.</EmptyState>
      )}
      {list.data && list.data.data.length > 0 && (
        <ul className="notification-list" aria-label="Notifications">
          {list.data.data.map((n) => (
            <li key={n.id} className={n.read ? 'read' : 'unread'}>
              <p>
                {!n.read && <span className="visually-hidden">Unread: </span>}
                {n.link ? <Link to={appLink(n.link)}>{n.text}</Link> : n.text}
              </p>
              <small className="muted">
                {n.channel} · {formatTime(n.createdAt)}
              </small>
              {!n.read && (
                <button type="button" className="button small link" onClick={() => read({ ids: [n.id] })}>
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {brand.allowed.includes('brand.settings.manage') && <WebhooksPanel brand={brand} />}
    </>
  );
}
