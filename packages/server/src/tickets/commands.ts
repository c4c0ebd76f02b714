import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Pack, ticketWorkflow } from '@casebook/core';
import { and, desc, eq, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import { type AuditEntry, audit, auditMany, auditRow } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import { anyOf } from '../db/anyOf';
import type { Db, Queryable } from '../db/client';
import { pgErrorConstraint } from '../db/errors';
import { prepared, runPrepared } from '../db/prepared';
import {
  attachments,
  customers,
  messages,
  orders,
  queues,
  sideConversations,
  ticketOrders,
  tickets,
} from '../db/schema';
import { errors } from '../errors';
import { enqueue, enqueueStatement, jobKeys, jobValues } from '../jobs/queue';
import { categorizeTicketWork, logAction } from '../worklog/automatic';
import {
  type CustomerInput,
  type CustomerRow,
  customerCreated,
  findOrCreateCustomer,
  newCustomerRow,
} from './customers';
import { recordEvent, TICKETS_CHANNEL, type TicketChange } from './events';
import { choosePolicy, refreshSla, type SlaPolicyRow, slaCheckJob, slaFields } from './sla';

export type TicketRow = typeof tickets.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

export const TICKET_CHANNELS = [
  'email',
  'web_form',
  'api',
  'chat',
  'phone',
  'social',
  'marketplace',
] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type AuthorType = MessageRow['authorType'];

/** What a command needs about the brand it works in. */
export type BrandEnv = { brandId: string; pack: Pack; mailDomain: string };

export type AttachmentInput = { filename: string; contentType: string; content: Buffer };

export type MessageInput = {
  /** The new message's id, when the caller needs it before it is written; a fresh one otherwise. */
  id?: string | undefined;
  kind: 'reply' | 'note';
  body: string;
  bodyHtml?: string | null | undefined;
  authorType: AuthorType;
  authorUserId?: string | null | undefined;
  fromName?: string | null | undefined;
  fromAddress?: string | null | undefined;
  toAddresses?: string[] | undefined;
  ccAddresses?: string[] | undefined;
  subject?: string | null | undefined;
  emailMessageId?: string | null | undefined;
  inReplyTo?: string | null | undefined;
  references?: string[] | undefined;
  macroName?: string | null | undefined;
  sideConversationId?: string | null | undefined;
  attachments?: AttachmentInput[] | undefined;
};

export type CreateTicketInput = {
  channel: string;
  subject: string;
  customer?: CustomerInput | undefined;
  priority?: Priority | undefined;
  queueName?: string | undefined;
  status?: string | undefined;
  tags?: string[] | undefined;
  category?: string | undefined;
  assigneeId?: string | undefined;
  orderNumbers?: string[] | undefined;
  idempotencyKey?: string | undefined;
  /** The first message: the customer's words, or the agent's note of a call. */
  message: Omit<MessageInput, 'kind'> & { kind?: 'reply' | 'note' };
};

const token = () =>
  randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');

/** Whether tickets in this status still need work (their category is open, pending or on hold). */
export function isActiveStatus(pack: Pack, status: string): boolean {
  const category = ticketWorkflow(pack).category(status);
  return category !== 'solved' && category !== 'closed';
}

/** Normalises tags: trimmed, lower-case, unique, in order. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

async function queueByName(tx: Queryable, brandId: string, name: string) {
  const [queue] = await prepared(tx, 'queue_by_name', () =>
    tx
      .select()
      .from(queues)
      .where(and(eq(queues.brandId, sql.placeholder('brandId')), eq(queues.name, sql.placeholder('name')))),
  ).execute({ brandId, name });
  if (!queue) throw unknownQueue(name);
  return queue;
}

/** The next person of a round-robin queue, after the one who got the previous ticket. */
async function roundRobinAssignee(
  tx: Queryable,
  brandId: string,
  queueRow: typeof queues.$inferSelect,
): Promise<{ id: string; name: string } | null> {
  if (queueRow.assignment !== 'round_robin' || queueRow.memberIds.length === 0) return null;
  // One statement: lock the queue's row (NO KEY UPDATE, not UPDATE: a ticket's foreign key takes
  // KEY SHARE on it, and tickets entering the queue at once must queue up here rather than
  // deadlock), take the members still in the brand and enabled, in the queue's order, pick the
  // one after the last assigned (wrapping round), and remember them.
  const [next] = rowsOf<{ id: string; name: string }>(
    await runPrepared(
      tx,
      'queue.round_robin',
      () => sql`with ${roundRobinCtes('queueId', 'brandId')} select id, name from pick`,
      { queueId: queueRow.id, brandId },
    ),
  );
  return next ?? null;
}

/**
 * The common table expressions that pick a round-robin queue's next person into `pick` (none when
 * the queue is not round-robin or nobody in it may take tickets) and remember them. The queue's row
 * is locked (NO KEY UPDATE, not UPDATE: a ticket's foreign key takes KEY SHARE on it, and tickets
 * entering the queue at once must queue up here rather than deadlock); the members still in the
 * brand and enabled are taken in the queue's order, starting after the last one assigned.
 */
function roundRobinCtes(queueParam: string, brandParam: string): SQL {
  const queue = sql`${sql.placeholder(queueParam)}::uuid`;
  const brand = sql`${sql.placeholder(brandParam)}::uuid`;
  return sql`q as (
      select id, member_ids, last_assigned_user_id from queues
      where id = ${queue} and brand_id = ${brand} and assignment = 'round_robin'
      for no key update
    ),
    eligible as (
      select m.user_id as id, m.ord, u.name
      from q, unnest(q.member_ids) with ordinality as m(user_id, ord)
      join memberships ms on ms.user_id = m.user_id and ms.brand_id = ${brand}
      join users u on u.id = m.user_id and u.disabled_at is null
    ),
    pick as (
      select e.id, e.name from eligible e
      order by e.ord <= coalesce((select ord from eligible, q where eligible.id = q.last_assigned_user_id), 0), e.ord
      limit 1
    ),
    saved as (
      update queues set last_assigned_user_id = pick.id from pick where queues.id = ${queue} returning 1
    )`;
}

/**
 * Queue ids by name for each brand, kept for a while: naming a queue is common when integrations
 * open tickets. A name not found here is read again before it is refused; a queue renamed on
 * another app instance may keep its old name here for up to QUEUE_NAMES_TTL_MS (this instance
 * forgets at once); a queue deleted meanwhile fails the ticket's foreign key, which is reported as
 * an unknown queue.
 */
const queueNames = new Map<string, { ids: Map<string, string>; until: number }>();
const QUEUE_NAMES_TTL_MS = 30_000;

export function forgetQueueNames(brandId: string): void {
  queueNames.delete(brandId);
}

async function queueIdByName(db: Queryable, brandId: string, name: string): Promise<string> {
  let known = queueNames.get(brandId);
  if (!known || known.until < Date.now() || !known.ids.has(name)) {
    const rows = await prepared(db, 'queue_names', () =>
      db
        .select({ id: queues.id, name: queues.name })
        .from(queues)
        .where(eq(queues.brandId, sql.placeholder('brandId'))),
    ).execute({ brandId });
    known = { ids: new Map(rows.map((r) => [r.name, r.id])), until: Date.now() + QUEUE_NAMES_TTL_MS };
    queueNames.set(brandId, known);
  }
  const id = known.ids.get(name);
  if (!id) throw unknownQueue(name);
  return id;
}

const unknownQueue = (name: string) => errors.field('queue', `"${name}" is not a queue of this brand`);

/**
 * Which of these users are members of the brand whose role works tickets (enabled accounts only,
 * unless `includeDisabled`): who may be assigned tickets or take part in a round-robin queue.
 */
export async function ticketWorkers(
  tx: Queryable,
  brandId: string,
  userIds: readonly string[],
  options: { includeDisabled?: boolean } = {},
): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = rowsOf<{ user_id: string; name: string }>(
    await tx.execute(sql`
      select m.user_id, u.name from memberships m join roles r on r.id = m.role_id join users u on u.id = m.user_id
      where m.brand_id = ${brandId} and m.user_id = any(${sql.param(userIds)}::uuid[])
        and 'tickets.work' = any(r.capabilities)
        ${options.includeDisabled ? sql`` : sql`and u.disabled_at is null`}`),
  );
  return new Map(rows.map((r) => [r.user_id, r.name]));
}

/** Checks that a user may be given tickets of the brand: a member whose role works tickets. */
export async function assertAssignable(tx: Queryable, brandId: string, userId: string): Promise<void> {
  await assignableName(tx, brandId, userId);
}

/** The name of a user who may be given tickets of the brand; refused otherwise. */
async function assignableName(tx: Queryable, brandId: string, userId: string): Promise<string> {
  const name = (await ticketWorkers(tx, brandId, [userId])).get(userId);
  if (name === undefined) throw errors.field('assigneeId', 'is not a member of this brand who works tickets');
  return name;
}

export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Stores a message with its attachments; the caller has the ticket locked. */
export async function insertMessage(
  tx: Queryable,
  ctx: RequestContext,
  ticket: { id: string; brandId: string },
  input: MessageInput,
): Promise<MessageRow> {
  const [message] = (await tx
    .insert(messages)
    .values(messageRow(ctx, ticket, input))
    .returning()) as [MessageRow];
  if (input.attachments?.length) await insertAttachments(tx, ctx, message, input.attachments);
  return message;
}

/** The row of a new message (everything but its insertion order `seq`). */
function messageRow(
  ctx: RequestContext,
  ticket: { id: string; brandId: string },
  input: MessageInput,
): Omit<MessageRow, 'seq' | 'search'> {
  return {
    id: input.id ?? randomUUID(),
    brandId: ticket.brandId,
    ticketId: ticket.id,
    sideConversationId: input.sideConversationId ?? null,
    kind: input.kind,
    direction: input.kind === 'note' ? 'internal' : input.authorType === 'agent' ? 'out' : 'in',
    authorType: input.authorType,
    authorUserId: input.authorUserId ?? null,
    fromName: input.fromName ?? null,
    fromAddress: input.fromAddress ?? null,
    toAddresses: input.toAddresses ?? [],
    ccAddresses: input.ccAddresses ?? [],
    subject: input.subject ?? null,
    bodyText: input.body,
    bodyHtml: input.bodyHtml ?? null,
    emailMessageId: input.emailMessageId ?? null,
    inReplyTo: input.inReplyTo ?? null,
    references: input.references ?? [],
    deliveryState: null,
    macroName: input.macroName ?? null,
    movedFromTicketId: null,
    createdAt: ctx.now,
  };
}

async function insertAttachments(
  tx: Queryable,
  ctx: RequestContext,
  message: { id: string; brandId: string },
  files: AttachmentInput[],
) {
  return tx
    .insert(attachments)
    .values(
      files.map((a) => ({
        brandId: message.brandId,
        messageId: message.id,
        filename: a.filename,
        contentType: a.contentType,
        size: a.content.length,
        sha256: sha256(a.content),
        content: a.content,
        createdAt: ctx.now,
      })),
    )
    .returning({
      id: attachments.id,
      messageId: attachments.messageId,
      filename: attachments.filename,
      contentType: attachments.contentType,
      size: attachments.size,
    });
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Words of a text that could be order numbers (letters, digits and dashes, with a digit), upper-cased. */
export function orderNumberCandidates(text: string): string[] {
  return [...new Set(text.toUpperCase().match(/#?[A-Z0-9][A-Z0-9-]{2,31}/g) ?? [])]
    .map((c) => c.replace(/^#/, ''))
    .filter((c) => /\d/.test(c))
    .slice(0, 50);
}

/** Links orders to a ticket, once each; returns the ones newly linked. */
export async function linkOrders(
  tx: Queryable,
  ctx: RequestContext,
  ticket: { id: string; brandId: string; version?: number },
  orderIds: string[],
  linkedBy: 'auto' | 'user',
): Promise<string[]> {
  if (orderIds.length === 0) return [];
  const linked = await tx
    .insert(ticketOrders)
    .values(
      orderIds.map((orderId) => ({
        brandId: ticket.brandId,
        ticketId: ticket.id,
        orderId,
        linkedBy,
        createdAt: ctx.now,
      })),
    )
    .onConflictDoNothing()
    .returning({ orderId: ticketOrders.orderId });
  for (const { orderId } of linked) await recordEvent(tx, ctx, ticket, 'order_linked', { orderId, linkedBy });
  if (linked.length) {
    await auditMany(
      tx,
      ctx,
      linked.map(({ orderId }) => ({
        brandId: ticket.brandId,
        entityType: 'ticket',
        entityId: ticket.id,
        action: 'link_order',
        after: { orderId, linkedBy },
      })),
    );
  }
  return linked.map((l) => l.orderId);
}

/**
 * Links the orders a message points at: order numbers in its subject or body, and the customer's
 * recent orders placed with the same email address.
 */
export async function autoLinkOrders(
  tx: Queryable,
  ctx: RequestContext,
  ticket: { id: string; brandId: string; version?: number },
  text: string,
  customerEmail: string | null | undefined,
): Promise<void> {
  const named = orderNumberCandidates(text);
  if (named.length === 0 && !customerEmail) return;
  const since = new Date(ctx.now.getTime() - 180 * 86_400_000);
  // Two branches, each served by its own index (order number; customer email and date).
  const byNumber = named.length
    ? sql`(select id from orders where brand_id = ${ticket.brandId} and upper(number) = any(${sql.param(named)}::text[]) limit 10)`
    : null;
  const byEmail = customerEmail
    ? sql`(select id from orders where brand_id = ${ticket.brandId} and lower(customer_email) = ${customerEmail.toLowerCase()}
        and placed_at >= ${since} order by placed_at desc limit 5)`
    : null;
  const rows = rowsOf<{ id: string }>(
    await tx.execute(
      sql.join(
        [byNumber, byEmail].filter((b): b is SQL => b !== null),
        sql` union `,
      ),
    ),
  );
  await linkOrders(
    tx,
    ctx,
    ticket,
    rows.map((r) => r.id),
    'auto',
  );
}

/** A second request with an Idempotency-Key already used in the brand; the route answers with that ticket. */
export class IdempotentReplay extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`A ticket was already created with the Idempotency-Key "${idempotencyKey}".`);
  }
}

/** The orders, history and names a new ticket was written with, so its view needs no reading back. */
export type CreatedTicketView = {
  customer: { name: string | null; email: string | null } | null;
  queue: string | null;
  assignee: string | null;
  events: { kind: string; actorLabel: string; data: unknown; at: Date }[];
  linked: { id: string; number: string; channel: string; placedAt: Date; linkedBy: 'auto' | 'user' }[];
  files: { id: string; messageId: string; filename: string; contentType: string; size: number }[];
};

export type CreatedTicket = {
  change: TicketChange;
  ticket: TicketRow;
  message: Omit<MessageRow, 'search'>;
  created: true;
  view: CreatedTicketView;
};

const customerEmailOf = (input: CreateTicketInput) => input.customer?.email?.trim().toLowerCase() || null;

/**
 * Opens a ticket for a caller outside any transaction (`POST /tickets`). When nothing but the
 * statement that writes the ticket has to be written (no existing customer to change, no assignee
 * to check, no attachments), that statement runs on its own: it writes a new customer too, and one
 * statement is atomic, so BEGIN and COMMIT are not needed on the busiest path. A new customer's
 * address claimed by another request meanwhile fails the statement, and the ticket is then opened
 * in a transaction that finds that customer. Everything else runs `createTicket` in a transaction.
 */
export async function openTicket(
  db: Db,
  ctx: RequestContext,
  env: BrandEnv,
  input: CreateTicketInput,
  options: { announce?: boolean } = {},
): Promise<CreatedTicket> {
  const inTransaction = (lookups?: TicketLookups) =>
    db.transaction((tx) =>
      createTicket(tx, ctx, env, input, { ...options, ...(lookups ? { lookups } : {}) }),
    );
  if (input.assigneeId || input.message.attachments?.length) return inTransaction();
  const lookups = await ticketLookups(db, env.brandId, customerEmailOf(input));
  const known = lookups.customer;
  if (known && !known.name && input.customer?.name) return inTransaction(lookups);
  try {
    return await createTicket(db, ctx, env, input, { ...options, lookups, customerInStatement: true });
  } catch (error) {
    if (pgErrorConstraint(error) === 'customer_emails_brand_email_key') return inTransaction();
    throw error;
  }
}

/**
 * Opens a ticket with its first message, in one transaction: customer, queue (and round-robin
 * assignee), linked orders, SLA targets and their timer, history, audit. The ticket, its message,
 * history, order links, SLA job, audit entries and live notification are written by one statement.
 * A repeated Idempotency-Key throws `IdempotentReplay` (the transaction is then aborted; the caller
 * answers with the ticket the first request made).
 */
export async function createTicket(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  input: CreateTicketInput,
  options: {
    /**
     * Whether the statement tells other app instances (NOTIFY, delivered on commit). A caller
     * that opens many tickets at once passes false and announces `change` after its commit:
     * PostgreSQL serialises the commits of notifying transactions, flush and all.
     */
    announce?: boolean;
    /** What `ticketLookups` read for this input, when the caller read it already. */
    lookups?: TicketLookups;
    /**
     * A new customer is written by the ticket's statement (`openTicket`, outside a transaction):
     * an address another request claimed meanwhile then fails it on `customer_emails_brand_email_key`.
     */
    customerInStatement?: boolean;
  } = {},
): Promise<CreatedTicket> {
  const workflow = ticketWorkflow(env.pack);
  const status = input.status ?? workflow.initial;
  if (!workflow.category(status)) {
    throw errors.field(
      'status',
      `"${status}" is not a ticket status of this brand (${workflow.statuses.map((s) => s.name).join(', ')})`,
    );
  }
  const pendingAudit: AuditEntry[] = [];
  const email = customerEmailOf(input);
  const lookups = options.lookups ?? (await ticketLookups(tx, env.brandId, email));
  const wantsCustomer = Boolean(input.customer?.email || input.customer?.name || input.customer?.phone);
  // A customer the statement writes (openTicket made sure no existing one needs changing).
  const newCustomer =
    wantsCustomer && options.customerInStatement && !lookups.customer
      ? newCustomerRow(ctx, env.brandId, input.customer!)
      : null;
  if (newCustomer) pendingAudit.push(customerCreated(newCustomer));
  const customer =
    newCustomer ??
    (wantsCustomer
      ? await findOrCreateCustomer(tx, ctx, env.brandId, input.customer!, {
          pendingAudit,
          ...(email ? { known: lookups.customer } : {}),
        })
      : null);
  const queue = input.queueName
    ? { id: await queueIdByName(tx, env.brandId, input.queueName), name: input.queueName }
    : null;
  let assignee = input.assigneeId
    ? { id: input.assigneeId, name: await assignableName(tx, env.brandId, input.assigneeId) }
    : null;
  // A round-robin queue's next person is picked by the statement that writes the ticket.
  const roundRobin = Boolean(queue && !assignee);
  const named = input.orderNumbers?.length ? await namedOrders(tx, env.brandId, input.orderNumbers) : [];
  const fromCustomer = input.message.authorType === 'customer';
  const priority = input.priority ?? 'normal';
  // The SLA targets are known before the ticket exists, so it is written once with them.
  const sla = slaFields(
    env,
    choosePolicy(lookups.policies, priority),
    {
      status,
      createdAt: ctx.now,
      firstRespondedAt: null,
      lastCustomerMessageAt: fromCustomer ? ctx.now : null,
      lastAgentReplyAt: null,
      followUpDueAt: null,
    },
    ctx.now,
  );
  const ticketId = randomUUID();
  const values = {
    id: ticketId,
    brandId: env.brandId,
    token: token(),
    customerId: customer?.id ?? null,
    channel: input.channel,
    subject: input.subject,
    status,
    active: isActiveStatus(env.pack, status),
    priority,
    assigneeId: assignee?.id ?? null,
    queueId: queue?.id ?? null,
    tags: normalizeTags(input.tags ?? []),
    category: input.category ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    lastCustomerMessageAt: fromCustomer ? ctx.now : null,
    ...sla.fields,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  } satisfies typeof tickets.$inferInsert;
  const ticket: TicketRow = {
    ...values,
    number: 0,
    intentOverride: null,
    mergedIntoId: null,
    followUpDueAt: null,
    firstRespondedAt: null,
    lastAgentReplyAt: null,
    solvedAt: null,
    version: 1,
  };
  const messageValues = messageRow(
    ctx,
    { id: ticketId, brandId: env.brandId },
    {
      ...input.message,
      kind: input.message.kind ?? (fromCustomer ? 'reply' : 'note'),
      subject: input.message.subject ?? input.subject,
    },
  );
  const job = slaCheckJob(
    ctx,
    { id: ticketId, brandId: env.brandId, slaState: sla.fields.slaState },
    sla.dueAt,
    sla.warnMinutes,
  );
  const created = {
    channel: input.channel,
    status,
    queue: queue?.name ?? null,
    assigneeId: assignee?.id ?? null,
  };
  const label = actorLabel(ctx.actor);
  // Orders the message points at (numbers in its subject or body, the sender's recent orders)
  // and the ones named by hand; one link each, by hand winning.
  const candidates = orderNumberCandidates(`${input.subject}\n${input.message.body}`);
  const audits = [
    ...pendingAudit,
    { brandId: env.brandId, entityType: 'ticket', entityId: ticketId, action: 'create', after: ticket },
  ].map((entry) => auditRow(ctx, entry));
  const shape: CreateShape = {
    audits: audits.length,
    named: named.length > 0,
    candidates: candidates.length > 0,
    email: Boolean(customer?.email),
    job: job !== null,
    announce: options.announce !== false,
    roundRobin,
    newCustomer: newCustomer ? (newCustomer.email ? 'with_email' : 'without_email') : 'no',
  };
  const change: TicketChange = { brandId: env.brandId, ticketId, kind: 'created', version: 1 };
  const jobRow = job ? jobValues(job, ctx.now) : null;
  let result: {
    number: number;
    seq: number;
    linked: CreatedTicketView['linked'];
    events: CreatedTicketView['events'];
  };
  try {
    const [row] = rowsOf<{
      number: string | number;
      seq: string | number;
      linked:
        | { id: string; number: string; channel: string; placed_at: string; linked_by: 'auto' | 'user' }[]
        | null;
      events: { kind: string; data: unknown; at: string }[];
      rr_id: string | null;
      rr_name: string | null;
    }>(
      await runPrepared(
        tx,
        `ticket.create:${JSON.stringify(shape)}`,
        () => createStatement(tx, shape, values, messageValues, newCustomer),
        {
          ...prefixed('t_', values),
          ...prefixed('m_', messageValues),
          ...(newCustomer ? prefixed('c_', newCustomer) : {}),
          ...(jobRow ? prefixed('j_', { ...jobRow, payload: JSON.stringify(jobRow.payload) }) : {}),
          ...Object.fromEntries(
            audits.flatMap((row, i) =>
              Object.entries({
                ...row,
                before: row.before === null ? null : JSON.stringify(row.before),
                after: row.after === null ? null : JSON.stringify(row.after),
              }).map(([k, v]) => [`a${i}_${k}`, v ?? null]),
            ),
          ),
          brand: env.brandId,
          ticket: ticketId,
          ...(roundRobin ? { queue: queue!.id } : {}),
          now: ctx.now,
          label,
          actorType: audits[0]!.actorType,
          actorId: audits[0]!.actorId ?? null,
          requestId: audits[0]!.requestId ?? null,
          created: JSON.stringify(created),
          change: JSON.stringify(change),
          named,
          candidates,
          email: customer?.email?.toLowerCase() ?? null,
          since: new Date(ctx.now.getTime() - 180 * 86_400_000),
        },
      ),
    );
    if (row!.rr_id) assignee = { id: row!.rr_id, name: row!.rr_name! };
    result = {
      number: Number(row!.number),
      seq: Number(row!.seq),
      linked: (row!.linked ?? []).map((l) => ({
        id: l.id,
        number: l.number,
        channel: l.channel,
        placedAt: new Date(l.placed_at),
        linkedBy: l.linked_by,
      })),
      events: row!.events.map((e) => ({ kind: e.kind, actorLabel: label, data: e.data, at: new Date(e.at) })),
    };
  } catch (error) {
    const constraint = pgErrorConstraint(error);
    if (input.idempotencyKey && constraint === 'tickets_brand_idempotency_key') {
      throw new IdempotentReplay(input.idempotencyKey);
    }
    if (queue && constraint === 'tickets_queue_id_queues_id_fk') {
      forgetQueueNames(env.brandId);
      throw unknownQueue(queue.name);
    }
    throw error;
  }
  ticket.number = result.number;
  ticket.assigneeId = assignee?.id ?? null;
  const message = { ...messageValues, seq: result.seq };
  const files = input.message.attachments?.length
    ? await insertAttachments(tx, ctx, message, input.message.attachments)
    : [];
  return {
    change,
    ticket,
    message,
    created: true,
    view: {
      customer: customer ? { name: customer.name, email: customer.email } : null,
      queue: queue?.name ?? null,
      assignee: assignee?.name ?? null,
      events: result.events,
      linked: result.linked,
      files,
    },
  };
}

type CreateShape = {
  audits: number;
  named: boolean;
  candidates: boolean;
  email: boolean;
  job: boolean;
  announce: boolean;
  /** The ticket goes to the next person of its queue's round robin (`pick`). */
  roundRobin: boolean;
  /** The statement writes the ticket's new customer, and claims its address. */
  newCustomer: 'no' | 'with_email' | 'without_email';
};

const AUDIT_COLUMNS = [
  'brandId',
  'actorType',
  'actorId',
  'actorLabel',
  'entityType',
  'entityId',
  'action',
  'before',
  'after',
  'requestId',
  'at',
] as const;

/**
 * Placeholders named `prefix + key` for each key of a row, for a statement built once. They are
 * wrapped as SQL so the values reach the driver as given (the column mappers refuse nulls).
 */
function placeholders<T extends object>(prefix: string, row: T): Record<keyof T, SQL> {
  const entries = Object.keys(row).map((k) => [k, sql`${sql.placeholder(prefix + k)}`]);
  return Object.fromEntries(entries) as Record<keyof T, SQL>;
}

function prefixed(prefix: string, row: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [prefix + k, v]));
}

/**
 * The statement that writes a new ticket: the ticket, its first message, the order links, the
 * history, the SLA job, the audit entries and the live notification. Built once per shape (which
 * parts it has) with placeholders, and run as a prepared statement.
 */
function createStatement(
  tx: Queryable,
  shape: CreateShape,
  ticketValues: object,
  messageValues: object,
  customerValues: object | null,
): SQL {
  const p = (name: string) => sql.placeholder(name);
  const ticketRow: Record<string, SQL> = placeholders('t_', ticketValues);
  // Who the round robin picked, as JSON for the history and audit entries (null: nobody).
  const picked = sql`coalesce(to_jsonb((select id from pick)), 'null'::jsonb)`;
  if (shape.roundRobin) ticketRow.assigneeId = sql`(select id from pick)`;
  const messageRowValues = placeholders('m_', messageValues);
  const sources: SQL[] = [];
  if (shape.named) sources.push(sql`(select unnest(${p('named')}::uuid[]) as id, 'user'::text as linked_by)`);
  if (shape.candidates)
    sources.push(sql`(select id, 'auto'::text as linked_by from orders where brand_id = ${p('brand')}::uuid
      and upper(number) = any(${p('candidates')}::text[]) limit 10)`);
  if (shape.email)
    sources.push(sql`(select id, 'auto'::text as linked_by from orders where brand_id = ${p('brand')}::uuid
      and lower(customer_email) = ${p('email')}::text and placed_at >= ${p('since')}::timestamptz
      order by placed_at desc limit 5)`);
  const auditValues = Array.from(
    { length: shape.audits },
    (_, i) =>
      sql`(${p(`a${i}_brandId`)}::uuid, ${p(`a${i}_actorType`)}::text, ${p(`a${i}_actorId`)}::uuid,
        ${p(`a${i}_actorLabel`)}::text, ${p(`a${i}_entityType`)}::text, ${p(`a${i}_entityId`)}::text,
        ${p(`a${i}_action`)}::text, ${p(`a${i}_before`)}::jsonb, ${p(`a${i}_after`)}::jsonb,
        ${p(`a${i}_requestId`)}::text, ${p(`a${i}_at`)}::timestamptz)`,
  );
  const customerCtes =
    shape.newCustomer === 'no'
      ? sql``
      : sql`c as ${tx.insert(customers).values(placeholders('c_', customerValues!) as never)},
        ${
          shape.newCustomer === 'with_email'
            ? sql`ce as (insert into customer_emails (brand_id, email, customer_id)
                values (${p('c_brandId')}::uuid, ${p('c_email')}::text, ${p('c_id')}::uuid)),`
            : sql``
        }`;
  return sql`
    with ${customerCtes} ${shape.roundRobin ? sql`${roundRobinCtes('queue', 'brand')},` : sql``}
    t as ${tx
      .insert(tickets)
      .values(ticketRow as never)
      .returning({ number: tickets.number })},
    m as ${tx
      .insert(messages)
      .values(messageRowValues as never)
      .returning({ seq: messages.seq })},
    candidate as (${sources.length ? sql.join(sources, sql` union all `) : sql`select null::uuid as id, null::text as linked_by where false`}),
    lk as (
      insert into ticket_orders (brand_id, ticket_id, order_id, linked_by, created_at)
      select distinct on (id) ${p('brand')}::uuid, ${p('ticket')}::uuid, id, linked_by, ${p('now')}::timestamptz
      from candidate order by id, linked_by desc
      on conflict do nothing
      returning order_id, linked_by
    ),
    ev as (
      insert into ticket_events (brand_id, ticket_id, kind, actor_label, data, at)
      select ${p('brand')}::uuid, ${p('ticket')}::uuid, 'created', ${p('label')}::text,
        ${shape.roundRobin ? sql`jsonb_set(${p('created')}::jsonb, '{assigneeId}', ${picked})` : sql`${p('created')}::jsonb`},
        ${p('now')}::timestamptz
      union all
      select ${p('brand')}::uuid, ${p('ticket')}::uuid, 'order_linked', ${p('label')}::text,
        jsonb_build_object('orderId', order_id, 'linkedBy', linked_by), ${p('now')}::timestamptz
      from lk
      returning id, kind, data, at
    ),
    j as ${shape.job ? enqueueStatement(tx, placeholders('j_', jobKeys) as never) : sql`(select 1)`},
    a as (
      insert into audit_log (brand_id, actor_type, actor_id, actor_label, entity_type, entity_id, action, before, after, request_id, at)
      select brand_id, actor_type, actor_id, actor_label, entity_type, entity_id, action, before,
        case when action = 'create' and entity_type = 'ticket'
          then ${shape.roundRobin ? sql`jsonb_set(jsonb_set(after, '{number}', to_jsonb((select number from t))), '{assigneeId}', ${picked})` : sql`jsonb_set(after, '{number}', to_jsonb((select number from t)))`}
          else after end,
        request_id, at
      from (values ${sql.join(auditValues, sql`, `)}) as v(${sql.raw(AUDIT_COLUMNS.map((c) => c.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`)).join(', '))})
      union all
      select ${p('brand')}::uuid, ${p('actorType')}::text, ${p('actorId')}::uuid, ${p('label')}::text, 'ticket',
        ${p('ticket')}::text, 'link_order', null, jsonb_build_object('orderId', order_id, 'linkedBy', linked_by),
        ${p('requestId')}::text, ${p('now')}::timestamptz
      from lk
    )
    select (select number from t) as number, (select seq from m) as seq,
      (select json_agg(json_build_object('id', o.id, 'number', o.number, 'channel', o.channel,
         'placed_at', o.placed_at, 'linked_by', lk.linked_by) order by o.placed_at)
       from lk join orders o on o.id = lk.order_id) as linked,
      (select json_agg(json_build_object('kind', kind, 'data', data, 'at', at) order by id) from ev) as events,
      ${shape.roundRobin ? sql`(select id from pick) as rr_id, (select name from pick) as rr_name,` : sql`null as rr_id, null as rr_name,`}
      ${shape.announce ? sql`pg_notify(${TICKETS_CHANNEL}, ${p('change')}::text)` : sql`null`} as announced`;
}

/**
 * What opening a ticket reads, in one round trip: the customer known by the sender's address (if
 * any) and the brand's SLA policies in order.
 */
type TicketLookups = { customer: CustomerRow | null; policies: SlaPolicyRow[] };

async function ticketLookups(tx: Queryable, brandId: string, email: string | null): Promise<TicketLookups> {
  const [row] = rowsOf<{ customer: Record<string, unknown> | null; policies: Record<string, unknown>[] }>(
    await runPrepared(
      tx,
      'ticket.lookups',
      () => sql`
        select
          (select to_jsonb(c) from customer_emails e join customers c on c.id = e.customer_id
           where e.brand_id = ${sql.placeholder('brandId')}::uuid and e.email = ${sql.placeholder('email')}::text) as customer,
          coalesce((select jsonb_agg(to_jsonb(p) order by p.position, p.created_at) from sla_policies p
           where p.brand_id = ${sql.placeholder('brandId')}::uuid), '[]'::jsonb) as policies`,
      { brandId, email },
    ),
  );
  return {
    customer: row!.customer ? (fromJsonRow(row!.customer) as CustomerRow) : null,
    policies: row!.policies.map((p) => fromJsonRow(p) as SlaPolicyRow),
  };
}

/** A row read as JSON (`to_jsonb`) in the shape the query layer gives: camelCase keys, dates as Dates. */
function fromJsonRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      key.endsWith('_at') && typeof value === 'string' ? new Date(value) : value,
    ]),
  );
}

/** The ids of orders named by hand, all of which must be orders of the brand. */
async function namedOrders(tx: Queryable, brandId: string, numbers: string[]): Promise<string[]> {
  const found = await tx
    .select({ id: orders.id, number: orders.number })
    .from(orders)
    .where(and(eq(orders.brandId, brandId), anyOf(orders.number, numbers, 'text')));
  const missing = numbers.filter((n) => !found.some((f) => f.number === n));
  if (missing.length)
    throw errors.field('orderNumbers', `no order ${missing.map((m) => `"${m}"`).join(', ')} in this brand`);
  return found.map((f) => f.id);
}

/** Loads a ticket of the brand and locks it for the rest of the transaction. */
export async function lockTicket(tx: Queryable, brandId: string, ticketId: string): Promise<TicketRow> {
  const [ticket] = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.brandId, brandId)))
    .for('update');
  if (!ticket) throw errors.notFound('ticket');
  return ticket;
}

export function checkVersion(ticket: TicketRow, version: number | undefined): void {
  if (version !== undefined && version !== ticket.version) {
    throw errors.conflict(
      `The ticket changed since you loaded it (version ${ticket.version}, yours ${version}); reload it and try again.`,
      {
        current: {
          id: ticket.id,
          version: ticket.version,
          status: ticket.status,
          assigneeId: ticket.assigneeId,
        },
      },
    );
  }
}

/** Writes changed ticket fields with a new version, updated time and fresh SLA targets. */
export async function saveTicket(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  ticket: TicketRow,
  changes: Partial<TicketRow>,
): Promise<TicketRow> {
  if (changes.status !== undefined) changes.active = isActiveStatus(env.pack, changes.status);
  // An agent acting on the ticket answers a follow-up that brought it back.
  if (
    (changes.status !== undefined || changes.lastAgentReplyAt) &&
    ticket.followUpDueAt &&
    ctx.actor.kind !== 'system'
  ) {
    changes.followUpDueAt = null;
  }
  const [saved] = (await tx
    .update(tickets)
    .set({ ...changes, version: ticket.version + 1, updatedAt: ctx.now })
    .where(eq(tickets.id, ticket.id))
    .returning()) as [TicketRow];
  return refreshSla(tx, ctx, env, saved);
}

export type UpdateTicketInput = {
  version?: number | undefined;
  status?: string | undefined;
  priority?: Priority | undefined;
  assigneeId?: string | null | undefined;
  queue?: string | null | undefined;
  tags?: string[] | undefined;
  addTags?: string[] | undefined;
  removeTags?: string[] | undefined;
  category?: string | null | undefined;
  subject?: string | undefined;
  intentOverride?: string | null | undefined;
};

/**
 * Changes a ticket's fields. A stale `version` is a conflict with the current state; status moves
 * follow the brand's ticket workflow; every change is in the ticket's history and the audit log.
 */
export async function updateTicket(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  ticketId: string,
  input: UpdateTicketInput,
): Promise<TicketRow> {
  const ticket = await lockTicket(tx, env.brandId, ticketId);
  checkVersion(ticket, input.version);
  if (ticket.mergedIntoId)
    throw errors.conflict('This ticket was merged into another; work the other ticket.');
  const changes: Partial<TicketRow> = {};
  const events: [string, Record<string, unknown>][] = [];
  const workflow = ticketWorkflow(env.pack);
  if (input.status !== undefined && input.status !== ticket.status) {
    if (!workflow.category(input.status)) {
      throw errors.field(
        'status',
        `"${input.status}" is not a ticket status of this brand (${workflow.statuses.map((s) => s.name).join(', ')})`,
      );
    }
    if (!workflow.canMove(ticket.status, input.status)) {
      const next = workflow.next(ticket.status);
      throw errors.field(
        'status',
        `a ticket cannot move from "${ticket.status}" to "${input.status}"${next.length ? ` (it can move to ${next.join(', ')})` : ' (it is final)'}`,
      );
    }
    changes.status = input.status;
    const category = workflow.category(input.status);
    if (category === 'solved') changes.solvedAt = ctx.now;
    else if (category !== 'closed') changes.solvedAt = null;
    events.push(['status', { from: ticket.status, to: input.status }]);
  }
  if (input.priority !== undefined && input.priority !== ticket.priority) {
    changes.priority = input.priority;
    events.push(['priority', { from: ticket.priority, to: input.priority }]);
  }
  if (input.assigneeId !== undefined && input.assigneeId !== ticket.assigneeId) {
    if (input.assigneeId) await assertAssignable(tx, env.brandId, input.assigneeId);
    changes.assigneeId = input.assigneeId;
    events.push(['assignee', { from: ticket.assigneeId, to: input.assigneeId }]);
  }
  if (input.queue !== undefined) {
    const queue = input.queue ? await queueByName(tx, env.brandId, input.queue) : null;
    if ((queue?.id ?? null) !== ticket.queueId) {
      changes.queueId = queue?.id ?? null;
      const [previous] = ticket.queueId
        ? await tx.select({ name: queues.name }).from(queues).where(eq(queues.id, ticket.queueId))
        : [];
      events.push(['queue', { from: previous?.name ?? null, to: queue?.name ?? null }]);
      if (queue && input.assigneeId === undefined) {
        const assignee = await roundRobinAssignee(tx, env.brandId, queue);
        if (assignee) {
          changes.assigneeId = assignee.id;
          events.push(['assignee', { from: ticket.assigneeId, to: assignee.id, by: 'round_robin' }]);
        }
      }
    }
  }
  if (input.tags !== undefined || input.addTags !== undefined || input.removeTags !== undefined) {
    const remove = new Set(normalizeTags(input.removeTags ?? []));
    const tags = normalizeTags([...(input.tags ?? ticket.tags), ...(input.addTags ?? [])]).filter(
      (t) => !remove.has(t),
    );
    if (tags.join('\n') !== ticket.tags.join('\n')) {
      changes.tags = tags;
      events.push(['tags', { from: ticket.tags, to: tags }]);
    }
  }
  if (input.category !== undefined && input.category !== ticket.category) {
    const categories = env.pack.manifest.categories;
    if (input.category && Object.keys(categories).length && !Object.hasOwn(categories, input.category)) {
      throw errors.field('category', `"${input.category}" is not a task category of this brand`);
    }
    changes.category = input.category;
    events.push(['category', { from: ticket.category, to: input.category }]);
  }
  if (input.subject !== undefined && input.subject !== ticket.subject) {
    changes.subject = input.subject;
    events.push(['subject', { from: ticket.subject, to: input.subject }]);
  }
  if (input.intentOverride !== undefined && input.intentOverride !== ticket.intentOverride) {
    if (input.intentOverride && !Object.hasOwn(env.pack.manifest.intents, input.intentOverride)) {
      throw errors.field('intentOverride', `"${input.intentOverride}" is not an intent of this brand's pack`);
    }
    changes.intentOverride = input.intentOverride;
    events.push(['intent', { from: ticket.intentOverride, to: input.intentOverride }]);
  }
  if (events.length === 0) return ticket;
  const saved = await saveTicket(tx, ctx, env, ticket, changes);
  for (const [kind, data] of events) await recordEvent(tx, ctx, saved, kind, data);
  if (changes.category)
    await categorizeTicketWork(tx, ctx, { ...env, ticketId: ticket.id, category: changes.category });
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'ticket',
    entityId: ticket.id,
    action: 'update',
    before: pick(ticket, changes),
    after: changes,
  });
  return saved;
}

function pick(row: TicketRow, changes: Partial<TicketRow>): Partial<TicketRow> {
  return Object.fromEntries(Object.keys(changes).map((k) => [k, row[k as keyof TicketRow]]));
}

/** The Message-ID of our own outbound mail. */
export function newMessageId(domain: string): string {
  return `<${randomUUID()}@${domain}>`;
}

/** The thread a reply continues: the latest message with a Message-ID and the chain before it. */
export async function threadHeaders(
  tx: Queryable,
  ticketId: string,
  sideConversationId: string | null,
): Promise<{ inReplyTo: string | null; references: string[] }> {
  const [last] = await tx
    .select({ id: messages.emailMessageId, refs: messages.references })
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticketId),
        isNotNull(messages.emailMessageId),
        ne(messages.kind, 'note'),
        sideConversationId
          ? eq(messages.sideConversationId, sideConversationId)
          : sql`${messages.sideConversationId} is null`,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.seq))
    .limit(1);
  if (!last?.id) return { inReplyTo: null, references: [] };
  return { inReplyTo: last.id, references: [...last.refs.filter((r) => r !== last.id), last.id].slice(-20) };
}

export type AgentMessageInput = {
  kind: 'reply' | 'note';
  body: string;
  bodyHtml?: string | undefined;
  macroName?: string | undefined;
  attachments?: AttachmentInput[] | undefined;
  version?: number | undefined;
  /** Set the ticket's status in the same step ("send and mark pending"). */
  status?: string | undefined;
};

/**
 * An agent's public reply or internal note. A reply to a customer with an email address is sent
 * from the outbox (a job written in this transaction), threaded on the conversation's Message-IDs.
 */
export async function addAgentMessage(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  ticketId: string,
  author: { userId: string | null; name: string },
  input: AgentMessageInput,
): Promise<{ ticket: TicketRow; message: MessageRow }> {
  let ticket = await lockTicket(tx, env.brandId, ticketId);
  checkVersion(ticket, input.version);
  if (ticket.mergedIntoId)
    throw errors.conflict('This ticket was merged into another; reply on the other ticket.');
  const workflow = ticketWorkflow(env.pack);
  if (workflow.category(ticket.status) === 'closed') {
    throw errors.conflict('This ticket is closed; a new message from the customer opens a new ticket.');
  }
  let customerEmail: string | null = null;
  if (input.kind === 'reply' && ticket.customerId) {
    const rows = rowsOf<{ email: string | null }>(
      await tx.execute(sql`select email from customers where id = ${ticket.customerId}`),
    );
    customerEmail = rows[0]?.email ?? null;
  }
  const email = input.kind === 'reply' && customerEmail !== null;
  const headers = email ? await threadHeaders(tx, ticket.id, null) : { inReplyTo: null, references: [] };
  const message = await insertMessage(tx, ctx, ticket, {
    kind: input.kind,
    body: input.body,
    bodyHtml: input.bodyHtml,
    authorType: 'agent',
    authorUserId: author.userId,
    fromName: author.name,
    toAddresses: email ? [customerEmail!] : [],
    subject: input.kind === 'reply' ? replySubject(ticket) : null,
    emailMessageId: email ? newMessageId(env.mailDomain) : null,
    inReplyTo: headers.inReplyTo,
    references: headers.references,
    macroName: input.macroName,
    attachments: input.attachments,
  });
  if (email) {
    await tx.update(messages).set({ deliveryState: 'queued' }).where(eq(messages.id, message.id));
    await enqueue(
      tx,
      {
        kind: 'email.send',
        brandId: env.brandId,
        payload: { messageId: message.id },
        runAt: ctx.now,
        uniqueKey: `email:${message.id}`,
      },
      ctx.now,
    );
  }
  const changes: Partial<TicketRow> = {};
  if (input.kind === 'reply') {
    changes.lastAgentReplyAt = ctx.now;
    if (!ticket.firstRespondedAt) changes.firstRespondedAt = ctx.now;
  }
  if (input.status !== undefined && input.status !== ticket.status) {
    if (!workflow.canMove(ticket.status, input.status)) {
      throw errors.field('status', `a ticket cannot move from "${ticket.status}" to "${input.status}"`);
    }
    changes.status = input.status;
    if (workflow.category(input.status) === 'solved') changes.solvedAt = ctx.now;
  }
  const previousStatus = ticket.status;
  ticket = await saveTicket(tx, ctx, env, ticket, changes);
  await recordEvent(tx, ctx, ticket, input.kind === 'reply' ? 'replied' : 'noted', {
    messageId: message.id,
    macro: input.macroName ?? null,
  });
  if (changes.status)
    await recordEvent(tx, ctx, ticket, 'status', { from: previousStatus, to: changes.status });
  await logAction(tx, ctx, { ...env, source: input.kind, ticket });
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'message',
    entityId: message.id,
    action: input.kind === 'reply' ? 'reply' : 'note',
    after: {
      ticketId: ticket.id,
      kind: input.kind,
      macro: input.macroName ?? null,
      length: input.body.length,
    },
  });
  return { ticket, message: { ...message, deliveryState: email ? 'queued' : null } };
}

export function replySubject(ticket: { subject: string; number: number }): string {
  const base = ticket.subject.replace(/^(\s*(re|fwd?|aw)\s*:\s*)+/i, '');
  return `Re: ${base} [#${ticket.number}]`;
}

/**
 * Merges one ticket into another of the same customer: messages, order links and side
 * conversations move to the survivor; the merged ticket is closed and points at it.
 */
export async function mergeTickets(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  sourceId: string,
  targetId: string,
  versions: { source?: number | undefined; target?: number | undefined },
): Promise<TicketRow> {
  if (sourceId === targetId) throw errors.field('intoTicketId', 'a ticket cannot be merged into itself');
  // Lock in id order so two opposite merges cannot deadlock.
  const [first, second] = [sourceId, targetId].sort();
  const locked = new Map<string, TicketRow>();
  for (const id of [first!, second!]) locked.set(id, await lockTicket(tx, env.brandId, id));
  const source = locked.get(sourceId)!;
  const target = locked.get(targetId)!;
  checkVersion(source, versions.source);
  checkVersion(target, versions.target);
  if (source.mergedIntoId || target.mergedIntoId)
    throw errors.conflict('One of the tickets was already merged.');
  if (!source.customerId || source.customerId !== target.customerId) {
    throw errors.field('intoTicketId', 'only tickets of the same customer can be merged');
  }
  const workflow = ticketWorkflow(env.pack);
  await tx
    .update(messages)
    .set({ ticketId: target.id, movedFromTicketId: source.id })
    .where(eq(messages.ticketId, source.id));
  await tx
    .update(sideConversations)
    .set({ ticketId: target.id })
    .where(eq(sideConversations.ticketId, source.id));
  const links = await tx.select().from(ticketOrders).where(eq(ticketOrders.ticketId, source.id));
  await linkOrders(
    tx,
    ctx,
    target,
    links.map((l) => l.orderId),
    'user',
  );
  const closed = workflow.firstOf('closed');
  const sourceSaved = await saveTicket(tx, ctx, env, source, {
    mergedIntoId: target.id,
    status: closed,
    slaDueAt: null,
  });
  const targetSaved = await saveTicket(tx, ctx, env, target, {
    tags: normalizeTags([...target.tags, ...source.tags]),
    lastCustomerMessageAt: latest(target.lastCustomerMessageAt, source.lastCustomerMessageAt),
  });
  await recordEvent(tx, ctx, sourceSaved, 'merged_into', { ticketId: target.id, number: target.number });
  await recordEvent(tx, ctx, targetSaved, 'merged_from', { ticketId: source.id, number: source.number });
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'ticket',
    entityId: source.id,
    action: 'merge',
    after: { mergedIntoId: target.id },
  });
  return targetSaved;
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** Moves one message out of a ticket into a new ticket of the same customer. */
export async function splitMessage(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  ticketId: string,
  messageId: string,
): Promise<TicketRow> {
  const source = await lockTicket(tx, env.brandId, ticketId);
  const [message] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.ticketId, source.id)));
  if (!message) throw errors.field('messageId', 'is not a message of this ticket');
  if (message.sideConversationId)
    throw errors.field('messageId', 'a side-conversation message cannot be split out');
  const count = rowsOf<{ n: number }>(
    await tx.execute(
      sql`select count(*)::int as n from messages where ticket_id = ${source.id} and side_conversation_id is null`,
    ),
  )[0]!.n;
  if (count < 2)
    throw errors.field('messageId', 'the ticket has only this message; there is nothing to split it from');
  const workflow = ticketWorkflow(env.pack);
  let [created] = (await tx
    .insert(tickets)
    .values({
      brandId: env.brandId,
      token: token(),
      customerId: source.customerId,
      channel: source.channel,
      subject: message.subject?.trim() || `Split from #${source.number}: ${source.subject}`,
      status: workflow.initial,
      priority: source.priority,
      queueId: source.queueId,
      tags: source.tags,
      lastCustomerMessageAt: message.authorType === 'customer' ? message.createdAt : null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning()) as [TicketRow];
  await tx
    .update(messages)
    .set({ ticketId: created.id, movedFromTicketId: source.id })
    .where(eq(messages.id, message.id));
  created = await refreshSla(tx, ctx, env, created);
  const saved = await saveTicket(tx, ctx, env, source, {});
  await recordEvent(tx, ctx, created, 'split_from', {
    ticketId: source.id,
    number: source.number,
    messageId,
  });
  await recordEvent(tx, ctx, saved, 'split_to', { ticketId: created.id, number: created.number, messageId });
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'ticket',
    entityId: created.id,
    action: 'split',
    after: { from: source.id, messageId },
  });
  return created;
}
