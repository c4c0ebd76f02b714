import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import MailComposer from 'nodemailer/lib/mail-composer';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachments, mailSettings, messages, tickets } from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand } from '../test/factories';
import { type Harness, testApp } from '../test/harness';
import { ingestEmail } from './ingest';
import { sanitizeHtml } from './sanitize';
import { XSS_PAYLOADS } from './xssCorpus';

const FORBIDDEN_TAGS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'form',
  'input',
  'button',
  'textarea',
  'svg',
  'math',
  'meta',
  'base',
  'link',
  'template',
  'noscript',
  'xmp',
  'isindex',
  'body',
  'video',
  'audio',
  'source',
]);

const decode = (value: string) =>
  value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * What is wrong with stored HTML, if anything. sanitize-html escapes `<` and `>` in text and
 * attribute values, so every `<` in its output opens a real tag and a regular scan is exact.
 */
function problems(html: string): string[] {
  const found: string[] = [];
  if (/<script/i.test(html)) found.push('<script');
  for (const [, name, rest] of html.matchAll(/<\/?([a-zA-Z][\w:-]*)([^>]*)>/g)) {
    if (FORBIDDEN_TAGS.has(name!.toLowerCase())) found.push(`<${name}>`);
    for (const [, attr, value] of rest!.matchAll(/\s([^\s=/>"]+)(?:\s*=\s*"([^"]*)")?/g)) {
      if (/^on/i.test(attr!)) found.push(`${attr}= on <${name}>`);
      if (attr === 'style' || attr === 'srcdoc' || attr === 'formaction') found.push(`${attr} on <${name}>`);
      const url = decode(value ?? '')
        .replace(/[\p{Cc}\s]/gu, '')
        .toLowerCase();
      if (/^(javascript|vbscript):/.test(url)) found.push(`${attr}=${url.slice(0, 20)}`);
      if (
        url.startsWith('data:') &&
        !(name === 'img' && /^data:image\/(png|gif|jpe?g|webp|bmp)[;,]/.test(url))
      ) {
        found.push(`${attr}=${url.slice(0, 20)}`);
      }
    }
  }
  return found;
}

describe('script injection in inbound mail', () => {
  let h: Harness;
  let brand: BrandRow;
  let address: string;

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h);
    const [settings] = await h.deps.database.db
      .select()
      .from(mailSettings)
      .where(eq(mailSettings.brandId, brand.id));
    address = settings!.address;
  });

  it(`has at least 60 payloads (${XSS_PAYLOADS.length})`, () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(XSS_PAYLOADS).size).toBe(XSS_PAYLOADS.length);
  });

  it('the checker itself catches unsanitised HTML', () => {
    expect(problems('<img src="x" onerror="alert(1)">')).toEqual(['onerror= on <img>']);
    expect(problems('<a href="&#106;avascript:alert(1)">x</a>')).toEqual(['href=javascript:alert(1)']);
    expect(problems('<iframe src="data:text/html,x"></iframe>')).toHaveLength(3);
    expect(problems('<p>&lt;script&gt; onerror=alert(1) javascript:x</p>')).toEqual([]);
  });

  it('sanitises every payload on its own', () => {
    for (const payload of XSS_PAYLOADS) {
      expect(problems(sanitizeHtml(`<p>before</p>${payload}<p>after</p>`)), payload).toEqual([]);
    }
  });

  it('stores mails carrying the payloads in body, subject, sender name and file name with safe HTML and one-line text', async () => {
    const db = h.deps.database.db;
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      const messageId = `<xss-${i}-${randomUUID()}@example.com>`;
      const raw = await new MailComposer({
        from: { name: payload, address: `xss-${i}@example.com` },
        to: address,
        subject: payload,
        messageId,
        text: `Plain ${i}`,
        html: `<p>before</p>${payload}<p>after</p>`,
        attachments: [{ filename: `${payload}.txt`, content: 'x', contentType: 'text/plain' }],
      })
        .compile()
        .build();
      const result = await ingestEmail(h.deps, raw, { to: [address] }, 'smtp');
      expect(result.outcome, payload).toBe('stored');
      const [message] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.brandId, brand.id), eq(messages.emailMessageId, messageId)));
      expect(message, payload).toBeDefined();
      expect(problems(message!.bodyHtml ?? ''), payload).toEqual([]);
      expect(message!.bodyHtml, payload).toMatch(/^<p>before<\/p>/);
      for (const text of [message!.subject ?? '', message!.fromName ?? '']) {
        expect(text, payload).not.toMatch(/\p{Cc}/u);
      }
      const [ticket] = await db.select().from(tickets).where(eq(tickets.id, message!.ticketId));
      expect(ticket!.subject, payload).not.toMatch(/[\r\n]/);
      const files = await db.select().from(attachments).where(eq(attachments.messageId, message!.id));
      expect(files, payload).toHaveLength(1);
      expect(files[0]!.filename, payload).not.toMatch(/[\\/<>:"|?*\p{Cc}]/u);
    }
  });
});
