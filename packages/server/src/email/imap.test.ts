import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import hoodiecrow from 'hoodiecrow-imap';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { inboundEmails, jobs, mailSettings, messages } from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand } from '../test/factories';
import { type Harness, testApp } from '../test/harness';
import { imapPollJob, pollMailbox, scheduleImapPolls } from './imap';

describe('IMAP poller against an IMAP server on loopback', () => {
  let h: Harness;
  let brand: BrandRow;
  let imap: ReturnType<typeof hoodiecrow>;
  let port: number;
  const unique = randomUUID().slice(0, 8);
  const id = (n: string) => `<imap-${n}-${unique}@example.com>`;

  const mail = (n: string, extra: string[] = []) =>
    [
      `From: Pat <pat-${unique}@example.com>`,
      `To: ADDRESS`,
      `Subject: Mail ${n}`,
      `Message-ID: ${id(n)}`,
      ...extra,
      '',
      `Body ${n}`,
      '',
    ].join('\r\n');

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h);
    const [settings] = await h.deps.database.db
      .select()
      .from(mailSettings)
      .where(eq(mailSettings.brandId, brand.id));
    const to = (raw: string) => raw.replace('ADDRESS', settings!.address);
    imap = hoodiecrow({
      plugins: ['ID', 'UNSELECT', 'ENABLE', 'SASL-IR', 'AUTH-PLAIN'],
      storage: {
        INBOX: {
          messages: [
            { raw: to(mail('a')), flags: [] },
            { raw: to(mail('b', [`In-Reply-To: ${id('a')}`])), flags: [] },
            { raw: to(mail('old')), flags: ['\\Seen'] },
          ],
        },
      },
    });
    await new Promise<void>((resolve) => imap.listen(0, '127.0.0.1', resolve));
    port = (imap.server.address() as { port: number }).port;
    await h.deps.database.db
      .update(mailSettings)
      .set({
        imap: {
          host: '127.0.0.1',
          port,
          secure: false,
          user: 'testuser',
          password: 'testpass',
          mailbox: 'INBOX',
        },
      })
      .where(eq(mailSettings.brandId, brand.id));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (imap ? imap.close(() => resolve()) : resolve()));
  });

  async function withClient<T>(use: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user: 'testuser', pass: 'testpass' },
      logger: false,
    });
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      return await use(client);
    } finally {
      await client.logout();
    }
  }

  const unseen = () =>
    withClient(async (client) => (await client.search({ seen: false }, { uid: true })) || []);

  const stored = (n: string) =>
    h.deps.database.db
      .select()
      .from(messages)
      .where(and(eq(messages.brandId, brand.id), eq(messages.emailMessageId, id(n))));

  it('leaves mail unseen while the database fails, then ingests each unseen message once and marks it seen', async () => {
    const db = h.deps.database.db;
    const broken = new Proxy(db, {
      get: (target, prop) =>
        prop === 'transaction'
          ? () => Promise.reject(new Error('Connection terminated'))
          : Reflect.get(target, prop, target),
    }) as Db;
    await expect(
      pollMailbox({ ...h.deps, database: { ...h.deps.database, db: broken } }, brand.id),
    ).rejects.toThrow('Connection terminated');
    expect(await unseen()).toHaveLength(2);

    expect(await pollMailbox(h.deps, brand.id)).toEqual({
      unseen: 2,
      stored: 2,
      duplicates: 0,
      unreadable: 0,
    });
    const [a] = await stored('a');
    const [b] = await stored('b');
    expect(b!.ticketId).toBe(a!.ticketId);
    expect(await stored('old')).toEqual([]);
    const [row] = await db
      .select()
      .from(inboundEmails)
      .where(eq(inboundEmails.emailMessageId, id('a')));
    expect(row).toMatchObject({ brandId: brand.id, receivedVia: 'imap', messageId: a!.id });
    expect(await unseen()).toEqual([]);
    expect(await pollMailbox(h.deps, brand.id)).toEqual({
      unseen: 0,
      stored: 0,
      duplicates: 0,
      unreadable: 0,
    });

    // Stored but not marked seen (a crash between the two): the next poll recognises it.
    await withClient((client) => client.messageFlagsRemove('1', ['\\Seen'], { uid: true }));
    expect(await pollMailbox(h.deps, brand.id)).toEqual({
      unseen: 1,
      stored: 0,
      duplicates: 1,
      unreadable: 0,
    });
    expect(await stored('a')).toHaveLength(1);
  });

  it('schedules one pending poll per brand with a mailbox, rescheduled every minute', async () => {
    const db = h.deps.database.db;
    const now = h.clock.now();
    // In a transaction rolled back at the end, so no poll of another test's brand is left behind.
    await db
      .transaction(async (tx) => {
        await scheduleImapPolls(tx, now);
        await scheduleImapPolls(tx, now);
        const pending = await tx
          .select()
          .from(jobs)
          .where(
            and(
              eq(jobs.kind, 'imap.poll'),
              eq(jobs.uniqueKey, `imap:${brand.id}`),
              eq(jobs.state, 'pending'),
            ),
          );
        expect(pending).toHaveLength(1);
        expect(pending[0]).toMatchObject({ brandId: brand.id, payload: { brandId: brand.id } });
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || !/rollback/i.test(error.message)) throw error;
      });
    expect(imapPollJob).toMatchObject({ kind: 'imap.poll', mode: 'lease' });
    expect(imapPollJob.backoff?.(3)).toBe(60_000);
  });
});
