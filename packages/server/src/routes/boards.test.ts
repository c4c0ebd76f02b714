import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatDate } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOARD_TIMER_JOB } from '../boards/timers';
import { jobs, messages } from '../db/schema';
import { buildJobRegistry, runDueJobs } from '../jobs';
import { DELIVER_JOB } from '../notifications/post';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

const DAY = 24 * 3600_000;
const HOLD = 'A. Problem orders. Please contact the customers';
const WAITING = 'Waiting for response';
const TESTING = '1. (C2B + C2C) Received orders, do pre-check(IMEI/serial), test and evaluation';

/**
 * Seed 001 end to end over HTTP: a held trade-in's card, the "On hold" email, the card to
 * "Waiting for response", a week without an answer (reminder noted on the card), the proof of
 * purchase, the approver's approval moving the card to testing and posting to #cs-handling.
 */
describe('trade-in board (seed 001)', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  let ops: TestClient;
  let approver: TestClient;
  let admin: TestClient;
  let server: Server;
  const received: string[] = [];

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'trade-in');
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  // Fresh sessions per test: the clock moves weeks, past the session's idle timeout.
  beforeEach(async () => {
    agent = (await signedInMember(h, brand, 'agent')).client;
    ops = (await signedInMember(h, brand, 'ops')).client;
    approver = (await signedInMember(h, brand, 'approver')).client;
    admin = (await signedInMember(h, brand, 'admin')).client;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const run = (kinds: string[]) => runDueJobs(h.deps, buildJobRegistry(h.deps), { kinds });

  async function heldTradeIn(v: string, s: string, product: string | null = 'iPhone 16') {
    const ticket = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      subject: `Trade-in ${v}`,
      body: 'Where is my payout?',
      customer: { email: `${v.toLowerCase()}@example.com`, name: 'Sam Seller' },
    });
    expect(ticket.status).toBe(201);
    const card = await ops.post(`/api/v1/brands/${brand.id}/boards/trade-in-orders/cards`, {
      title: `${v} iPhone 16`,
      refs: { v_number: v, s_number: s, ...(product ? { product } : {}) },
      ticketId: ticket.body.data.id,
    });
    expect(card.status).toBe(201);
    expect(card.body.data.column).toBe(HOLD);
    await ops.post(`/api/v1/board-cards/${card.body.data.id}/comments`, { body: 'On hold' });
    return { ticketId: ticket.body.data.id as string, cardId: card.body.data.id as string };
  }

  it('runs the proof-of-purchase hold from "On hold" to testing and #cs-handling', async () => {
    await admin.patch(`/api/v1/brands/${brand.id}/notification-settings`, {
      allowPrivateWebhookAddresses: true,
    });
    const port = (server.address() as AddressInfo).port;
    const hook = await admin.post(`/api/v1/brands/${brand.id}/notification-webhooks`, {
      channel: '#cs-handling',
      kind: 'slack',
      url: `http://127.0.0.1:${port}/cs-handling`,
    });
    expect(hook.status).toBe(201);

    const { ticketId, cardId } = await heldTradeIn('V1042', 'S7781');

    // 2. Email the customer with the "On hold" macro; 3. tell Ops and move the card.
    const mail = await agent.post(`/api/v1/tickets/${ticketId}/messages`, {
      kind: 'reply',
      macro: 'On hold',
      body: 'Hi Sam, we have your iPhone 16. … we would like to kindly ask you to send the proof of purchase to us.',
    });
    expect(mail.status).toBe(201);
    await agent.post(`/api/v1/board-cards/${cardId}/comments`, { body: 'email sent' });
    const early = await agent.post(`/api/v1/board-cards/${cardId}/move`, { column: TESTING });
    expect(early.status).toBe(422);
    expect(early.body.error.message).toBe(
      'The device goes to testing only once its proof of purchase is approved.',
    );
    const waiting = await agent.post(`/api/v1/board-cards/${cardId}/move`, { column: WAITING });
    expect(waiting.status).toBe(200);
    expect(waiting.body.data.moves).toContainEqual({
      column: TESTING,
      allowed: false,
      reason: 'The device goes to testing only once its proof of purchase is approved.',
    });

    // A week without an answer: the timer notes the reminder on the card.
    h.clock.advance(6 * DAY);
    await run([BOARD_TIMER_JOB]);
    expect((await agent.get(`/api/v1/board-cards/${cardId}`)).body.data.comments).toHaveLength(2);
    h.clock.advance(DAY + 60_000);
    await run([BOARD_TIMER_JOB]);
    agent = (await signedInMember(h, brand, 'agent')).client;
    approver = (await signedInMember(h, brand, 'approver')).client;
    const reminded = await agent.get(`/api/v1/board-cards/${cardId}`);
    const today = formatDate(h.clock.now(), 'DD-MM-YYYY', 'UTC');
    expect(reminded.body.data.comments.map((c: { body: string }) => c.body)).toEqual([
      'On hold',
      'email sent',
      `Reminder sent ${today}`,
    ]);
    expect(reminded.body.data.comments[2].author).toBe('system:board timer');
    // The reminder email went to the customer as a reply on the ticket, from the pack's macro.
    const sentReminder = await h.deps.database.db
      .select()
      .from(messages)
      .where(and(eq(messages.ticketId, ticketId), eq(messages.macroName, 'On hold – Reminder')));
    expect(sentReminder).toHaveLength(1);
    expect(sentReminder[0]!.direction).toBe('out');
    expect(sentReminder[0]!.bodyText).toContain('Hi Sam,');
    expect(sentReminder[0]!.bodyText).toContain('your iPhone 16');
    expect(sentReminder[0]!.bodyText).toContain('Trade-in V1042');

    // 4. The proof arrives; the approver approves it.
    const proof = await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'proof_of_purchase',
      ticketId,
      fields: {
        v_number: 'V1042',
        s_number: 'S7781',
        product: 'iPhone 16',
        document: 'https://files.example.com/receipt-v1042.pdf',
      },
    });
    expect(proof.status).toBe(201);
    expect(
      (await agent.post(`/api/v1/approvals/${proof.body.data.id}/steps`, { step: 'approve' })).status,
    ).toBe(403);
    const approved = await approver.post(`/api/v1/approvals/${proof.body.data.id}/steps`, {
      step: 'approve',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.followOns).toEqual([
      { kind: 'moveCard', detail: TESTING, id: cardId },
      { kind: 'post', detail: '#cs-handling: V1042 | S7781 | Proof of Purchase approved' },
    ]);
    const moved = await agent.get(`/api/v1/board-cards/${cardId}`);
    expect(moved.body.data.column).toBe(TESTING);

    // The second timer of "Waiting for response" went with the card.
    const pending = await h.deps.database.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, BOARD_TIMER_JOB), eq(jobs.brandId, brand.id), eq(jobs.state, 'pending')));
    expect(pending).toEqual([]);

    await run([DELIVER_JOB]);
    expect(received).toEqual([JSON.stringify({ text: 'V1042 | S7781 | Proof of Purchase approved' })]);
    const inbox = await agent.get(`/api/v1/brands/${brand.id}/notifications`);
    expect(inbox.body.data[0].text).toBe('V1042 | S7781 | Proof of Purchase approved');
  });

  it('sends no reminder when the customer answered within the week', async () => {
    const { ticketId, cardId } = await heldTradeIn('V2000', 'S2000');
    await agent.post(`/api/v1/board-cards/${cardId}/move`, { column: WAITING });
    h.clock.advance(DAY);
    await h.deps.database.db.insert(messages).values({
      brandId: brand.id,
      ticketId,
      kind: 'reply',
      direction: 'in',
      authorType: 'customer',
      bodyText: 'Here is my receipt',
      createdAt: h.clock.now(),
    });
    h.clock.advance(7 * DAY);
    await run([BOARD_TIMER_JOB]);
    agent = (await signedInMember(h, brand, 'agent')).client;
    const card = await agent.get(`/api/v1/board-cards/${cardId}`);
    expect(card.body.data.comments.map((c: { body: string }) => c.body)).toEqual(['On hold']);
  });

  it('notes that a reminder is due, sending nothing, when the macro cannot be filled', async () => {
    const { ticketId, cardId } = await heldTradeIn('V6000', 'S6000', null);
    await agent.post(`/api/v1/board-cards/${cardId}/move`, { column: WAITING });
    h.clock.advance(7 * DAY + 1000);
    await run([BOARD_TIMER_JOB]);
    agent = (await signedInMember(h, brand, 'agent')).client;
    const card = await agent.get(`/api/v1/board-cards/${cardId}`);
    const today = formatDate(h.clock.now(), 'DD-MM-YYYY', 'UTC');
    expect(card.body.data.comments.map((c: { body: string }) => c.body)).toEqual([
      'On hold',
      `Reminder due ${today}: send "On hold – Reminder" (no value for {{tradeIn.product}})`,
    ]);
    const sent = await h.deps.database.db
      .select()
      .from(messages)
      .where(and(eq(messages.ticketId, ticketId), eq(messages.macroName, 'On hold – Reminder')));
    expect(sent).toEqual([]);
  });

  it('hands a still silent customer to Ops a week after the reminder', async () => {
    const { cardId } = await heldTradeIn('V3000', 'S3000');
    await agent.post(`/api/v1/board-cards/${cardId}/move`, { column: WAITING });
    h.clock.advance(7 * DAY + 1000);
    await run([BOARD_TIMER_JOB]);
    h.clock.advance(7 * DAY + 1000);
    await run([BOARD_TIMER_JOB]);
    agent = (await signedInMember(h, brand, 'agent')).client;
    const inbox = await agent.get(`/api/v1/brands/${brand.id}/notifications`);
    expect(inbox.body.data[0].text).toBe(
      'V3000 | S3000 | No response to the proof of purchase request two weeks after the first email; over to Ops',
    );
  });

  it('keeps card order within a column and refuses stale versions', async () => {
    const a = await heldTradeIn('V4001', 'S4001');
    const b = await heldTradeIn('V4002', 'S4002');
    const card = (await agent.get(`/api/v1/board-cards/${b.cardId}`)).body.data;
    const moved = await agent.post(`/api/v1/board-cards/${b.cardId}/move`, {
      column: HOLD,
      position: 0,
      version: card.version,
    });
    expect(moved.body.data.position).toBe(0);
    const board = await agent.get(`/api/v1/brands/${brand.id}/boards/trade-in-orders`);
    const hold = board.body.data.cards.filter((c: { column: string }) => c.column === HOLD);
    expect(hold.findIndex((c: { id: string }) => c.id === b.cardId)).toBeLessThan(
      hold.findIndex((c: { id: string }) => c.id === a.cardId),
    );
    const stale = await agent.post(`/api/v1/board-cards/${b.cardId}/move`, {
      column: WAITING,
      version: card.version,
    });
    expect(stale.status).toBe(409);
    const bad = await agent.post(`/api/v1/board-cards/${b.cardId}/move`, { column: 'Nowhere' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toBe('"Nowhere" is not a column of Trade-in orders (Trello)');
  });

  it('refuses moves without board.card.move (403) and other brands (404)', async () => {
    const { cardId } = await heldTradeIn('V5000', 'S5000');
    const denied = await approver.post(`/api/v1/board-cards/${cardId}/move`, { column: WAITING });
    expect(denied.status).toBe(403);
    expect((await approver.post(`/api/v1/board-cards/${cardId}/comments`, { body: 'x' })).status).toBe(403);
    expect(
      (await approver.post(`/api/v1/brands/${brand.id}/boards/trade-in-orders/cards`, { title: 'x' })).status,
    ).toBe(403);
    const viewed = await approver.get(`/api/v1/board-cards/${cardId}`);
    expect(viewed.body.data.allowed).toEqual([]);
    const stranger = (await signedInMember(h, await makeBrand(h, 'trade-in'), 'agent')).client;
    expect((await stranger.get(`/api/v1/board-cards/${cardId}`)).status).toBe(404);
    expect((await stranger.post(`/api/v1/board-cards/${cardId}/move`, { column: WAITING })).status).toBe(404);
    expect((await stranger.get(`/api/v1/brands/${brand.id}/boards/trade-in-orders`)).status).toBe(404);
    expect((await agent.get(`/api/v1/brands/${brand.id}/boards/nope`)).status).toBe(404);
  });
});
