import { and, asc, desc, eq, gt, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { audit } from '../audit';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { attachments, customers, orders, queues, ticketOrders, tickets, users } from '../db/schema';
import { sanitizeHtml } from '../email/sanitize';
import { errors, isAppError } from '../errors';
import { type BrandAccess, requireBrand, requireBrandOf } from '../policies';
import {
  addAgentMessage,
  IdempotentReplay,
  linkOrders,
  mergeTickets,
  openTicket,
  PRIORITIES,
  splitMessage,
  TICKET_CHANNELS,
  updateTicket,
} from '../tickets/commands';
import { brandEnv } from '../tickets/env';
import { announceCommitted, recordEvent } from '../tickets/events';
import { assertNoUnfilledPlaceholders } from '../tickets/macros';
import { presentTicket, presentTicketSummary, presentTicketView } from '../tickets/present';
import { brandParams, email, errorResponses, uuidParam } from './schemas';

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);
const tag = z.string().trim().min(1, { error: 'must not be empty' }).max(64);
const ticketParams = z.strictObject({ ticketId: uuidParam('ticketId') });
const version = z.int().min(1).optional().describe('The version you loaded; a stale one is refused with 409');

const attachmentInput = z.strictObject({
  filename: text(255),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, { error: 'must be a MIME type such as image/png' }),
  contentBase64: z.base64({ error: 'must be base64' }).max(14_000_000, { error: 'must be at most 10 MB' }),
});

const newTicketInput = z.strictObject({
  brandId: uuidParam('brandId')
    .optional()
    .describe('Required for people; an API token works in its own brand'),
  channel: z.enum(TICKET_CHANNELS, { error: `must be one of ${TICKET_CHANNELS.join(', ')}` }).default('api'),
  subject: text(500),
  body: text(200_000),
  bodyHtml: z.string().max(1_000_000).optional(),
  customer: z
    .strictObject({ email: email.optional(), name: text(200).optional(), phone: text(50).optional() })
    .optional(),
  priority: z.enum(PRIORITIES).optional(),
  queue: text(200).optional(),
  status: text(64).optional(),
  tags: z.array(tag).max(50).optional(),
  category: text(200).optional(),
  assigneeId: uuidParam('assigneeId').optional(),
  orderNumbers: z.array(text(64)).max(20).optional(),
  /** For a phone call or chat an agent logs by hand: the first message is the agent's note. */
  loggedByAgent: z.boolean().optional(),
  attachments: z.array(attachmentInput).max(20).optional(),
});

const messageSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['reply', 'note']),
  direction: z.string(),
  authorType: z.string(),
  from: z.object({ name: z.string().nullable(), address: z.string().nullable() }),
  to: z.array(z.string()),
  subject: z.string().nullable(),
  bodyText: z.string(),
  bodyHtml: z.string().nullable().describe('Sanitised HTML; render only in a sandboxed frame'),
  deliveryState: z.string().nullable(),
  macro: z.string().nullable(),
  sideConversationId: z.string().nullable(),
  movedFromTicketId: z.string().nullable(),
  attachments: z.array(
    z.object({ id: z.uuid(), filename: z.string(), contentType: z.string(), size: z.number() }),
  ),
  createdAt: z.string(),
});

export const ticketSummarySchema = z.object({
  id: z.uuid(),
  number: z.number(),
  subject: z.string(),
  status: z.string(),
  priority: z.string(),
  channel: z.string(),
  tags: z.array(z.string()),
  category: z.string().nullable(),
  queue: z.string().nullable(),
  assignee: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
  customer: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  sla: z.object({ dueAt: z.string().nullable(), state: z.string() }),
  mergedIntoId: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ticketSchema = ticketSummarySchema.extend({
  brandId: z.uuid(),
  customerId: z.string().nullable(),
  intentOverride: z.string().nullable(),
  sla: z.object({
    dueAt: z.string().nullable(),
    state: z.string(),
    firstResponseDueAt: z.string().nullable(),
    nextResponseDueAt: z.string().nullable(),
    resolutionDueAt: z.string().nullable(),
  }),
  statusCategory: z.string(),
  nextStatuses: z.array(z.string()),
  messages: z.array(messageSchema),
  sideConversations: z.array(
    z.object({
      id: z.uuid(),
      with: z.string(),
      to: z.string(),
      subject: z.string(),
      status: z.string(),
      createdBy: z.string(),
      createdAt: z.string(),
      messages: z.array(messageSchema),
    }),
  ),
  orders: z.array(
    z.object({
      id: z.uuid(),
      number: z.string(),
      channel: z.string(),
      placedAt: z.string(),
      linkedBy: z.string(),
    }),
  ),
  history: z.array(
    z.object({ kind: z.string(), by: z.string(), data: z.record(z.string(), z.unknown()), at: z.string() }),
  ),
  allowed: z.array(z.string()).describe('What the caller may do with this ticket'),
});

const listQuery = z.strictObject({
  status: z
    .string()
    .optional()
    .describe('Comma-separated statuses; default: every status that still needs work'),
  queue: z.string().optional().describe('A queue name, or "none"'),
  assignee: z.string().optional().describe('"me", "none" or a user id'),
  tag: z.string().optional(),
  customerId: uuidParam('customerId').optional(),
  sort: z.enum(['sla', 'updated', 'created']).default('sla'),
  limit: z.coerce.number().int().min(1).max(200, { error: 'must be at most 200' }).default(50),
  cursor: z.string().max(200).optional().describe('The nextCursor of the previous page'),
});

type Cursor = { d: string | null; id: string };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(value: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(value, 'base64url').toString()) as Cursor;
    if (typeof c.id !== 'string' || (c.d !== null && typeof c.d !== 'string')) throw new Error();
    return c;
  } catch {
    throw errors.validation([{ field: 'cursor', in: 'query', problem: 'is not a cursor this API returned' }]);
  }
}

/** The SQL filter of a ticket list. */
async function listFilter(db: Queryable, access: BrandAccess, q: z.infer<typeof listQuery>): Promise<SQL[]> {
  const where: SQL[] = [eq(tickets.brandId, access.brand.id)];
  if (q.status) {
    const statuses = q.status
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    where.push(sql`${tickets.status} = any(${sql.param(statuses)}::text[])`);
  } else {
    where.push(eq(tickets.active, true));
  }
  if (q.queue === 'none') where.push(isNull(tickets.queueId));
  else if (q.queue) {
    const [queue] = await db
      .select({ id: queues.id })
      .from(queues)
      .where(and(eq(queues.brandId, access.brand.id), eq(queues.name, q.queue)));
    if (!queue)
      throw errors.validation([
        { field: 'queue', in: 'query', problem: `"${q.queue}" is not a queue of this brand` },
      ]);
    where.push(eq(tickets.queueId, queue.id));
  }
  if (q.assignee === 'none') where.push(isNull(tickets.assigneeId));
  else if (q.assignee === 'me') {
    if (access.actor.kind !== 'user')
      throw errors.validation([{ field: 'assignee', in: 'query', problem: '"me" needs a signed-in person' }]);
    where.push(eq(tickets.assigneeId, access.actor.userId));
  } else if (q.assignee) {
    if (!/^[0-9a-f-]{36}$/i.test(q.assignee))
      throw errors.validation([
        { field: 'assignee', in: 'query', problem: 'must be "me", "none" or a user id' },
      ]);
    where.push(eq(tickets.assigneeId, q.assignee));
  }
  if (q.tag) where.push(sql`${tickets.tags} @> array[${q.tag.toLowerCase()}]::text[]`);
  if (q.customerId) where.push(eq(tickets.customerId, q.customerId));
  return where;
}

export const ticketRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    async function ticketAccess(actor: Parameters<typeof requireBrandOf>[1], ticketId: string) {
      const [row] = await db
        .select({ brandId: tickets.brandId })
        .from(tickets)
        .where(eq(tickets.id, ticketId));
      return requireBrandOf(db, actor, row?.brandId, 'ticket', 'tickets.work');
    }

    async function present(access: BrandAccess, ticketOrId: string | typeof tickets.$inferSelect) {
      const [ticket] =
        typeof ticketOrId === 'string'
          ? await db.select().from(tickets).where(eq(tickets.id, ticketOrId))
          : [ticketOrId];
      if (!ticket) throw errors.notFound('ticket');
      return presentTicket(db, access, deps.packs.get(access.brand.packId)!, ticket);
    }

    async function ticketByIdempotencyKey(brandId: string, key: string) {
      const [ticket] = await db
        .select()
        .from(tickets)
        .where(and(eq(tickets.brandId, brandId), eq(tickets.idempotencyKey, key)));
      return ticket;
    }

    app.post(
      '/tickets',
      {
        config: { auth: 'actor' },
        bodyLimit: 32 * 1024 * 1024,
        schema: {
          tags: ['tickets'],
          summary:
            'Opens a ticket with its first message (integrations, or an agent logging a call or chat); idempotent with the Idempotency-Key header',
          headers: z.object({
            'idempotency-key': z
              .string()
              .min(1)
              .max(200, { error: 'must be at most 200 characters' })
              .optional(),
          }),
          body: newTicketInput,
          response: {
            200: z.object({ data: ticketSchema }),
            201: z.object({ data: ticketSchema }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const body = request.body;
        const brandId = body.brandId ?? (ctx.actor.kind === 'api_token' ? ctx.actor.brandId : undefined);
        if (!brandId) throw errors.field('brandId', 'is required');
        const access = await requireBrand(db, ctx.actor, brandId, 'tickets.work');
        const env = await brandEnv(db, deps, access.brand);
        const byAgent = body.loggedByAgent === true && ctx.actor.kind === 'user';
        const idempotencyKey = request.headers['idempotency-key'];
        const result = await openTicket(
          db,
          ctx,
          env,
          {
            channel: body.channel,
            subject: body.subject,
            customer: body.customer,
            priority: body.priority,
            queueName: body.queue,
            status: body.status,
            tags: body.tags,
            category: body.category,
            assigneeId: body.assigneeId,
            orderNumbers: body.orderNumbers,
            idempotencyKey,
            message: {
              kind: byAgent ? 'note' : 'reply',
              body: body.body,
              bodyHtml: body.bodyHtml ? sanitizeHtml(body.bodyHtml) : null,
              authorType: byAgent ? 'agent' : 'customer',
              authorUserId: byAgent && ctx.actor.kind === 'user' ? ctx.actor.userId : null,
              fromName: byAgent && ctx.actor.kind === 'user' ? ctx.actor.name : (body.customer?.name ?? null),
              fromAddress: byAgent ? null : (body.customer?.email ?? null),
              attachments: body.attachments?.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: Buffer.from(a.contentBase64, 'base64'),
              })),
            },
          },
          { announce: false },
        ).catch(async (error) => {
          // Another request with the same key committed first: answer with its ticket.
          if (error instanceof IdempotentReplay)
            return (await ticketByIdempotencyKey(brandId, error.idempotencyKey))!;
          throw error;
        });
        if (!('created' in result)) return reply.status(200).send({ data: await present(access, result) });
        // Announced after commit, so concurrent openings commit (and flush) together.
        announceCommitted(db, result.change, (error) =>
          request.log.error({ err: error }, 'announcing a new ticket failed'),
        );
        // Everything the new ticket's view shows was just written; present it without reading it back.
        const { ticket, message, view } = result;
        return reply.status(201).send({
          data: presentTicketView(access, env.pack, ticket, {
            people: {
              customerName: view.customer?.name ?? null,
              customerEmail: view.customer?.email ?? null,
              queue: view.queue,
              assignee: view.assignee,
            },
            messageRows: [message],
            files: view.files,
            sides: [],
            events: view.events,
            linked: view.linked,
          }),
        });
      },
    );

    app.get(
      '/brands/:brandId/tickets',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary:
            'A page of the brand’s tickets, filtered, sorted by SLA due time (default), last update or creation',
          params: brandParams,
          querystring: listQuery,
          response: {
            200: z.object({ data: z.array(ticketSummarySchema), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'tickets.work',
        );
        const q = request.query;
        const where = await listFilter(db, access, q);
        const cursor = q.cursor ? decodeCursor(q.cursor) : null;
        let order: SQL[];
        if (q.sort === 'sla') {
          order = [sql`${tickets.slaDueAt} asc nulls last`, asc(tickets.id)];
          if (cursor) {
            where.push(
              cursor.d === null
                ? and(isNull(tickets.slaDueAt), gt(tickets.id, cursor.id))!
                : or(
                    gt(tickets.slaDueAt, new Date(cursor.d)),
                    and(eq(tickets.slaDueAt, new Date(cursor.d)), gt(tickets.id, cursor.id)),
                    isNull(tickets.slaDueAt),
                  )!,
            );
          }
        } else {
          const column = q.sort === 'updated' ? tickets.updatedAt : tickets.createdAt;
          order = [desc(column), desc(tickets.id)];
          if (cursor?.d) {
            const d = new Date(cursor.d);
            where.push(or(lt(column, d), and(eq(column, d), lt(tickets.id, cursor.id)))!);
          }
        }
        const rows = await db
          .select({
            ticket: tickets,
            customerName: customers.name,
            customerEmail: customers.email,
            queue: queues.name,
            assignee: users.name,
          })
          .from(tickets)
          .leftJoin(customers, eq(customers.id, tickets.customerId))
          .leftJoin(queues, eq(queues.id, tickets.queueId))
          .leftJoin(users, eq(users.id, tickets.assigneeId))
          .where(and(...where))
          .orderBy(...order)
          .limit(q.limit + 1);
        const page = rows.slice(0, q.limit);
        const last = page.at(-1)?.ticket;
        const key = (t: typeof tickets.$inferSelect) =>
          q.sort === 'sla'
            ? (t.slaDueAt?.toISOString() ?? null)
            : (q.sort === 'updated' ? t.updatedAt : t.createdAt).toISOString();
        return {
          data: page.map((r) =>
            presentTicketSummary(r.ticket, {
              customer: r.ticket.customerId ? { name: r.customerName, email: r.customerEmail } : null,
              queue: r.queue,
              assignee: r.assignee,
            }),
          ),
          nextCursor: rows.length > q.limit && last ? encodeCursor({ d: key(last), id: last.id }) : null,
        };
      },
    );

    app.get(
      '/brands/:brandId/ticket-counts',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary:
            'How many tickets need work, per queue and per status, and how many are mine or unassigned',
          params: brandParams,
          response: {
            200: z.object({
              data: z.object({
                byQueue: z.array(
                  z.object({ queue: z.string().nullable(), count: z.number(), breached: z.number() }),
                ),
                byStatus: z.array(z.object({ status: z.string(), count: z.number() })),
                mine: z.number(),
                unassigned: z.number(),
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { actor } = contextOf(request);
        const access = await requireBrand(db, actor, request.params.brandId, 'tickets.work');
        const brandId = access.brand.id;
        const byQueue = await db
          .select({
            queue: queues.name,
            count: sql<number>`count(*)::int`,
            breached: sql<number>`(count(*) filter (where ${tickets.slaState} = 'breached'))::int`,
          })
          .from(tickets)
          .leftJoin(queues, eq(queues.id, tickets.queueId))
          .where(and(eq(tickets.brandId, brandId), eq(tickets.active, true)))
          .groupBy(queues.name);
        const byStatus = await db
          .select({ status: tickets.status, count: sql<number>`count(*)::int` })
          .from(tickets)
          .where(and(eq(tickets.brandId, brandId), eq(tickets.active, true)))
          .groupBy(tickets.status);
        const [mine] = await db
          .select({
            mine: sql<number>`(count(*) filter (where ${tickets.assigneeId} = ${actor.kind === 'user' ? actor.userId : null}))::int`,
            unassigned: sql<number>`(count(*) filter (where ${tickets.assigneeId} is null))::int`,
          })
          .from(tickets)
          .where(and(eq(tickets.brandId, brandId), eq(tickets.active, true)));
        return { data: { byQueue, byStatus, mine: mine?.mine ?? 0, unassigned: mine?.unassigned ?? 0 } };
      },
    );

    app.get(
      '/tickets/:ticketId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary:
            'One ticket: conversation, side conversations, linked orders, SLA, history and allowed actions',
          params: ticketParams,
          response: { 200: z.object({ data: ticketSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await ticketAccess(contextOf(request).actor, request.params.ticketId);
        return { data: await present(access, request.params.ticketId) };
      },
    );

    app.patch(
      '/tickets/:ticketId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary:
            'Changes status, priority, assignee, queue, tags, category or subject; a stale version gets 409 with the current state',
          params: ticketParams,
          body: z.strictObject({
            version,
            status: text(64).optional(),
            priority: z.enum(PRIORITIES).optional(),
            assigneeId: uuidParam('assigneeId').nullable().optional(),
            queue: text(200).nullable().optional(),
            tags: z.array(tag).max(50).optional(),
            addTags: z.array(tag).max(50).optional(),
            removeTags: z.array(tag).max(50).optional(),
            category: text(200).nullable().optional(),
            subject: text(500).optional(),
            intentOverride: text(100).nullable().optional(),
          }),
          response: { 200: z.object({ data: ticketSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await ticketAccess(ctx.actor, request.params.ticketId);
        const env = await brandEnv(db, deps, access.brand);
        await db.transaction((tx) => updateTicket(tx, ctx, env, request.params.ticketId, request.body));
        return { data: await present(access, request.params.ticketId) };
      },
    );

    app.post(
      '/brands/:brandId/tickets/bulk',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary: 'Applies one change to many tickets in one transaction (all or none)',
          params: brandParams,
          body: z.strictObject({
            ticketIds: z.array(uuidParam('ticketIds')).min(1, { error: 'name at least one ticket' }).max(500),
            status: text(64).optional(),
            priority: z.enum(PRIORITIES).optional(),
            assigneeId: uuidParam('assigneeId').nullable().optional(),
            queue: text(200).nullable().optional(),
            addTags: z.array(tag).max(50).optional(),
            removeTags: z.array(tag).max(50).optional(),
          }),
          response: { 200: z.object({ data: z.object({ updated: z.number() }) }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await requireBrand(db, ctx.actor, request.params.brandId, 'tickets.work');
        const env = await brandEnv(db, deps, access.brand);
        const { ticketIds, ...change } = request.body;
        await db.transaction(async (tx) => {
          for (const [i, id] of [...new Set(ticketIds)].sort().entries()) {
            try {
              await updateTicket(tx, ctx, env, id, change);
            } catch (error) {
              if (isAppError(error) && error.code === 'not_found') {
                throw errors.field(`ticketIds.${i}`, 'is not a ticket of this brand');
              }
              throw error;
            }
          }
        });
        return { data: { updated: new Set(ticketIds).size } };
      },
    );

    app.post(
      '/tickets/:ticketId/messages',
      {
        config: { auth: 'user' },
        bodyLimit: 32 * 1024 * 1024,
        schema: {
          tags: ['tickets'],
          summary: 'Adds a public reply (sent by email from the outbox) or an internal note',
          params: ticketParams,
          body: z.strictObject({
            kind: z.enum(['reply', 'note']),
            body: text(200_000),
            bodyHtml: z.string().max(1_000_000).optional(),
            macro: text(300).optional().describe('The macro the text came from, for reports'),
            status: text(64).optional().describe('Also move the ticket to this status'),
            version,
            attachments: z.array(attachmentInput).max(20).optional(),
          }),
          response: { 201: z.object({ data: ticketSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        if (ctx.actor.kind !== 'user') throw errors.forbidden('Only people reply to tickets.');
        const body = request.body;
        const access = await ticketAccess(ctx.actor, request.params.ticketId);
        if (body.kind === 'reply') assertNoUnfilledPlaceholders(body.body);
        const env = await brandEnv(db, deps, access.brand);
        await db.transaction((tx) =>
          addAgentMessage(
            tx,
            ctx,
            env,
            request.params.ticketId,
            {
              userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
              name: ctx.actor.kind === 'user' ? ctx.actor.name : '',
            },
            {
              kind: body.kind,
              body: body.body,
              bodyHtml: body.bodyHtml ? sanitizeHtml(body.bodyHtml) : undefined,
              macroName: body.macro,
              status: body.status,
              version: body.version,
              attachments: body.attachments?.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: Buffer.from(a.contentBase64, 'base64'),
              })),
            },
          ),
        );
        return reply.status(201).send({ data: await present(access, request.params.ticketId) });
      },
    );

    app.post(
      '/tickets/:ticketId/merge',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary:
            'Merges this ticket into another of the same customer; messages, links and history move to the survivor',
          params: ticketParams,
          body: z.strictObject({ intoTicketId: uuidParam('intoTicketId'), version, intoVersion: version }),
          response: { 200: z.object({ data: ticketSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await ticketAccess(ctx.actor, request.params.ticketId);
        const env = await brandEnv(db, deps, access.brand);
        const survivor = await db.transaction((tx) =>
          mergeTickets(tx, ctx, env, request.params.ticketId, request.body.intoTicketId, {
            source: request.body.version,
            target: request.body.intoVersion,
          }).catch((error: unknown) => {
            if (isAppError(error) && error.code === 'not_found') {
              throw errors.field('intoTicketId', 'is not a ticket of this brand');
            }
            throw error;
          }),
        );
        return { data: await present(access, survivor.id) };
      },
    );

    app.post(
      '/tickets/:ticketId/split',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary: 'Moves one message out into a new ticket of the same customer; returns the new ticket',
          params: ticketParams,
          body: z.strictObject({ messageId: uuidParam('messageId') }),
          response: { 201: z.object({ data: ticketSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await ticketAccess(ctx.actor, request.params.ticketId);
        const env = await brandEnv(db, deps, access.brand);
        const created = await db.transaction((tx) =>
          splitMessage(tx, ctx, env, request.params.ticketId, request.body.messageId),
        );
        return reply.status(201).send({ data: await present(access, created.id) });
      },
    );

    app.post(
      '/tickets/:ticketId/orders',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary: 'Links an order to the ticket by its number',
          params: ticketParams,
          body: z.strictObject({ orderNumber: text(64) }),
          response: { 200: z.object({ data: ticketSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await ticketAccess(ctx.actor, request.params.ticketId);
        await db.transaction(async (tx) => {
          const [order] = await tx
            .select({ id: orders.id })
            .from(orders)
            .where(and(eq(orders.brandId, access.brand.id), eq(orders.number, request.body.orderNumber)));
          if (!order)
            throw errors.field('orderNumber', `no order "${request.body.orderNumber}" in this brand`);
          const [ticket] = await tx
            .select()
            .from(tickets)
            .where(eq(tickets.id, request.params.ticketId))
            .for('update');
          const linked = await linkOrders(tx, ctx, ticket!, [order.id], 'user');
          if (linked.length === 0) throw errors.conflict('That order is already linked to this ticket.');
        });
        return { data: await present(access, request.params.ticketId) };
      },
    );

    app.delete(
      '/tickets/:ticketId/orders/:orderId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary: 'Unlinks an order from the ticket',
          params: z.strictObject({ ticketId: uuidParam('ticketId'), orderId: uuidParam('orderId') }),
          response: { 200: z.object({ data: ticketSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await ticketAccess(ctx.actor, request.params.ticketId);
        await db.transaction(async (tx) => {
          const removed = await tx
            .delete(ticketOrders)
            .where(
              and(
                eq(ticketOrders.ticketId, request.params.ticketId),
                eq(ticketOrders.orderId, request.params.orderId),
              ),
            )
            .returning();
          if (removed.length === 0) throw errors.notFound('link to that order');
          await recordEvent(
            tx,
            ctx,
            { id: request.params.ticketId, brandId: access.brand.id },
            'order_unlinked',
            {
              orderId: request.params.orderId,
            },
          );
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'ticket',
            entityId: request.params.ticketId,
            action: 'unlink_order',
            before: { orderId: request.params.orderId },
          });
        });
        return { data: await present(access, request.params.ticketId) };
      },
    );

    app.get(
      '/attachments/:attachmentId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary: 'Downloads an attachment (always as a download, never rendered in the app’s origin)',
          params: z.strictObject({ attachmentId: uuidParam('attachmentId') }),
        },
      },
      async (request, reply) => {
        const [row] = await db
          .select()
          .from(attachments)
          .where(eq(attachments.id, request.params.attachmentId));
        await requireBrandOf(db, contextOf(request).actor, row?.brandId, 'attachment', 'tickets.work');
        const safeName = row!.filename.replace(/[^\w.\- ]+/g, '_');
        return reply
          .header('content-type', 'application/octet-stream')
          .header(
            'content-disposition',
            `attachment; filename="${safeName}"; filename*=UTF-8''${encodeURIComponent(row!.filename)}`,
          )
          .header('content-security-policy', "sandbox; default-src 'none'")
          .send(row!.content);
      },
    );
  };
