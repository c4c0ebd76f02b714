/**
 * Live ticket changes from `GET /brands/:brandId/live` (server-sent events). One EventSource per
 * brand is shared by everything on the page that listens; it stays open a few seconds after the
 * last listener leaves, so moving from the inbox to a ticket keeps the same stream. The server fans
 * changes out from every app instance, so a change made anywhere arrives here.
 */

/** One `ticket` event: which ticket, what happened (`status`, `replied`, `presence` …), its new version. */
export type TicketChangeEvent = { ticketId: string; kind: string; version: number | null };

/** Whether changes are arriving: connecting, open, or down (the browser retries by itself). */
export type LiveState = 'connecting' | 'open' | 'down';

/**
 * What a listener hears: a change; `resync` whenever the stream (re)opens, since changes made
 * while it was not open were missed and what is shown should be checked again; or the new state.
 */
export type LiveMessage =
  | { type: 'change'; change: TicketChangeEvent }
  | { type: 'resync' }
  | { type: 'state'; state: LiveState };

type Listener = (message: LiveMessage) => void;

type Stream = {
  source: EventSource;
  listeners: Set<Listener>;
  state: LiveState;
  closeTimer: ReturnType<typeof setTimeout> | undefined;
};

/** How long a stream nobody listens to stays open, for the next page to pick up. */
const GRACE_MS = 5_000;

const streams = new Map<string, Stream>();

function open(brandId: string): Stream {
  const source = new EventSource(`/api/v1/brands/${encodeURIComponent(brandId)}/live`, {
    withCredentials: true,
  });
  const stream: Stream = { source, listeners: new Set(), state: 'connecting', closeTimer: undefined };
  const emit = (message: LiveMessage) => {
    for (const listener of [...stream.listeners]) listener(message);
  };
  const setState = (state: LiveState) => {
    if (stream.state === state) return;
    stream.state = state;
    emit({ type: 'state', state });
  };
  source.addEventListener('ticket', (event) => {
    try {
      const change = JSON.parse((event as MessageEvent<string>).data) as TicketChangeEvent;
      if (typeof change.ticketId === 'string') emit({ type: 'change', change });
    } catch {
      // A malformed event is skipped; the next one still arrives.
    }
  });
  source.addEventListener('error', () => setState('down'));
  source.addEventListener('open', () => {
    setState('open');
    emit({ type: 'resync' });
  });
  return stream;
}

/** Listens to the brand's live ticket changes; returns the function that stops listening. */
export function subscribeToTickets(brandId: string, listener: Listener): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  let stream = streams.get(brandId);
  if (!stream) {
    stream = open(brandId);
    streams.set(brandId, stream);
  }
  clearTimeout(stream.closeTimer);
  stream.listeners.add(listener);
  const current = stream;
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size > 0) return;
    clearTimeout(current.closeTimer);
    current.closeTimer = setTimeout(() => {
      if (current.listeners.size > 0) return;
      current.source.close();
      if (streams.get(brandId) === current) streams.delete(brandId);
    }, GRACE_MS);
  };
}

/** The state of the brand's stream right now (`connecting` when there is none yet). */
export function liveState(brandId: string): LiveState {
  return streams.get(brandId)?.state ?? 'connecting';
}
