import { createHash } from 'node:crypto';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { AttachmentInput } from '../tickets/commands';
import { cleanMessageId, oneLine } from './addresses';
import { sanitizeHtml } from './sanitize';

export type MailAddress = { name: string | null; address: string };

/** An inbound email, reduced to what Casebook stores; HTML is already sanitised. */
export type ParsedEmail = {
  /** The sender's Message-ID, or one derived from the content when the mail has none. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  /** Other recipient headers that may carry our reply address (Delivered-To, X-Original-To). */
  deliveredTo: string[];
  subject: string;
  text: string;
  html: string | null;
  attachments: AttachmentInput[];
  date: Date | null;
  /**
   * SHA-256 of what the mail says (addresses, subject, date, bodies, attachments), not of its raw
   * bytes: the same mail relayed twice with different trace headers has the same hash.
   */
  contentHash: string;
};

/** A mail that cannot be read at all: refuse it for good rather than ask the sender to retry. */
export class UnreadableEmailError extends Error {}

/**
 * Parses a raw RFC 5322 message. Inline images (`cid:`) become `data:` URIs inside the HTML and are
 * not kept again as attachments; the plain text falls back to a rendering of the HTML.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipTextToHtml: true });
  } catch (error) {
    throw new UnreadableEmailError(`The message cannot be parsed: ${(error as Error).message}`);
  }
  // PostgreSQL text cannot hold NUL characters.
  const html = mail.html ? sanitizeHtml(mail.html.replaceAll('\u0000', '')) : null;
  const attachments = mail.attachments
    .filter((a) => !(a.related && a.cid && a.contentType.startsWith('image/')))
    .map((a, i) => ({
      filename: safeFilename(a.filename, i),
      contentType: /^[\w.+-]+\/[\w.+-]+$/.test(a.contentType)
        ? a.contentType.toLowerCase()
        : 'application/octet-stream',
      content: a.content,
    }));
  const from = addresses(mail.from)[0] ?? null;
  const to = addresses(mail.to);
  const cc = addresses(mail.cc);
  const subject = oneLine(mail.subject, 500);
  const text = (mail.text ?? '').replace(/\r\n/g, '\n').replaceAll('\u0000', '').trim();
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null;
  const contentHash = createHash('sha256')
    .update(
      JSON.stringify([
        mail.messageId ?? null,
        from,
        to,
        cc,
        subject,
        date?.toISOString() ?? null,
        text,
        mail.html || null,
        attachments.map((a) => [
          a.filename,
          a.contentType,
          createHash('sha256').update(a.content).digest('hex'),
        ]),
      ]),
    )
    .digest('hex');
  return {
    messageId: cleanMessageId(mail.messageId) ?? `<${contentHash.slice(0, 40)}@hash.casebook.invalid>`,
    inReplyTo: messageIds(mail.inReplyTo)[0] ?? null,
    references: messageIds(mail.references).slice(-50),
    from,
    to,
    cc,
    deliveredTo: ['delivered-to', 'x-original-to'].flatMap((h) => headerAddresses(mail.headers.get(h))),
    subject,
    text: text || (attachments.length ? '(attachments only)' : '(empty message)'),
    html: html?.trim() ? html : null,
    attachments,
    date,
    contentHash,
  };
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = Array.isArray(value) ? value : value ? [value] : [];
  return objects
    .flatMap((o) => o.value)
    .flatMap((a) => (a.group ? a.group : [a]))
    .filter((a) => a.address?.includes('@'))
    .map((a) => ({ name: oneLine(a.name, 200) || null, address: oneLine(a.address, 254).toLowerCase() }));
}

function headerAddresses(value: unknown): string[] {
  if (!value) return [];
  if (typeof value === 'string')
    return value
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter((v) => v.includes('@'));
  if (Array.isArray(value)) return value.flatMap(headerAddresses);
  return addresses(value as AddressObject).map((a) => a.address);
}

/** Message-IDs from In-Reply-To or References, in order, each `<…>`. */
function messageIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  return (text.match(/<[^<>\s]+>/g) ?? [])
    .map((id) => cleanMessageId(id))
    .filter((id): id is string => id !== null);
}

/** A file name without directories, control characters or reserved characters, at most 255 long. */
export function safeFilename(name: string | undefined, index: number): string {
  const base = oneLine(name ?? '', 1000)
    .split(/[\\/]/)
    .pop()!
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(-255);
  return base || `attachment-${index + 1}`;
}
