import { useEffect, useMemo, useRef, useState } from 'react';
import { type LiveMessage, type LiveState, liveState, subscribeToTickets } from '../api/live';

/** Listens to the brand's live ticket changes while mounted; `listener` may change between renders. */
export function useTicketChanges(brandId: string, listener: (message: LiveMessage) => void): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => subscribeToTickets(brandId, (message) => latest.current(message)), [brandId]);
}

/**
 * A function that runs `action` once, `ms` after the last call, so a burst of changes (a bulk
 * update of fifty tickets) loads the list once. Pending runs are dropped on unmount.
 */
export function useDebounced(action: () => void, ms: number): () => void {
  const latest = useRef(action);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    latest.current = action;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return useMemo(
    () => () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => latest.current(), ms);
    },
    [ms],
  );
}

/** Whether live changes are arriving for the brand, for a small "Live" indicator. */
export function useLiveState(brandId: string): LiveState {
  const [state, setState] = useState<LiveState>(() => liveState(brandId));
  useTicketChanges(brandId, (message) => {
    if (message.type === 'state') setState(message.state);
  });
  useEffect(() => setState(liveState(brandId)), [brandId]);
  return state;
}
