import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { describe, expect, it } from 'vitest';
import { addressTag, baseAddress, taggedAddress } from './addresses';
import { parseEmail, safeFilename } from './parse';

const build = (mail: Mail.Options) => new MailComposer(mail).compile().build();
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('parseEmail', () => {
  it('reads addresses, threading headers, bodies and attachments', async () => {
    const parsed = await parseEmail(
      await build({
        from: { name: 'Dana Reyes', address: 'Dana@Example.com' },
        to: [{ name: 'Support', address: 'support+abc123@store.example' }],
        cc: 'ops@store.example',
        subject: 'Where is order A1007?',
        messageId: '<m2@example.com>',
        inReplyTo: '<m1@store.example>',
        references: ['<m0@example.com>', '<m1@store.example>'],
        text: 'Plain words',
        html: '<p onclick="x()">Hello <img src="cid:logo"></p>',
        attachments: [
          { filename: '../../etc/invoice.pdf', content: Buffer.from('%PDF'), contentType: 'application/pdf' },
          { filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo' },
        ],
      }),
    );
    expect(parsed).toMatchObject({
      messageId: '<m2@example.com>',
      inReplyTo: '<m1@store.example>',
      references: ['<m0@example.com>', '<m1@store.example>'],
      from: { name: 'Dana Reyes', address: 'dana@example.com' },
      to: [{ name: 'Support', address: 'support+abc123@store.example' }],
      cc: [{ name: null, address: 'ops@store.example' }],
      subject: 'Where is order A1007?',
      text: 'Plain words',
    });
    expect(parsed.html).toMatch(/^<p>Hello <img src="data:image\/png;base64,/);
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ['invoice.pdf', 'application/pdf', '%PDF'],
    ]);
  });

  it('falls back to the HTML for the text, and derives a stable Message-ID from the content', async () => {
    const raw = (received: string) =>
      Buffer.from(
        [
          `Received: ${received}`,
          'From: a@example.com',
          'To: support@store.example',
          'Subject: No id',
          'Date: Mon, 2 Mar 2026 10:00:00 +0000',
          'Content-Type: text/html; charset=utf-8',
          '',
          '<h1>Hi</h1><p>Line <b>two</b></p>',
        ].join('\r\n'),
      );
    const first = await parseEmail(raw('by relay-a'));
    const second = await parseEmail(raw('by relay-b'));
    expect(first.messageId).toMatch(/^<[0-9a-f]{40}@hash\.casebook\.invalid>$/);
    expect(second.messageId).toBe(first.messageId);
    expect(second.contentHash).toBe(first.contentHash);
    expect(first.text).toContain('Line two');
    expect(first.text).not.toContain('<');
    expect(first.html).toBe('<h1>Hi</h1><p>Line <b>two</b></p>');
  });

  it('names files safely', () => {
    expect(safeFilename('C:\\Users\\x\\report.pdf', 0)).toBe('report.pdf');
    expect(safeFilename('..\r\n.htaccess', 0)).toBe('htaccess');
    expect(safeFilename('<img src=x onerror=alert(1)>.png', 0)).toBe('_img src=x onerror=alert(1)_.png');
    expect(safeFilename(undefined, 2)).toBe('attachment-3');
  });
});

describe('reply addresses', () => {
  it('tags the support address for a ticket or a side conversation, unambiguously', () => {
    expect(taggedAddress('support@store.example', { kind: 'ticket', token: 'k3j9' })).toBe(
      'support+k3j9@store.example',
    );
    expect(taggedAddress('support@store.example', { kind: 'side', token: 'ab12' })).toBe(
      'support+side-ab12@store.example',
    );
    expect(addressTag('Support+K3J9@store.example')).toEqual({ kind: 'ticket', token: 'k3j9' });
    expect(addressTag('support+side-ab12@store.example')).toEqual({ kind: 'side', token: 'ab12' });
    expect(addressTag('support@store.example')).toBeNull();
    expect(addressTag('support+no.way@store.example')).toBeNull();
    expect(baseAddress('Support+side-ab12@Store.example')).toBe('support@store.example');
  });
});
