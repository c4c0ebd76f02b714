import { randomUUID } from 'node:crypto';
import { ticketWorkflow } from '@casebook/core';
import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../audit';
import type { Deps, RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { runPrepared } from '../db/prepared';
import {
  brands,
  customerEmails,
  inboundEmails,
  mailSettings,
  messages,
  sideConversations,
  tickets,
} from '../db/schema';
import {
  autoLinkOrders,
  type BrandEnv,
  createTicket,
  insertMessage,
  lockTicket,
  type MessageInput,
  rowsOf,
  saveTicket,
  type TicketRow,
} from '../tickets/commands';
import { recordEvent } from '../tickets/events';
import { type AddressTag, addressTag, baseAddress } from './addresses';
import { type ParsedEmail, parseEmail } from './parse';

export type Envelope = { from?: string | undefined; to: string[] };
export type IngestResult = {
  outcome: 'stored' | 'duplicate' | 'no_brand';
  ticketId?: string;
  messageId?: string;
};

type SideRow = typeof sideConversations.$inferSelect;
type Thread = { ticketId: string; side?: SideRow };

/**
 * Stores one inbound email, exactly once, in one transaction: the `inbound_emails` row (a repeat of
 * the same Message-ID and content is a `duplicate` and writes nothing else), then the message on
 * the thread it continues, found by (a) the `+token` of the address it was sent to, (b) its
 * In-Reply-To / References, (c) a `[#number]` in the subject when the sender is that ticket's
 * customer; otherwise it opens a ticket. A side conversation's answers stay in the side
 * conversation. The caller may accept the mail once this resolves: it has committed.
 */
export async function ingestEmail(
  deps: Deps,
  raw: Buffer,
  envelope: Envelope,
  via: 'smtp' | 'imap',
): Promise<IngestResult> {
  const mail = await parseEmail(raw);
  const recipients = [
    ...envelope.to.map((a) => a.toLowerCase()),
    ...[...mail.to, ...mail.cc].map((a) => a.address),
    ...mail.deliveredTo,
  ];
  return deps.database.db.transaction(async (tx) => {
    const ctx: RequestContext = { actor: { kind: 'system', name: `email:${via}` }, now: deps.clock() };
    // The message's id is chosen now, so the mail is recorded with it, with its brand, at once.
    const messageId = randomUUID();
    const received = await receive(tx, recipients, {
      emailMessageId: mail.messageId,
      contentHash: mail.contentHash,
      messageId,
      via,
      now: ctx.now,
    });
    if (!received) return { outcome: 'no_brand' };
    if (!received.stored) return { outcome: 'duplicate' };
    const brand = received.brand;
    const pack = deps.packs.get(brand.row.packId);
    if (!pack) throw new Error(`The pack "${brand.row.packId}" of brand ${brand.row.slug} is not loaded.`);
    // What `brandEnv` reads, from the row already in hand.
    const env: BrandEnv = { brandId: brand.row.id, pack, mailDomain: brand.address.split('@')[1]! };
    const tags = recipients
      .filter((r) => baseAddress(r) === brand.address)
      .map(addressTag)
      .filter((t): t is AddressTag => t !== null);
    const sender = mail.from?.address ?? envelope.from?.toLowerCase() ?? null;
    const thread = await findThread(tx, env.brandId, mail, tags, sender);
    const stored = thread?.side
      ? await addSideReply(tx, ctx, env, thread.side, mail, via, messageId)
      : thread
        ? await addCustomerReply(tx, ctx, env, thread.ticketId, mail, sender, via, messageId)
        : await openTicket(tx, ctx, env, mail, sender, messageId);
    return { outcome: 'stored', ...stored };
  });
}

/**
 * Finds the brand receiving at one of these addresses (the first that matches, `+tags` ignored)
 * and records the mail for it, once: `stored` is false when the same Message-ID with the same
 * content was received before. Null when no brand receives at any of them.
 */
async function receive(
  tx: Queryable,
  recipients: string[],
  mail: { emailMessageId: string; contentHash: string; messageId: string; via: 'smtp' | 'imap'; now: Date },
): Promise<{
  brand: { row: { id: string; packId: string; slug: string }; address: string };
  stored: boolean;
} | null> {
  const bases = [...new Set(recipients.map(baseAddress))];
  if (bases.length === 0) return null;
  const p = (name: string) => sql.placeholder(name);
  const [row] = rowsOf<{ id: string; pack_id: string; slug: string; address: string; stored: boolean }>(
    await runPrepared(
      tx,
      'email.receive',
      () => sql`
        with b as (
          select b.id, b.pack_id, b.slug, lower(m.address) as address
          from ${mailSettings} m join ${brands} b on b.id = m.brand_id
          where lower(m.address) = any(${p('bases')}::text[])
          order by array_position(${p('bases')}::text[], lower(m.address)) limit 1
        ),
        i as (
          insert into ${inboundEmails} (brand_id, email_message_id, content_hash, message_id, received_via, received_at)
          select id, ${p('emailMessageId')}::text, ${p('contentHash')}::text, ${p('messageId')}::uuid, ${p('via')}::text,
            ${p('now')}::timestamptz from b
          on conflict do nothing
          returning id
        )
        select b.*, exists (select 1 from i) as stored from b`,
      { bases, ...mail },
    ),
  );
  if (!row) return null;
  return {
    brand: { row: { id: row.id, packId: row.pack_id, slug: row.slug }, address: row.address },
    stored: row.stored,
  };
}

async function findThread(
  tx: Queryable,
  brandId: string,
  mail: ParsedEmail,
  tags: AddressTag[],
  sender: string | null,
): Promise<Thread | null> {
  for (const tag of tags) {
    if (tag.kind === 'side') {
      const [side] = await tx
        .select()
        .from(sideConversations)
        .where(and(eq(sideConversations.brandId, brandId), eq(sideConversations.token, tag.token)));
      if (side) return { ticketId: side.ticketId, side };
    } else {
      const [ticket] = await tx
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(eq(tickets.brandId, brandId), eq(tickets.token, tag.token)));
      if (ticket) return { ticketId: ticket.id };
    }
  }
  const ids = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...mail.references.toReversed()];
  if (ids.length) {
    const rows = await tx
      .select({
        emailMessageId: messages.emailMessageId,
        ticketId: messages.ticketId,
        sideId: messages.sideConversationId,
      })
      .from(messages)
      .where(
        and(eq(messages.brandId, brandId), sql`${messages.emailMessageId} = any(${sql.param(ids)}::text[])`),
      );
    const hit = ids.map((id) => rows.find((r) => r.emailMessageId === id)).find((r) => r !== undefined);
    if (hit?.sideId) {
      const [side] = await tx.select().from(sideConversations).where(eq(sideConversations.id, hit.sideId));
      if (side) return { ticketId: side.ticketId, side };
    }
    if (hit) return { ticketId: hit.ticketId };
  }
  const number = mail.subject.match(/\[#(\d{1,15})\]/)?.[1];
  if (number && sender) {
    const [ticket] = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .innerJoin(customerEmails, eq(customerEmails.customerId, tickets.customerId))
      .where(
        and(
          eq(tickets.brandId, brandId),
          eq(tickets.number, Number(number)),
          eq(customerEmails.email, sender),
        ),
      );
    if (ticket) return { ticketId: ticket.id };
  }
  return null;
}

/** What every inbound message stores, whoever it is from. */
function messageInput(mail: ParsedEmail, authorType: MessageInput['authorType'], id: string): MessageInput {
  return {
    id,
    kind: 'reply',
    authorType,
    body: mail.text,
    bodyHtml: mail.html,
    fromName: mail.from?.name ?? null,
    fromAddress: mail.from?.address ?? null,
    toAddresses: mail.to.map((a) => a.address),
    ccAddresses: mail.cc.map((a) => a.address),
    subject: mail.subject || null,
    emailMessageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    attachments: mail.attachments,
  };
}

/** A new ticket from the sender; `followUpOf` is the closed ticket the mail answered. */
async function openTicket(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  mail: ParsedEmail,
  sender: string | null,
  messageId: string,
  followUpOf?: TicketRow,
): Promise<{ ticketId: string; messageId: string }> {
  const { ticket, message } = await createTicket(tx, ctx, env, {
    channel: 'email',
    subject: mail.subject || '(no subject)',
    customer: sender ? { email: sender, name: mail.from?.name ?? undefined } : undefined,
    message: { ...messageInput(mail, 'customer', messageId), fromAddress: sender },
  });
  if (followUpOf) {
    await recordEvent(tx, ctx, ticket, 'follow_up_of', {
      ticketId: followUpOf.id,
      number: followUpOf.number,
    });
  }
  return { ticketId: ticket.id, messageId: message.id };
}

/**
 * The customer's answer on a ticket: a merged ticket forwards to the one it was merged into; a
 * closed ticket is never reopened (a new ticket links to it); a solved or pending one reopens.
 */
async function addCustomerReply(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  ticketId: string,
  mail: ParsedEmail,
  sender: string | null,
  via: 'smtp' | 'imap',
  messageId: string,
): Promise<{ ticketId: string; messageId: string }> {
  const ticket = await lockSurvivor(tx, env.brandId, ticketId);
  const workflow = ticketWorkflow(env.pack);
  const category = workflow.category(ticket.status);
  if (category === 'closed') return openTicket(tx, ctx, env, mail, sender, messageId, ticket);
  const message = await insertMessage(tx, ctx, ticket, messageInput(mail, 'customer', messageId));
  const changes: Partial<TicketRow> = { lastCustomerMessageAt: ctx.now };
  const reopen = category === 'solved' || category === 'pending';
  if (reopen) {
    changes.status = workflow.initial;
    changes.solvedAt = null;
  }
  const saved = await saveTicket(tx, ctx, env, ticket, changes);
  await recordEvent(tx, ctx, saved, 'customer_replied', { messageId: message.id, via });
  if (reopen)
    await recordEvent(tx, ctx, saved, 'status', {
      from: ticket.status,
      to: saved.status,
      by: 'customer_reply',
    });
  await autoLinkOrders(tx, ctx, saved, `${mail.subject}\n${mail.text}`, sender);
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'message',
    entityId: message.id,
    action: 'receive',
    after: { ticketId: saved.id, via, from: sender, reopened: reopen ? saved.status : null },
  });
  return { ticketId: saved.id, messageId: message.id };
}

/**
 * Locks the ticket mail for `ticketId` belongs on: itself, or the ticket it was merged into (and
 * so on). The chain is read without locks, so a concurrent merge (which locks in id order) cannot
 * deadlock with us; a merge that committed while we waited is followed after the lock.
 */
async function lockSurvivor(tx: Queryable, brandId: string, ticketId: string): Promise<TicketRow> {
  let id = ticketId;
  for (let hops = 0; hops < 20; hops++) {
    const [row] = await tx
      .select({ mergedIntoId: tickets.mergedIntoId })
      .from(tickets)
      .where(eq(tickets.id, id));
    if (row?.mergedIntoId) {
      id = row.mergedIntoId;
      continue;
    }
    const ticket = await lockTicket(tx, brandId, id);
    if (!ticket.mergedIntoId) return ticket;
    id = ticket.mergedIntoId;
  }
  return lockTicket(tx, brandId, id);
}

/** A vendor's, supplier's or carrier's answer: in the side conversation only, which opens again. */
async function addSideReply(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  side: SideRow,
  mail: ParsedEmail,
  via: 'smtp' | 'imap',
  messageId: string,
): Promise<{ ticketId: string; messageId: string }> {
  const ticket = await lockTicket(tx, env.brandId, side.ticketId);
  const message = await insertMessage(tx, ctx, ticket, {
    ...messageInput(mail, side.withKind, messageId),
    sideConversationId: side.id,
  });
  await tx
    .update(sideConversations)
    .set({ status: 'open', updatedAt: ctx.now })
    .where(eq(sideConversations.id, side.id));
  await recordEvent(tx, ctx, ticket, 'side_conversation_reply', {
    sideConversationId: side.id,
    messageId: message.id,
    via,
  });
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'message',
    entityId: message.id,
    action: 'receive',
    after: { ticketId: ticket.id, sideConversationId: side.id, via, from: mail.from?.address ?? null },
  });
  return { ticketId: ticket.id, messageId: message.id };
}
