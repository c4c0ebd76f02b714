import { and, eq, gt, ne, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import type { Unlisten } from '../db/notify';
import { ticketPresence, tickets, users } from '../db/schema';
import { errors } from '../errors';
import { requireBrand, requireBrandOf } from '../policies';
import { announce, TICKETS_CHANNEL, type TicketChange } from '../tickets/events';
import { brandParams, errorResponses, uuidParam } from './schemas';

/** Presence older than this is stale: the person closed the tab or lost the connection. */
const PRESENCE_TTL_MS = 60_000;
const HEARTBEAT_MS = 25_000;

type Subscriber = (change: TicketChange) => void;

/**
 * Fans ticket changes out to this instance's open event streams. One LISTEN per app instance,
 * whatever the number of browsers; PostgreSQL delivers every instance's NOTIFY to every instance.
 */
class LiveHub {
  private readonly byBrand = new Map<string, Set<Subscriber>>();
  private unlisten: Promise<Unlisten> | undefined;

  constructor(private readonly deps: Deps) {}

  async subscribe(brandId: string, subscriber: Subscriber): Promise<() => void> {
    this.unlisten ??= this.deps.database.listen(TICKETS_CHANNEL, (payload) => this.dispatch(payload));
    await this.unlisten;
    const set = this.byBrand.get(brandId) ?? new Set<Subscriber>();
    this.byBrand.set(brandId, set);
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (set.size === 0) this.byBrand.delete(brandId);
    };
  }

  private dispatch(payload: string) {
    let change: TicketChange;
    try {
      change = JSON.parse(payload) as TicketChange;
    } catch {
      return;
    }
    for (const subscriber of this.byBrand.get(change.brandId) ?? []) subscriber(change);
  }

  async close() {
    if (this.unlisten) await (await this.unlisten)();
  }
}

const presenceSchema = z.object({
  userId: z.uuid(),
  name: z.string(),
  mode: z.enum(['viewing', 'replying']),
  since: z.string(),
});

export const liveRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const hub = new LiveHub(deps);
    app.addHook('onClose', async () => hub.close());

    app.get(
      '/brands/:brandId/live',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['tickets'],
          summary:
            'Server-sent events: `ticket` events ({ ticketId, kind, version }) whenever a ticket of the brand changes or someone starts viewing or replying, in any app instance',
          params: brandParams,
        },
      },
      async (request, reply) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'tickets.work',
        );
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write('retry: 3000\n\n');
        const unsubscribe = await hub.subscribe(access.brand.id, (change) => {
          res.write(
            `event: ticket\ndata: ${JSON.stringify({ ticketId: change.ticketId, kind: change.kind, version: change.version ?? null })}\n\n`,
          );
        });
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
      },
    );

    async function present(ticketId: string, exceptUserId: string, now: Date) {
      const rows = await db
        .select({
          userId: ticketPresence.userId,
          name: users.name,
          mode: ticketPresence.mode,
          seenAt: ticketPresence.seenAt,
        })
        .from(ticketPresence)
        .innerJoin(users, eq(users.id, ticketPresence.userId))
        .where(
          and(
            eq(ticketPresence.ticketId, ticketId),
            ne(ticketPresence.userId, exceptUserId),
            gt(ticketPresence.seenAt, new Date(now.getTime() - PRESENCE_TTL_MS)),
          ),
        );
      return rows.map((r) => ({
        userId: r.userId,
        name: r.name,
        mode: r.mode,
        since: r.seenAt.toISOString(),
      }));
    }

    app.post(
      '/tickets/:ticketId/presence',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['tickets'],
          summary:
            'Says the caller is viewing or replying to the ticket (repeat every 30 s), or has left; returns who else is there',
          params: z.strictObject({ ticketId: uuidParam('ticketId') }),
          body: z.strictObject({ mode: z.enum(['viewing', 'replying', 'left']) }),
          response: { 200: z.object({ data: z.array(presenceSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        if (ctx.actor.kind !== 'user') throw errors.forbidden('Only people have presence.');
        const userId = ctx.actor.userId;
        const [row] = await db
          .select({ brandId: tickets.brandId })
          .from(tickets)
          .where(eq(tickets.id, request.params.ticketId));
        const access = await requireBrandOf(db, ctx.actor, row?.brandId, 'ticket', 'tickets.work');
        const { mode } = request.body;
        await db.transaction(async (tx) => {
          const [before] = await tx
            .select({ mode: ticketPresence.mode, seenAt: ticketPresence.seenAt })
            .from(ticketPresence)
            .where(
              and(eq(ticketPresence.ticketId, request.params.ticketId), eq(ticketPresence.userId, userId)),
            );
          if (mode === 'left') {
            await tx
              .delete(ticketPresence)
              .where(
                and(eq(ticketPresence.ticketId, request.params.ticketId), eq(ticketPresence.userId, userId)),
              );
          } else {
            await tx
              .insert(ticketPresence)
              .values({
                ticketId: request.params.ticketId,
                userId,
                brandId: access.brand.id,
                mode,
                seenAt: ctx.now,
              })
              .onConflictDoUpdate({
                target: [ticketPresence.ticketId, ticketPresence.userId],
                set: { mode, seenAt: ctx.now },
              });
          }
          // Tell the others only when something they see changes, not on every heartbeat.
          const fresh = before && before.seenAt.getTime() > ctx.now.getTime() - PRESENCE_TTL_MS;
          if (!fresh || before.mode !== mode) {
            await announce(tx, {
              brandId: access.brand.id,
              ticketId: request.params.ticketId,
              kind: 'presence',
            });
          }
        });
        // Old rows of anyone are cleared now and then, so the table stays small.
        if (Math.random() < 0.01) {
          await db.execute(
            sql`delete from ticket_presence where seen_at < ${new Date(ctx.now.getTime() - 3_600_000)}`,
          );
        }
        return { data: await present(request.params.ticketId, userId, ctx.now) };
      },
    );

    app.get(
      '/tickets/:ticketId/presence',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['tickets'],
          summary: 'Who else is viewing or replying to the ticket right now',
          params: z.strictObject({ ticketId: uuidParam('ticketId') }),
          response: { 200: z.object({ data: z.array(presenceSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [row] = await db
          .select({ brandId: tickets.brandId })
          .from(tickets)
          .where(eq(tickets.id, request.params.ticketId));
        await requireBrandOf(db, ctx.actor, row?.brandId, 'ticket', 'tickets.work');
        return {
          data: await present(
            request.params.ticketId,
            ctx.actor.kind === 'user' ? ctx.actor.userId : '',
            ctx.now,
          ),
        };
      },
    );
  };
