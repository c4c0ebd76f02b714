import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import type { Ticket } from '../api/helpdeskTypes';
import { fetchTicket } from '../api/tickets';
import { useResource } from '../ui/useResource';
import { useTicketChanges } from './useLive';

/** The state a refused change reported: the ticket as it is now on the server. */
export type CurrentState = { version?: number; status?: string; assigneeId?: string | null };

/**
 * Why the page no longer shows the ticket as it is: a change of ours was refused because someone
 * changed the ticket first (`conflict`, with the current state), or a live event said it changed
 * (`live`, with what kind of change).
 */
export type Staleness = { reason: 'conflict'; current: CurrentState } | { reason: 'live'; kinds: string[] };

/** Kinds of change that do not move the ticket's version but change what the page shows. */
const UNVERSIONED = ['order_linked', 'order_unlinked'];
/** How long a live change waits, so our own change's response (with its new version) lands first. */
const SETTLE_MS = 1200;

export type TicketState = {
  ticket: Ticket | undefined;
  error: unknown;
  loading: boolean;
  stale: Staleness | null;
  /** Loads the ticket again and clears the stale notice. */
  reload(): void;
  /**
   * Runs a change that returns the ticket. A stale version (409 with the current state) shows the
   * "changed — reload" notice and resolves to null; any other failure is thrown to the caller.
   */
  change(run: (ticket: Ticket) => Promise<Ticket>): Promise<Ticket | null>;
};

/**
 * One ticket as the ticket view works with it. Every change sends the version shown, so nothing
 * made meanwhile is overwritten; live events for this ticket never replace what the agent is
 * reading, they offer a reload instead (unversioned changes such as a linked order load quietly).
 */
export function useTicketState(brandId: string, ticketId: string): TicketState {
  const resource = useResource((signal) => fetchTicket(ticketId, signal), [ticketId]);
  const [stale, setStale] = useState<Staleness | null>(null);
  const ticket = resource.data;
  const version = useRef(0);
  version.current = ticket?.version ?? 0;
  const writes = useRef(0);
  const pending = useRef<{ version: number; kind: string }[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { reload: reloadResource, setData } = resource;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new ticket starts without a notice.
  useEffect(() => {
    setStale(null);
    pending.current = [];
  }, [ticketId]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const settle = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (writes.current > 0) {
        settle();
        return;
      }
      const newer = pending.current.filter((p) => p.version > version.current);
      pending.current = [];
      if (newer.length > 0) {
        setStale((current) =>
          current?.reason === 'conflict'
            ? current
            : {
                reason: 'live',
                kinds: [
                  ...new Set([
                    ...(current?.reason === 'live' ? current.kinds : []),
                    ...newer.map((p) => p.kind),
                  ]),
                ],
              },
        );
      }
    }, SETTLE_MS);
  }, []);

  useTicketChanges(brandId, (message) => {
    if (message.type === 'state') return;
    if (message.type === 'resync') {
      // The stream was down: ask for the ticket and offer a reload if it moved on meanwhile.
      fetchTicket(ticketId).then(
        (latest) => {
          if (latest.version > version.current) {
            pending.current.push({ version: latest.version, kind: 'updated' });
            settle();
          }
        },
        () => {},
      );
      return;
    }
    const { change } = message;
    if (change.ticketId !== ticketId || change.kind === 'presence') return;
    if (change.version !== null && change.version > version.current) {
      pending.current.push({ version: change.version, kind: change.kind });
      settle();
    } else if (UNVERSIONED.includes(change.kind) || change.kind.startsWith('side')) {
      if (writes.current === 0) reloadResource();
    }
  });

  const reload = useCallback(() => {
    setStale(null);
    reloadResource();
  }, [reloadResource]);

  const change = useCallback(
    async (run: (ticket: Ticket) => Promise<Ticket>) => {
      if (!ticket) return null;
      writes.current++;
      try {
        const next = await run(ticket);
        if (next.id === ticket.id) setData(() => next);
        return next;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409 && isCurrentState(error.details.current)) {
          setStale({ reason: 'conflict', current: error.details.current });
          return null;
        }
        throw error;
      } finally {
        writes.current--;
      }
    },
    [ticket, setData],
  );

  return { ticket, error: resource.error, loading: resource.loading, stale, reload, change };
}

function isCurrentState(value: unknown): value is CurrentState {
  return typeof value === 'object' && value !== null && 'version' in value;
}
