import { randomBytes } from 'node:crypto';
import { ticketWorkflow, type VendorPolicyDefinition, vendorPolicy } from '@casebook/core';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { audit } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import {
  attachments,
  customerEmails,
  customers,
  mailSettings,
  messages,
  sideConversations,
  vendors,
} from '../db/schema';
import { baseAddress } from '../email/addresses';
import { errors } from '../errors';
import { enqueue } from '../jobs/queue';
import {
  type BrandEnv,
  insertMessage,
  lockTicket,
  type MessageRow,
  newMessageId,
  type TicketRow,
  threadHeaders,
} from './commands';
import { recordEvent } from './events';

export type SideConversationRow = typeof sideConversations.$inferSelect;
export const SIDE_WITH = ['vendor', 'supplier', 'carrier'] as const;
export const SIDE_STATUSES = ['open', 'waiting', 'closed'] as const;

export type NewSideConversation = {
  with: (typeof SIDE_WITH)[number];
  vendorId?: string | undefined;
  to?: string | undefined;
  subject: string;
  body: string;
  macro?: string | undefined;
};

type Author = { userId: string | null; name: string };

/** Side-conversation tokens: lower-case letters and digits, as reply addresses need. */
const sideToken = () => randomBytes(12).toString('hex');

/** The ticket a side conversation hangs off, locked, refusing merged and closed tickets. */
async function workableTicket(tx: Queryable, env: BrandEnv, ticketId: string): Promise<TicketRow> {
  const ticket = await lockTicket(tx, env.brandId, ticketId);
  if (ticket.mergedIntoId)
    throw errors.conflict('This ticket was merged into another; work the other ticket.');
  if (ticketWorkflow(env.pack).category(ticket.status) === 'closed') {
    throw errors.conflict('This ticket is closed; side conversations can no longer be written from it.');
  }
  return ticket;
}

/** Where the side conversation goes: `to`, else the vendor's contact, else the pack's for the vendor. */
async function recipient(
  tx: Queryable,
  env: BrandEnv,
  ticket: TicketRow,
  input: NewSideConversation,
): Promise<{ to: string; vendorId: string | null; field: string }> {
  let vendor: typeof vendors.$inferSelect | undefined;
  if (input.vendorId) {
    [vendor] = await tx
      .select()
      .from(vendors)
      .where(and(eq(vendors.id, input.vendorId), eq(vendors.brandId, env.brandId)));
    if (!vendor) throw errors.field('vendorId', 'is not a vendor of this brand');
  }
  // The pack's policy object carries `contactEmail` when the pack sets one (core's VendorPolicy type omits it).
  const packContact = vendor
    ? (vendorPolicy(env.pack, vendor.name).policy as Partial<VendorPolicyDefinition>).contactEmail
    : undefined;
  const fromVendor = vendor ? (vendor.contactEmail ?? packContact) : undefined;
  const to = (input.to ?? fromVendor)?.trim().toLowerCase();
  const field = input.to ? 'to' : 'vendorId';
  if (!to) {
    throw errors.field(
      'to',
      vendor ? `is required: vendor "${vendor.name}" has no contact email` : 'is required without a vendorId',
    );
  }
  const customerAddresses = ticket.customerId
    ? [
        ...(await tx
          .select({ email: customerEmails.email })
          .from(customerEmails)
          .where(eq(customerEmails.customerId, ticket.customerId))),
        ...(await tx
          .select({ email: customers.email })
          .from(customers)
          .where(eq(customers.id, ticket.customerId))),
      ].map((r) => r.email?.toLowerCase())
    : [];
  if (customerAddresses.includes(to)) {
    throw errors.field(field, "is the customer's address; side conversations never go to the customer");
  }
  const [own] = await tx
    .select({ address: mailSettings.address })
    .from(mailSettings)
    .where(eq(mailSettings.brandId, env.brandId));
  if (own && baseAddress(to) === own.address.toLowerCase())
    throw errors.field(field, "is this brand's own support address");
  return { to, vendorId: vendor?.id ?? null, field };
}

/** Stores an agent's message in a side conversation; a reply goes out by email (the outbox job). */
async function addOutbound(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  ticket: TicketRow,
  side: SideConversationRow,
  author: Author,
  input: { kind: 'reply' | 'note'; body: string; macro?: string | undefined },
): Promise<MessageRow> {
  const reply = input.kind === 'reply';
  const headers = reply ? await threadHeaders(tx, ticket.id, side.id) : { inReplyTo: null, references: [] };
  const message = await insertMessage(tx, ctx, ticket, {
    kind: input.kind,
    body: input.body,
    authorType: 'agent',
    authorUserId: author.userId,
    fromName: author.name,
    toAddresses: reply ? [side.toAddress] : [],
    subject: reply ? side.subject : null,
    emailMessageId: reply ? newMessageId(env.mailDomain) : null,
    inReplyTo: headers.inReplyTo,
    references: headers.references,
    macroName: input.macro,
    sideConversationId: side.id,
  });
  if (!reply) return message;
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
  return { ...message, deliveryState: 'queued' };
}

/**
 * Opens a side conversation from a ticket with a vendor, supplier or carrier and sends its first
 * message. It waits for their answer (`waiting`); the customer is never a recipient.
 */
export async function createSideConversation(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  ticketId: string,
  author: Author,
  input: NewSideConversation,
): Promise<SideConversationRow> {
  const ticket = await workableTicket(tx, env, ticketId);
  const { to, vendorId } = await recipient(tx, env, ticket, input);
  const [side] = (await tx
    .insert(sideConversations)
    .values({
      brandId: env.brandId,
      ticketId: ticket.id,
      withKind: input.with,
      vendorId,
      toAddress: to,
      subject: input.subject,
      status: 'waiting',
      token: sideToken(),
      createdBy: actorLabel(ctx.actor),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning()) as [SideConversationRow];
  const message = await addOutbound(tx, ctx, env, ticket, side, author, {
    kind: 'reply',
    body: input.body,
    macro: input.macro,
  });
  await recordEvent(tx, ctx, ticket, 'side_conversation', {
    sideConversationId: side.id,
    with: side.withKind,
    to,
    messageId: message.id,
  });
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'side_conversation',
    entityId: side.id,
    action: 'create',
    after: {
      ticketId: ticket.id,
      with: side.withKind,
      vendorId,
      to,
      subject: side.subject,
      macro: input.macro ?? null,
    },
  });
  return side;
}

/** Loads a side conversation of the brand, or "No such side conversation". */
export async function sideConversationOf(
  tx: Queryable,
  brandId: string,
  id: string,
): Promise<SideConversationRow> {
  const [side] = await tx
    .select()
    .from(sideConversations)
    .where(and(eq(sideConversations.id, id), eq(sideConversations.brandId, brandId)));
  if (!side) throw errors.notFound('side conversation');
  return side;
}

/** An agent's reply (sent by email; the conversation then waits for an answer) or internal note. */
export async function addSideMessage(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  sideId: string,
  author: Author,
  input: { kind: 'reply' | 'note'; body: string },
): Promise<MessageRow> {
  const side = await sideConversationOf(tx, env.brandId, sideId);
  const ticket = await workableTicket(tx, env, side.ticketId);
  if (input.kind === 'reply' && side.status === 'closed') {
    throw errors.conflict('This side conversation is closed; reopen it to write to them again.');
  }
  const message = await addOutbound(tx, ctx, env, ticket, side, author, input);
  if (input.kind === 'reply' && side.status !== 'waiting') {
    await tx
      .update(sideConversations)
      .set({ status: 'waiting', updatedAt: ctx.now })
      .where(eq(sideConversations.id, side.id));
  }
  await recordEvent(tx, ctx, ticket, 'side_conversation_message', {
    sideConversationId: side.id,
    kind: input.kind,
    messageId: message.id,
  });
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'message',
    entityId: message.id,
    action: input.kind,
    after: { ticketId: ticket.id, sideConversationId: side.id, kind: input.kind, length: input.body.length },
  });
  return message;
}

/** Moves a side conversation to open, waiting or closed. */
export async function setSideConversationStatus(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  sideId: string,
  status: (typeof SIDE_STATUSES)[number],
): Promise<SideConversationRow> {
  const side = await sideConversationOf(tx, env.brandId, sideId);
  const ticket = await lockTicket(tx, env.brandId, side.ticketId);
  if (status === side.status) return side;
  const [saved] = (await tx
    .update(sideConversations)
    .set({ status, updatedAt: ctx.now })
    .where(eq(sideConversations.id, side.id))
    .returning()) as [SideConversationRow];
  await recordEvent(tx, ctx, ticket, 'side_conversation_status', {
    sideConversationId: side.id,
    from: side.status,
    to: status,
  });
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'side_conversation',
    entityId: side.id,
    action: 'update',
    before: { status: side.status },
    after: { status },
  });
  return saved;
}

/** A side conversation with its messages, oldest first, as the API returns it. */
export async function presentSideConversation(db: Queryable, side: SideConversationRow) {
  const rows = await db
    .select()
    .from(messages)
    .where(eq(messages.sideConversationId, side.id))
    .orderBy(asc(messages.createdAt), asc(messages.seq));
  const files = rows.length
    ? await db
        .select({
          id: attachments.id,
          messageId: attachments.messageId,
          filename: attachments.filename,
          contentType: attachments.contentType,
          size: attachments.size,
        })
        .from(attachments)
        .where(
          inArray(
            attachments.messageId,
            rows.map((m) => m.id),
          ),
        )
    : [];
  return {
    id: side.id,
    ticketId: side.ticketId,
    with: side.withKind,
    vendorId: side.vendorId,
    to: side.toAddress,
    subject: side.subject,
    status: side.status,
    createdBy: side.createdBy,
    createdAt: side.createdAt.toISOString(),
    updatedAt: side.updatedAt.toISOString(),
    messages: rows.map((m) => ({
      id: m.id,
      kind: m.kind,
      direction: m.direction,
      authorType: m.authorType,
      from: { name: m.fromName, address: m.fromAddress },
      to: m.toAddresses,
      subject: m.subject,
      bodyText: m.bodyText,
      bodyHtml: m.bodyHtml,
      deliveryState: m.deliveryState,
      macro: m.macroName,
      attachments: files
        .filter((f) => f.messageId === m.id)
        .map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size })),
      createdAt: m.createdAt.toISOString(),
    })),
  };
}
