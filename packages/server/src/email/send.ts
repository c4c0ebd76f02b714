import { and, eq, notInArray, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Db, Queryable } from '../db/client';
import { attachments, customers, mailSettings, messages, sideConversations, tickets } from '../db/schema';
import { defineJob } from '../jobs/define';
import { cleanMessageId, oneLine, taggedAddress } from './addresses';

type Transporter = ReturnType<typeof nodemailer.createTransport>;
const transports = new Map<string, Transporter>();

/** One transport per SMTP URL, reused across jobs (nodemailer opens a connection per message). */
function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
}

/**
 * The mail of one outbound message, as nodemailer takes it. Every header value passes `oneLine`
 * (names, subject, file names) or a strict check (addresses, Message-IDs), so nothing a customer,
 * vendor or agent typed can add a header line.
 */
export async function composeMessage(db: Queryable, messageId: string) {
  const [row] = await db
    .select({ message: messages, ticket: tickets, settings: mailSettings, side: sideConversations })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .leftJoin(mailSettings, eq(mailSettings.brandId, messages.brandId))
    .leftJoin(sideConversations, eq(sideConversations.id, messages.sideConversationId))
    .where(eq(messages.id, messageId));
  if (!row) return null;
  const { message, ticket, settings, side } = row;
  if (!settings) throw new Error(`Brand ${message.brandId} has no mail settings to send from.`);
  const [customer] =
    ticket.customerId && !side
      ? await db
          .select({ name: customers.name, email: customers.email })
          .from(customers)
          .where(eq(customers.id, ticket.customerId))
      : [];
  const files = await db.select().from(attachments).where(eq(attachments.messageId, message.id));
  const address = (a: string) => oneLine(a, 254).replace(/[<>",;\s]/g, '');
  const from = taggedAddress(
    settings.address,
    side ? { kind: 'side', token: side.token } : { kind: 'ticket', token: ticket.token },
  );
  return {
    message,
    mail: {
      from: { name: oneLine(settings.fromName, 200), address: from },
      to: message.toAddresses.map((a) => ({
        name: customer?.email?.toLowerCase() === a.toLowerCase() ? oneLine(customer.name, 200) : '',
        address: address(a),
      })),
      cc: message.ccAddresses.map(address),
      subject: oneLine(message.subject ?? side?.subject ?? ticket.subject, 500),
      text: message.bodyText,
      ...(message.bodyHtml ? { html: message.bodyHtml } : {}),
      messageId: cleanMessageId(message.emailMessageId) ?? undefined,
      inReplyTo: cleanMessageId(message.inReplyTo) ?? undefined,
      references: message.references.map(cleanMessageId).filter((id): id is string => id !== null),
      attachments: files.map((f, i) => ({
        filename: oneLine(f.filename, 255) || `attachment-${i + 1}`,
        contentType: f.contentType,
        content: f.content,
      })),
    },
  };
}

async function setDeliveryState(db: Queryable, messageId: string, state: 'sent' | 'kept' | 'failed') {
  await db
    .update(messages)
    .set({ deliveryState: state })
    .where(
      and(
        eq(messages.id, messageId),
        notInArray(sql`coalesce(${messages.deliveryState}, '')`, ['sent', 'kept']),
      ),
    );
}

/**
 * Sends one outbound message (a ticket reply or a side-conversation message) through `SMTP_URL`,
 * or, without one, keeps it in the local mailbox (`delivery_state = 'kept'`, read at
 * `GET /brands/:id/outbox`). A message already sent or kept is not sent again; after the last
 * failed attempt it is marked `failed`.
 */
export async function sendMessage(
  db: Db,
  smtpUrl: string | undefined,
  messageId: string,
): Promise<'sent' | 'kept' | 'skipped'> {
  const composed = await composeMessage(db, messageId);
  if (!composed) return 'skipped';
  const state = composed.message.deliveryState;
  if (state === 'sent' || state === 'kept') return 'skipped';
  if (!smtpUrl) {
    await setDeliveryState(db, messageId, 'kept');
    return 'kept';
  }
  await transportFor(smtpUrl).sendMail(composed.mail);
  await setDeliveryState(db, messageId, 'sent');
  return 'sent';
}

/** The job ticket commands enqueue for each outbound message (unique key `email:<messageId>`). */
export const emailSendJob = defineJob<{ messageId: string }>('email.send', {
  mode: 'lease',
  // Longer than nodemailer's connection and greeting timeouts, so a slow relay is not sent twice.
  leaseMs: 10 * 60_000,
  parse(payload) {
    const messageId = (payload as { messageId?: unknown }).messageId;
    if (typeof messageId !== 'string') throw new Error('messageId: must be a string');
    return { messageId };
  },
  async run({ db, payload, deps }) {
    await sendMessage(db, deps.config.smtpUrl, payload.messageId);
  },
  async onFailed({ tx, job }) {
    const messageId = (job.payload as { messageId?: unknown }).messageId;
    if (typeof messageId === 'string') await setDeliveryState(tx, messageId, 'failed');
  },
});
