import type { TrackingEvent } from '../api/types';
import { formatTime } from '../ui/format';

/** "out_for_delivery" → "Out for delivery". */
function trackingLabel(status: string): string {
  const words = status.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A shipment's tracking events, newest first, so the latest whereabouts are read first. */
export function TrackingTimeline({ events }: { events: TrackingEvent[] }) {
  if (events.length === 0) return <p className="muted small timeline-empty">No tracking events yet.</p>;
  const newestFirst = [...events].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <ol className="timeline" aria-label="Tracking events, newest first">
      {newestFirst.map((event) => (
        <li
          key={`${event.at}|${event.status}|${event.description ?? ''}`}
          className={`timeline-event tracking-${event.status}`}
        >
          <span className="timeline-status">{trackingLabel(event.status)}</span>
          <time className="muted small" dateTime={event.at}>
            {formatTime(event.at)}
          </time>
          {event.description && <span className="timeline-description">{event.description}</span>}
        </li>
      ))}
    </ol>
  );
}
