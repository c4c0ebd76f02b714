import { useEffect, useRef, useState } from 'react';
import type { Brand } from '../api/types';
import { fetchTicketTime, formatDuration, postTicketActivity, type TicketTime as Time } from '../api/worklog';
import './worklog.css';

/** How often the ticket view says the agent is working the ticket. */
export const BEAT_MS = 30_000;
/** Keyboard or mouse use within this long counts as working; an idle tab sends nothing. */
export const IDLE_MS = 60_000;

const INTERACTIONS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focusin'] as const;

/**
 * Sends the ticket-time heartbeat: every 30 s while the tab is visible and the agent has used the
 * keyboard or mouse in the last minute. The server measures the time with its own clock and
 * joins beats into entries; this only says "still here". Returns the time logged on the ticket.
 */
export function useTicketTime(ticketId: string, logs: boolean) {
  const [time, setTime] = useState<{ ticketSeconds: number; mySeconds: number } | null>(null);
  const lastUse = useRef(Date.now());

  useEffect(() => {
    const controller = new AbortController();
    fetchTicketTime(ticketId, controller.signal).then(
      (t: Time) => setTime((current) => current ?? { ticketSeconds: t.seconds, mySeconds: 0 }),
      () => {
        // The time on the ticket is a courtesy; the page works without it.
      },
    );
    return () => controller.abort();
  }, [ticketId]);

  useEffect(() => {
    if (!logs) return;
    const used = () => {
      lastUse.current = Date.now();
    };
    for (const name of INTERACTIONS) window.addEventListener(name, used, { passive: true });
    const beat = () => {
      if (document.visibilityState !== 'visible') return;
      if (Date.now() - lastUse.current > IDLE_MS) return;
      postTicketActivity(ticketId).then(
        (r) => setTime({ ticketSeconds: r.ticketSeconds, mySeconds: r.mySeconds }),
        () => {
          // A failed beat is followed by the next one; the server bridges gaps of up to 2 minutes.
        },
      );
    };
    lastUse.current = Date.now();
    beat();
    const timer = setInterval(beat, BEAT_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') {
        lastUse.current = Date.now();
        beat();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      for (const name of INTERACTIONS) window.removeEventListener(name, used);
    };
  }, [ticketId, logs]);

  return time;
}

/** The time logged on the ticket, in the ticket's side panel; it also keeps the heartbeat going. */
export function TicketTime({ brand, ticketId }: { brand: Brand; ticketId: string }) {
  const logs = brand.allowed.includes('worklog.log');
  const time = useTicketTime(ticketId, logs);
  return (
    <section className="aside-card ticket-time" aria-labelledby="ticket-time-title">
      <h2 id="ticket-time-title" className="aside-title">
        Time logged
      </h2>
      <dl className="ticket-time-figures">
        <dt>On this ticket</dt>
        <dd data-testid="ticket-time-total">{time ? formatDuration(time.ticketSeconds) : '—'}</dd>
        {logs && (
          <>
            <dt>By you</dt>
            <dd data-testid="ticket-time-mine">{time ? formatDuration(time.mySeconds) : '—'}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
