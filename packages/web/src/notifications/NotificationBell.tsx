import './notifications.css';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { unreadNotifications } from '../api/notifications';

/** The unread count in the top bar, refreshed every minute and after marking read. */
export function NotificationBell({ brandId }: { brandId: string }) {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      unreadNotifications(brandId, controller.signal).then(setUnread, () => {
        /* The count is a convenience: a failed refresh keeps the last one. */
      });
    load();
    const timer = window.setInterval(load, 60_000);
    window.addEventListener('casebook:notifications', load);
    return () => {
      controller.abort();
      window.clearInterval(timer);
      window.removeEventListener('casebook:notifications', load);
    };
  }, [brandId]);
  return (
    <Link to={`/b/${encodeURIComponent(brandId)}/notifications`} className="notification-bell">
      Notifications
      {unread ? (
        <span className="count">
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      ) : null}
    </Link>
  );
}
