import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Pack, ticketWorkflow } from '@casebook/core';
import { and, desc, eq, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import { audit, auditMany } from '../audit';
import type { RequestContext } from '../context';
import { anyOf } from '../db/anyOf';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import {
  attachments,
  memberships,
  messages,
  orders,
  queues,
  sideConversations,
  ticketOrders,
  tickets,
  users,
} from '../db/schema';
import { errors } from '../errors';
import { enqueue } from '../jobs/queue';
import { type CustomerInput, findOrCreateCustomer } from './customers';
import { recordEvent } from './events';
import { policyFor, refreshSla, scheduleSlaCheck, slaFields } from './sla';

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
  const [queue] = await tx
    .select()
    .from(queues)
    .where(and(eq(queues.brandId, brandId), eq(queues.name, name)));
  if (!queue) throw errors.field('queue', `"${name}" is not a queue of this brand`);
  return queue;
}

/** The next person of a round-robin queue, after the one who got the previous ticket. */
async function roundRobinAssignee(
  tx: Queryable,
  brandId: string,
  queueRow: typeof queues.$inferSelect,
): Promise<string | null> {
  if (queueRow.assignment !== 'round_robin' || queueRow.memberIds.length === 0) return null;
  // NO KEY UPDATE, not UPDATE: the ticket's foreign key already holds KEY SHARE on this row, and
  // two tickets entering the queue at once must queue up here rather than deadlock.
  const [queue] = await tx
    .select()
    .from(queues)
    .where(and(eq(queues.id, queueRow.id), eq(queues.brandId, brandId)))
    .for('no key update');
  if (queue?.assignment !== 'round_robin' || queue.memberIds.length === 0) return null;
  const active = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.brandId, brandId),
        anyOf(memberships.userId, queue.memberIds),
        sql`${users.disabledAt} is null`,
      ),
    );
  const eligible = queue.memberIds.filter((id) => active.some((a) => a.userId === id));
  if (eligible.length === 0) return null;
  const last = queue.lastAssignedUserId ? eligible.indexOf(queue.lastAssignedUserId) : -1;
  const next = eligible[(last + 1) % eligible.length]!;
  await tx.update(queues).set({ lastAssignedUserId: next }).where(eq(queues.id, queue.id));
  return next;
}

/**
 * Which of these users are members of the brand whose role works tickets (enabled accounts only,
 * unless `includeDisabled`): who may be assigned tickets or take part in a round-robin queue.
 */
export async function ticketWorkers(
  tx: Queryable,
  brandId: string,
  userIds: readonly string[],
  options: { includeDisabled?: boolean } = {},
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = rowsOf<{ user_id: string }>(
    await tx.execute(sql`
      select m.user_id from memberships m join roles r on r.id = m.role_id join users u on u.id = m.user_id
      where m.brand_id = ${brandId} and m.user_id = any(${sql.param(userIds)}::uuid[])
        and 'tickets.work' = any(r.capabilities)
        ${options.includeDisabled ? sql`` : sql`and u.disabled_at is null`}`),
  );
  return new Set(rows.map((r) => r.user_id));
}

/** Checks that a user may be given tickets of the brand: a member whose role works tickets. */
export async function assertAssignable(tx: Queryable, brandId: string, userId: string): Promise<void> {
  if (!(await ticketWorkers(tx, brandId, [userId])).has(userId)) {
    throw errors.field('assigneeId', 'is not a member of this brand who works tickets');
  }
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
    .values({
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
      macroName: input.macroName ?? null,
      createdAt: ctx.now,
    })
    .returning()) as [MessageRow];
  if (input.attachments?.length) {
    await tx.insert(attachments).values(
      input.attachments.map((a) => ({
        brandId: ticket.brandId,
        messageId: message.id,
        filename: a.filename,
        contentType: a.contentType,
        size: a.content.length,
        sha256: sha256(a.content),
        content: a.content,
        createdAt: ctx.now,
      })),
    );
  }
  return message;
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

/**
 * Opens a ticket with its first message, in one transaction: customer, queue (and round-robin
 * assignee), linked orders, SLA targets and their timer, history, audit. With an idempotency key,
 * a repeated request returns the ticket the first one made.
 */
export async function createTicket(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  input: CreateTicketInput,
): Promise<{ ticket: TicketRow; message: MessageRow; created: boolean }> {
  if (input.idempotencyKey) {
    const [existing] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.brandId, env.brandId), eq(tickets.idempotencyKey, input.idempotencyKey)));
    if (existing) {
      const [first] = await tx
        .select()
        .from(messages)
        .where(eq(messages.ticketId, existing.id))
        .orderBy(messages.createdAt, messages.seq)
        .limit(1);
      return { ticket: existing, message: first!, created: false };
    }
  }
  const workflow = ticketWorkflow(env.pack);
  const status = input.status ?? workflow.initial;
  if (!workflow.category(status)) {
    throw errors.field(
      'status',
      `"${status}" is not a ticket status of this brand (${workflow.statuses.map((s) => s.name).join(', ')})`,
    );
  }
  const customer =
    input.customer?.email || input.customer?.name || input.customer?.phone
      ? await findOrCreateCustomer(tx, ctx, env.brandId, input.customer)
      : null;
  const queue = input.queueName ? await queueByName(tx, env.brandId, input.queueName) : null;
  if (input.assigneeId) await assertAssignable(tx, env.brandId, input.assigneeId);
  const fromCustomer = input.message.authorType === 'customer';
  const priority = input.priority ?? 'normal';
  // The SLA targets are known before the ticket exists, so it is written once with them.
  const sla = slaFields(
    env,
    await policyFor(tx, env.brandId, priority),
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
  let ticket: TicketRow;
  try {
    [ticket] = (await tx
      .insert(tickets)
      .values({
        brandId: env.brandId,
        token: token(),
        customerId: customer?.id ?? null,
        channel: input.channel,
        subject: input.subject,
        status,
        active: isActiveStatus(env.pack, status),
        priority,
        assigneeId: input.assigneeId ?? null,
        queueId: queue?.id ?? null,
        tags: normalizeTags(input.tags ?? []),
        category: input.category ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
        lastCustomerMessageAt: fromCustomer ? ctx.now : null,
        ...sla.fields,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()) as [TicketRow];
  } catch (error) {
    if (isUniqueViolation(error) && input.idempotencyKey) {
      throw errors.conflict('A ticket with this Idempotency-Key is being created; retry the request.');
    }
    throw error;
  }
  if (!ticket.assigneeId && queue) {
    const assignee = await roundRobinAssignee(tx, env.brandId, queue);
    if (assignee) {
      await tx.update(tickets).set({ assigneeId: assignee }).where(eq(tickets.id, ticket.id));
      ticket = { ...ticket, assigneeId: assignee };
    }
  }
  const message = await insertMessage(tx, ctx, ticket, {
    ...input.message,
    kind: input.message.kind ?? (fromCustomer ? 'reply' : 'note'),
    subject: input.message.subject ?? input.subject,
  });
  await recordEvent(tx, ctx, ticket, 'created', {
    channel: ticket.channel,
    status,
    queue: queue?.name ?? null,
    assigneeId: ticket.assigneeId,
  });
  if (input.orderNumbers?.length) {
    const found = await tx
      .select({ id: orders.id, number: orders.number })
      .from(orders)
      .where(and(eq(orders.brandId, env.brandId), anyOf(orders.number, input.orderNumbers, 'text')));
    const missing = input.orderNumbers.filter((n) => !found.some((f) => f.number === n));
    if (missing.length)
      throw errors.field('orderNumbers', `no order ${missing.map((m) => `"${m}"`).join(', ')} in this brand`);
    await linkOrders(
      tx,
      ctx,
      ticket,
      found.map((f) => f.id),
      'user',
    );
  }
  await autoLinkOrders(tx, ctx, ticket, `${input.subject}\n${input.message.body}`, customer?.email);
  await scheduleSlaCheck(tx, ctx, ticket, sla.dueAt, sla.warnMinutes);
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'ticket',
    entityId: ticket.id,
    action: 'create',
    after: ticket,
  });
  return { ticket, message, created: true };
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
          changes.assigneeId = assignee;
          events.push(['assignee', { from: ticket.assigneeId, to: assignee, by: 'round_robin' }]);
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
