import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../context';
import type { Database, Db } from '../db/client';
import { customers, jobs, mailSettings, messages, sideConversations, tickets } from '../db/schema';
import { JobRegistry } from '../jobs/define';
import { runDueJobs } from '../jobs/run';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import type { Harness, TestClient } from '../test/harness';
import { testApp } from '../test/harness';
import { emailSendJob, sendMessage } from './send';
import { type SmtpReceiver, startSmtpReceiver } from './smtpReceiver';
import { captureSmtp } from './testing';

describe('email in and out over SMTP on loopback', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  let address: string;
  let receiver: SmtpReceiver;
  let relay: Awaited<ReturnType<typeof captureSmtp>>;
  let sendDeps: Deps;
  const registry = new JobRegistry([emailSendJob]);
  const quiet = () => {};

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h);
    agent = (await signedInMember(h, brand, 'agent')).client;
    const [settings] = await h.deps.database.db
      .select()
      .from(mailSettings)
      .where(eq(mailSettings.brandId, brand.id));
    address = settings!.address;
    receiver = await startSmtpReceiver(h.deps, { onError: quiet });
    relay = await captureSmtp();
    sendDeps = { ...h.deps, config: { ...h.deps.config, smtpUrl: relay.url } };
  });

  afterAll(async () => {
    await receiver?.close();
    await relay?.close();
  });

  const db = () => h.deps.database.db;
  const unique = () => randomUUID().slice(0, 8);

  /** Sends through the receiver as a mail server would; resolves once it answered 250. */
  function send(mail: Mail.Options, port = receiver.port) {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    return transport.sendMail(mail).finally(() => transport.close());
  }

  async function messageByEmailId(emailMessageId: string) {
    return db()
      .select()
      .from(messages)
      .where(and(eq(messages.brandId, brand.id), eq(messages.emailMessageId, emailMessageId)));
  }

  async function ticketOf(id: string) {
    const [ticket] = await db().select().from(tickets).where(eq(tickets.id, id));
    return ticket!;
  }

  /** A new ticket from a new customer, by mail; returns the ticket and the customer's address. */
  async function ticketByMail(customer = `dana-${unique()}@example.com`) {
    const messageId = `<first-${unique()}@example.com>`;
    await send({
      from: { name: 'Dana Reyes', address: customer },
      to: address,
      subject: 'Where is my order?',
      text: 'It has not arrived.',
      messageId,
    });
    const [stored] = await messageByEmailId(messageId);
    expect(stored).toMatchObject({ authorType: 'customer', direction: 'in', fromAddress: customer });
    return { ticket: await ticketOf(stored!.ticketId), customer, messageId };
  }

  it('a mail becomes a ticket; the reply is threaded and sent from the ticket address; answers thread back', async () => {
    const { ticket, customer, messageId } = await ticketByMail();
    expect(ticket).toMatchObject({ channel: 'email', subject: 'Where is my order?', status: 'open' });
    const [person] = await db().select().from(customers).where(eq(customers.id, ticket.customerId!));
    expect(person).toMatchObject({ email: customer, name: 'Dana Reyes' });

    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/messages`, {
      kind: 'reply',
      body: 'It ships tomorrow.',
      status: 'pending',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await runDueJobs(sendDeps, registry, { onError: quiet });
    const out = await relay.waitFor((m) => m.to.includes(customer));
    const sent = await simpleParser(out.raw);
    const [local, domain] = address.split('@');
    expect(sent.from?.value[0]?.address).toBe(`${local}+${ticket.token}@${domain}`);
    expect(sent.inReplyTo).toBe(messageId);
    expect([sent.references].flat()).toContain(messageId);
    expect(sent.subject).toBe(`Re: Where is my order? [#${ticket.number}]`);
    expect(sent.text?.trim()).toBe('It ships tomorrow.');
    const [outbound] = await messageByEmailId(sent.messageId!);
    expect(outbound).toMatchObject({ ticketId: ticket.id, deliveryState: 'sent', direction: 'out' });
    expect((await ticketOf(ticket.id)).status).toBe('pending');

    // By headers only: plain support address, no ticket number in the subject.
    const byHeaders = `<answer-${unique()}@example.com>`;
    await send({
      from: customer,
      to: address,
      subject: 'thanks',
      text: 'Great, thank you.',
      messageId: byHeaders,
      inReplyTo: sent.messageId!,
      references: [messageId, sent.messageId!],
    });
    const [answer] = await messageByEmailId(byHeaders);
    expect(answer).toMatchObject({ ticketId: ticket.id, sideConversationId: null, authorType: 'customer' });
    const reopened = await ticketOf(ticket.id);
    expect(reopened.status).toBe('open');
    expect(reopened.lastCustomerMessageAt).not.toBeNull();

    // By the token in the address only.
    const byToken = `<token-${unique()}@example.com>`;
    await send({
      from: customer,
      to: `${local}+${ticket.token}@${domain}`,
      subject: 'one more thing',
      text: 'Also…',
      messageId: byToken,
    });
    expect((await messageByEmailId(byToken))[0]?.ticketId).toBe(ticket.id);

    // By [#number] in the subject, only from the ticket's customer.
    const bySubject = `<subject-${unique()}@example.com>`;
    await send({
      from: customer,
      to: address,
      subject: `Re: order [#${ticket.number}]`,
      text: 'Any news?',
      messageId: bySubject,
    });
    expect((await messageByEmailId(bySubject))[0]?.ticketId).toBe(ticket.id);
    const stranger = `<stranger-${unique()}@example.com>`;
    await send({
      from: `other-${unique()}@example.com`,
      to: address,
      subject: `Re: order [#${ticket.number}]`,
      text: 'Hi',
      messageId: stranger,
    });
    expect((await messageByEmailId(stranger))[0]?.ticketId).not.toBe(ticket.id);

    const history = await db().execute(
      sql`select kind, data from ticket_events where ticket_id = ${ticket.id} order by id`,
    );
    const kinds = (history as unknown as { rows: { kind: string }[] }).rows.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'customer_replied')).toHaveLength(3);
    expect(kinds).toContain('status');
  });

  it('a reply to a closed ticket opens a new one that links it; a merged ticket forwards to the survivor', async () => {
    const { ticket, customer, messageId } = await ticketByMail();
    await db().update(tickets).set({ status: 'closed', active: false }).where(eq(tickets.id, ticket.id));
    const late = `<late-${unique()}@example.com>`;
    await send({
      from: customer,
      to: address,
      subject: 'Re: Where is my order?',
      text: 'Still nothing',
      messageId: late,
      inReplyTo: messageId,
    });
    const [stored] = await messageByEmailId(late);
    expect(stored!.ticketId).not.toBe(ticket.id);
    const events = await db().execute(
      sql`select kind, data from ticket_events where ticket_id = ${stored!.ticketId} order by id`,
    );
    expect((events as unknown as { rows: { kind: string; data: unknown }[] }).rows).toContainEqual({
      kind: 'follow_up_of',
      data: { ticketId: ticket.id, number: ticket.number },
    });

    const a = await ticketByMail();
    const b = await ticketByMail(a.customer);
    const merged = await agent.post(`/api/v1/tickets/${b.ticket.id}/merge`, { intoTicketId: a.ticket.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const toMerged = `<merged-${unique()}@example.com>`;
    await send({
      from: a.customer,
      to: address,
      subject: 'Re: hello',
      text: 'ping',
      messageId: toMerged,
      inReplyTo: b.messageId,
    });
    expect((await messageByEmailId(toMerged))[0]?.ticketId).toBe(a.ticket.id);
  });

  it("a vendor's answer lands in its side conversation only", async () => {
    const { ticket, customer } = await ticketByMail();
    const vendor = `orders-${unique()}@vendor.example`;
    const opened = await agent.post(`/api/v1/tickets/${ticket.id}/side-conversations`, {
      with: 'vendor',
      to: vendor,
      subject: 'Cancel PO for order 1042',
      body: 'Please cancel this PO.',
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const sideId = opened.body.data.id;
    await runDueJobs(sendDeps, registry, { onError: quiet });
    const out = await relay.waitFor((m) => m.to.includes(vendor));
    expect(out.to).toEqual([vendor]);
    const sent = await simpleParser(out.raw);
    const [side] = await db().select().from(sideConversations).where(eq(sideConversations.id, sideId));
    const [local, domain] = address.split('@');
    expect(sent.from?.value[0]?.address).toBe(`${local}+side-${side!.token}@${domain}`);
    expect(side!.status).toBe('waiting');

    const answer = `<vendor-${unique()}@vendor.example>`;
    await send({
      from: vendor,
      to: sent.from!.value[0]!.address!,
      subject: 'Re: Cancel PO',
      text: 'Canceled.',
      messageId: answer,
    });
    const [stored] = await messageByEmailId(answer);
    expect(stored).toMatchObject({
      ticketId: ticket.id,
      sideConversationId: sideId,
      authorType: 'vendor',
      direction: 'in',
    });
    const view = await agent.get(`/api/v1/side-conversations/${sideId}`);
    expect(view.body.data.status).toBe('open');
    expect(view.body.data.messages.map((m: { authorType: string }) => m.authorType)).toEqual([
      'agent',
      'vendor',
    ]);
    const ticketView = await agent.get(`/api/v1/tickets/${ticket.id}`);
    expect(ticketView.body.data.messages.map((m: { authorType: string }) => m.authorType)).toEqual([
      'customer',
    ]);
    expect((await ticketOf(ticket.id)).lastCustomerMessageAt).toEqual(ticket.lastCustomerMessageAt);

    // Threaded by headers alone, still the side conversation; nothing of it ever went to the customer.
    const byHeaders = `<vendor2-${unique()}@vendor.example>`;
    await send({
      from: vendor,
      to: address,
      subject: 'Re: Cancel PO',
      text: 'Refund issued too.',
      messageId: byHeaders,
      inReplyTo: answer,
    });
    expect((await messageByEmailId(byHeaders))[0]?.sideConversationId).toBe(sideId);
    expect(relay.mails.filter((m) => m.to.includes(customer))).toEqual([]);
  });

  it('stores the same message delivered twice only once', async () => {
    const customer = `twice-${unique()}@example.com`;
    const messageId = `<twice-${unique()}@example.com>`;
    const raw = [
      `From: ${customer}`,
      `To: ${address}`,
      'Subject: Twice',
      `Message-ID: ${messageId}`,
      'Date: Mon, 2 Mar 2026 10:00:00 +0000',
      '',
      'Hello twice.',
      '',
    ].join('\r\n');
    for (const received of ['a', 'b']) {
      // A relay adds its own trace header: still the same mail.
      await send({
        envelope: { from: customer, to: [address] },
        raw: `Received: by relay-${received}\r\n${raw}`,
      });
    }
    expect(await messageByEmailId(messageId)).toHaveLength(1);
  });

  it('refuses unknown recipients at RCPT TO, and soon knows a new brand', async () => {
    await expect(
      send({ from: 'x@example.com', to: `nobody-${unique()}@nowhere.example`, subject: 'hi', text: 'hi' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const newBrand = await makeBrand(h);
    const [settings] = await db().select().from(mailSettings).where(eq(mailSettings.brandId, newBrand.id));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const messageId = `<new-brand-${unique()}@example.com>`;
    await send({
      from: `x-${unique()}@example.com`,
      to: settings!.address,
      subject: 'hi',
      text: 'hi',
      messageId,
    });
    const [stored] = await db().select().from(messages).where(eq(messages.emailMessageId, messageId));
    expect(stored!.brandId).toBe(newBrand.id);
  });

  it('answers 451 while the database fails, and stores the retried message once', async () => {
    let failing = true;
    const real = h.deps.database.db;
    const flaky = new Proxy(real, {
      get(target, prop) {
        if (prop === 'transaction' && failing) {
          return () =>
            Promise.reject(Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' }));
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Db;
    const database: Database = { ...h.deps.database, db: flaky };
    const errors: unknown[] = [];
    const flakyReceiver = await startSmtpReceiver(
      { ...h.deps, database },
      { onError: (e) => errors.push(e) },
    );
    try {
      const messageId = `<retry-${unique()}@example.com>`;
      const mail = {
        from: `retry-${unique()}@example.com`,
        to: address,
        subject: 'Retry me',
        text: 'Hello',
        messageId,
        date: new Date('2026-03-02T10:00:00Z'),
      };
      await expect(send(mail, flakyReceiver.port)).rejects.toMatchObject({ responseCode: 451 });
      expect(errors).toHaveLength(1);
      expect(await messageByEmailId(messageId)).toHaveLength(0);
      failing = false;
      await send(mail, flakyReceiver.port);
      await send(mail, flakyReceiver.port);
      expect(await messageByEmailId(messageId)).toHaveLength(1);
    } finally {
      await flakyReceiver.close();
    }
  });

  it('neutralises CR/LF in names and subjects: no header can be injected', async () => {
    const customer = `inject-${unique()}@example.com`;
    const created = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      channel: 'email',
      subject: 'Help\r\nBcc: evil@attacker.example',
      body: 'Hi',
      customer: { email: customer, name: 'Dana\r\nBcc: evil@attacker.example' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [{ fromName }] = (await db()
      .select({ fromName: mailSettings.fromName })
      .from(mailSettings)
      .where(eq(mailSettings.brandId, brand.id))) as [{ fromName: string }];
    await db()
      .update(mailSettings)
      .set({ fromName: 'Store\r\nBcc: evil@attacker.example' })
      .where(eq(mailSettings.brandId, brand.id));
    try {
      await agent.post(`/api/v1/tickets/${created.body.data.id}/messages`, { kind: 'reply', body: 'On it.' });
      await runDueJobs(sendDeps, registry, { onError: quiet });
      const out = await relay.waitFor((m) => m.to.includes(customer));
      expect(out.to).toEqual([customer]);
      const head = out.raw.toString('latin1').split('\r\n\r\n')[0]!;
      expect(head).not.toMatch(/^bcc:/im);
      expect(head).not.toMatch(/\r\n(?![ \t])[^:\r\n]*evil/i);
      const parsed = await simpleParser(out.raw);
      expect(parsed.headers.has('bcc')).toBe(false);
      expect(parsed.subject).toBe(`Re: Help Bcc: evil@attacker.example [#${created.body.data.number}]`);
      expect(parsed.to).toMatchObject({
        value: [{ address: customer, name: 'Dana Bcc: evil@attacker.example' }],
      });
    } finally {
      await db().update(mailSettings).set({ fromName }).where(eq(mailSettings.brandId, brand.id));
    }

    // Inbound: an encoded display name carrying CR/LF is stored on one line.
    const sender = `encoded-${unique()}@example.com`;
    const messageId = `<encoded-${unique()}@example.com>`;
    await send({
      envelope: { from: sender, to: [address] },
      raw: [
        `From: =?UTF-8?B?${Buffer.from('Eve\r\nBcc: evil@attacker.example').toString('base64')}?= <${sender}>`,
        `To: ${address}`,
        'Subject: =?UTF-8?Q?a=0D=0Ab?=',
        `Message-ID: ${messageId}`,
        '',
        'x',
        '',
      ].join('\r\n'),
    });
    const [stored] = await messageByEmailId(messageId);
    expect(stored).toMatchObject({ fromName: 'Eve Bcc: evil@attacker.example', subject: 'a b' });
  });

  it('keeps mail in the local mailbox without SMTP_URL, sends once, and marks it failed after the last attempt', async () => {
    const { ticket, customer } = await ticketByMail();
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'reply', body: 'Kept locally.' });
    await runDueJobs(h.deps, registry, { onError: quiet });
    const [kept] = await db()
      .select()
      .from(messages)
      .where(and(eq(messages.ticketId, ticket.id), eq(messages.direction, 'out')));
    expect(kept!.deliveryState).toBe('kept');
    expect(await sendMessage(sendDeps.database.db, relay.url, kept!.id)).toBe('skipped');
    expect(relay.mails.filter((m) => m.to.includes(customer))).toEqual([]);
    const outbox = await (await signedInMember(h, brand, 'admin')).client.get(
      `/api/v1/brands/${brand.id}/outbox`,
    );
    expect(outbox.body.data.map((m: { id: string }) => m.id)).toContain(kept!.id);

    // Nothing listens on a port we just closed: every attempt fails; the last marks the message.
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/messages`, {
      kind: 'reply',
      body: 'Will fail.',
    });
    const failed = reply.body.data.messages.at(-1);
    await db()
      .update(jobs)
      .set({ maxAttempts: 2 })
      .where(eq(jobs.uniqueKey, `email:${failed.id}`));
    const down = { ...h.deps, config: { ...h.deps.config, smtpUrl: `smtp://127.0.0.1:${closed}` } };
    await runDueJobs(down, registry, { onError: quiet });
    expect(await stateOf(failed.id)).toBe('queued');
    h.clock.advance(60_000);
    await runDueJobs(down, registry, { onError: quiet });
    expect(await stateOf(failed.id)).toBe('failed');
  });

  async function stateOf(messageId: string) {
    const [row] = await db()
      .select({ state: messages.deliveryState })
      .from(messages)
      .where(eq(messages.id, messageId));
    return row?.state;
  }
});
