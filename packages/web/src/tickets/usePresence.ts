import { useCallback, useEffect, useRef, useState } from 'react';
import type { Presence } from '../api/helpdeskTypes';
import { fetchPresence, postPresence } from '../api/tickets';
import { useTicketChanges } from './useLive';

/** How often the page says it is still there; the server forgets presence after a minute. */
const HEARTBEAT_MS = 30_000;

/**
 * Collision detection: tells the server this agent is viewing the ticket (or replying, while the
 * composer has text) every 30 s and at once when that changes, says "left" when the page closes,
 * and returns who else is on the ticket, refreshed whenever someone else's presence changes.
 */
export function usePresence(brandId: string, ticketId: string, mode: 'viewing' | 'replying'): Presence[] {
  const [others, setOthers] = useState<Presence[]>([]);
  const latestMode = useRef(mode);
  latestMode.current = mode;
  const started = useRef(false);

  const announce = useCallback(
    (which: 'viewing' | 'replying') =>
      postPresence(ticketId, which).then(setOthers, () => {
        // Presence is a courtesy; a failed heartbeat is retried with the next one.
      }),
    [ticketId],
  );

  useEffect(() => {
    setOthers([]);
    started.current = true;
    void announce(latestMode.current);
    const timer = setInterval(() => void announce(latestMode.current), HEARTBEAT_MS);
    const leave = () => void postPresence(ticketId, 'left', { keepalive: true }).catch(() => {});
    window.addEventListener('pagehide', leave);
    return () => {
      started.current = false;
      clearInterval(timer);
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [ticketId, announce]);

  const firstMode = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of mode is announced here.
  useEffect(() => {
    if (firstMode.current) {
      firstMode.current = false;
      return;
    }
    if (started.current) void announce(mode);
  }, [mode]);

  useTicketChanges(brandId, (message) => {
    const refresh =
      message.type === 'resync' ||
      (message.type === 'change' &&
        message.change.ticketId === ticketId &&
        message.change.kind === 'presence');
    if (refresh) fetchPresence(ticketId).then(setOthers, () => {});
  });

  return others;
}
