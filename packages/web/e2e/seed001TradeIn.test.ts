import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Seed 001 (proof of purchase for held trade-ins) in a real browser, with the server's clock under
 * the test's control, for the paths tradeinBoard.test.ts does not take: the "On hold" macro sent
 * from the ticket's composer, the card moved with its panel's buttons, a week without an answer
 * (the reminder email goes out on the ticket and the card notes it), a second week (handed over
 * to Ops in #cs-handling); and a proof of purchase the approver rejects with the reason, which
 * keeps the card out of testing until an approved one arrives.
 */

const PACK_SLUG = 'trade-in';
const BOARD = 'trade-in-orders';
const DAY = 24 * 3600_000;
const HOLD = 'A. Problem orders. Please contact the customers';
const WAITING = 'Waiting for response';
const TESTING = '1. (C2B + C2C) Received orders, do pre-check(IMEI/serial), test and evaluation';
const TEST_MS = 150_000;

describeWithBrowser('seed 001 trade-in holds', () => {
  let now = Date.now();
  const clock = () => new Date(now);
  let e2e: E2E;
  let baseUrl: string;
  let ops: ApiSession;
  let agentApi: ApiSession;
  let brandId: string;
  let serial = 0;

  beforeAll(async () => {
    e2e = await startE2E({ clock, env: { CASEBOOK_WORKER: '1' } });
    baseUrl = e2e.baseUrl;
    ops = await apiSignIn(baseUrl, 'ops@example.com', PACK_SLUG);
    agentApi = await apiSignIn(baseUrl, 'agent@example.com', PACK_SLUG);
    brandId = ops.brandId;
  });

  afterAll(async () => {
    await e2e?.close();
  });

  async function page(email: string): Promise<Page> {
    const p = await e2e.newPage({ width: 1400, height: 900 });
    await signIn(p, email);
    return p;
  }

  async function until(check: () => Promise<boolean>, what: string, ms = 20_000) {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Ops' starting point: a held trade-in's ticket and its card in column A, commented "On hold". */
  async function heldTradeIn() {
    // Fresh sessions: the test's clock may have run past the earlier ones.
    ops = await apiSignIn(baseUrl, 'ops@example.com', PACK_SLUG);
    agentApi = await apiSignIn(baseUrl, 'agent@example.com', PACK_SLUG);
    serial += 1;
    const v = `V${(Date.now() % 100000) + serial}`;
    const s = `S${(Date.now() % 100000) + 7 * serial}`;
    const ticket = await agentApi.call('POST', '/tickets', {
      brandId,
      subject: `Trade-in ${v}`,
      body: 'When do I get my payout?',
      customer: { email: `${v.toLowerCase()}@example.com`, name: 'Sam Seller' },
    });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const card = await ops.call('POST', `/brands/${brandId}/boards/${BOARD}/cards`, {
      title: `${v} iPhone 16`,
      refs: { v_number: v, s_number: s, product: 'iPhone 16' },
      ticketId: ticket.body.data.id,
    });
    expect(card.status, JSON.stringify(card.body)).toBe(201);
    const held = await ops.call('POST', `/board-cards/${card.body.data.id}/comments`, { body: 'On hold' });
    expect(held.status, JSON.stringify(held.body)).toBeLessThan(300);
    return { v, s, ticket: ticket.body.data, cardId: card.body.data.id as string, title: `${v} iPhone 16` };
  }

  /** Steps 1-3 through the UI: find the held card, send "On hold" from the ticket, comment and move. */
  async function emailAndMove(agent: Page, held: Awaited<ReturnType<typeof heldTradeIn>>) {
    // 1. The card in column A carries Ops' "On hold" comment.
    await agent.goto(`/b/${brandId}/boards/${BOARD}`);
    await agent.locator(`section[data-column="${HOLD}"] li[data-card-id="${held.cardId}"]`).waitFor();
    await agent.getByRole('button', { name: `Open ${held.title}` }).click();
    await agent.getByRole('list', { name: 'Comments' }).getByText('On hold', { exact: true }).waitFor();
    await agent.getByRole('link', { name: 'Open the ticket' }).click();

    // 2. The "On hold" macro from the ticket's composer; the trade-in's details are typed in.
    await agent.getByRole('heading', { name: `#${held.ticket.number} Trade-in ${held.v}` }).waitFor();
    await agent.keyboard.press('m');
    const picker = agent.getByRole('dialog', { name: 'Insert a macro' });
    await picker.getByLabel('Find a macro').fill('proof of purchase request');
    await picker.getByRole('region', { name: 'Preview of On hold (proof of purchase request)' }).waitFor();
    await picker.getByRole('button', { name: 'Use this macro' }).click();
    await picker.waitFor({ state: 'hidden' });
    const reply = agent.getByRole('textbox', { name: 'Reply to the customer' });
    const text = (await reply.inputValue())
      .replaceAll('{{tradeIn.product}}', 'iPhone 16')
      .replaceAll('{{tradeIn.vNumber}}', held.v);
    expect(text).toContain('For this check we only need proof of purchase.');
    await reply.fill(text);
    await agent.getByRole('button', { name: 'Send reply', exact: true }).click();
    const conversation = agent.getByRole('list', { name: 'Conversation' });
    await conversation
      .getByRole('listitem', { name: /^Reply from / })
      .filter({ hasText: 'macro On hold' })
      .filter({ hasText: `We have your iPhone 16` })
      .waitFor();

    // 3. "email sent" on the card, and the card to "Waiting for response" (not yet to testing).
    await agent.goto(`/b/${brandId}/boards/${BOARD}`);
    await agent.getByRole('button', { name: `Open ${held.title}` }).click();
    await agent.getByRole('textbox', { name: 'Comment' }).fill('email sent');
    await agent.getByRole('button', { name: 'Add comment' }).click();
    await agent.locator('.card-comments li', { hasText: 'email sent' }).waitFor();
    const moves = agent.locator('.card-moves');
    expect(await moves.getByRole('button', { name: TESTING }).isDisabled()).toBe(true);
    await moves.getByRole('button', { name: WAITING, exact: true }).click();
    await agent.locator(`section[data-column="${WAITING}"] li[data-card-id="${held.cardId}"]`).waitFor();
  }

  it(
    'sends "On hold" from the ticket, reminds after a week without an answer, and hands over to Ops after two',
    async () => {
      const held = await heldTradeIn();
      const agent = await page('agent@example.com');
      await emailAndMove(agent, held);

      // A week without an answer: the reminder email goes out on the ticket and the card notes it.
      now += 7 * DAY + 60_000;
      const today = new Date(now).toISOString().slice(0, 10).split('-').reverse().join('-');
      await until(async () => {
        const c = await ops.call('GET', `/board-cards/${held.cardId}`);
        return c.body.data.comments.some((m: { body: string }) => m.body === `Reminder sent ${today}`);
      }, 'the reminder comment');
      await agent.goto(`/b/${brandId}/tickets/${held.ticket.id}`);
      await agent
        .getByRole('list', { name: 'Conversation' })
        .getByRole('listitem', { name: /^Reply from / })
        .filter({ hasText: 'macro On hold – Reminder' })
        .waitFor();
      await agent.goto(`/b/${brandId}/boards/${BOARD}`);
      await agent
        .locator(`section[data-column="${WAITING}"] li[data-card-id="${held.cardId}"]`, {
          hasText: `Reminder sent ${today}`,
        })
        .waitFor();

      // A second week without an answer: customer service hands the device over in #cs-handling.
      now += 7 * DAY + 60_000;
      const handover = `${held.v} | ${held.s} | No response to the proof of purchase request two weeks after the first email; over to Ops`;
      const later = await apiSignIn(baseUrl, 'agent@example.com', PACK_SLUG);
      await until(async () => {
        const list = await later.call('GET', `/brands/${brandId}/notifications`);
        return JSON.stringify(list.body).includes(handover);
      }, 'the #cs-handling handover');
      const agentLater = await page('agent@example.com');
      await agentLater.goto(`/b/${brandId}/notifications`);
      const post = agentLater.locator('.notification-list li', { hasText: handover });
      await post.waitFor();
      expect(await post.textContent()).toContain('#cs-handling');
      await agentLater.screenshot({ path: artifactPath('seed001-handover.png'), fullPage: true });
    },
    TEST_MS,
  );

  it(
    'keeps the card out of testing when the approver rejects the proof, and moves it once a proof is approved',
    async () => {
      const held = await heldTradeIn();
      const agent = await page('agent@example.com');
      await emailAndMove(agent, held);

      // 4. The proof arrives: the agent sends it to the approver.
      const ask = async (document: string) => {
        await agent.goto(`/b/${brandId}/approvals`);
        await agent.getByLabel('New request').selectOption({ label: 'Proof of purchase check' });
        await agent.getByLabel('V-number (required)').fill(held.v);
        await agent.getByLabel('S-number (required)').fill(held.s);
        await agent.getByLabel('Traded-in product (required)').fill('iPhone 16');
        await agent.getByLabel("Proof of purchase (the customer's document) (required)").fill(document);
        await agent.getByLabel('Ticket (id, optional)').fill(held.ticket.id);
        await agent.getByRole('button', { name: 'Send request' }).click();
        await agent.getByRole('status').filter({ hasText: 'Proof of purchase check requested.' }).waitFor();
      };
      await ask('https://files.example.com/blurry-photo.jpg');

      // The approver rejects it; the reason is required and shown.
      const approver = await page('approver@example.com');
      await approver.goto(`/b/${brandId}/approvals`);
      const name = new RegExp(`Proof of purchase check: ${held.v}`);
      await approver.getByRole('link', { name }).first().click();
      const decide = approver.getByRole('region', { name: 'Decide' });
      await decide.getByRole('button', { name: 'Reject', exact: true }).click();
      await approver.getByRole('alert').filter({ hasText: /note/ }).waitFor();
      await approver.getByLabel(/^Note/).fill('The receipt is unreadable and names another buyer.');
      await decide.getByRole('button', { name: 'Reject', exact: true }).click();
      await approver.getByText(/State: rejected\./).waitFor();

      // The card stays waiting: testing is refused with the board's reason, and #cs-handling is quiet.
      await agent.goto(`/b/${brandId}/boards/${BOARD}`);
      await agent.locator(`section[data-column="${WAITING}"] li[data-card-id="${held.cardId}"]`).waitFor();
      await agent.getByRole('button', { name: `Open ${held.title}` }).click();
      expect(await agent.locator('.card-moves').getByRole('button', { name: TESTING }).isDisabled()).toBe(
        true,
      );
      await agent
        .locator('.card-moves')
        .getByText('The device goes to testing only once its proof of purchase is approved.', {
          exact: false,
        })
        .waitFor();
      const quiet = await agentApi.call('GET', `/brands/${brandId}/notifications`);
      expect(JSON.stringify(quiet.body)).not.toContain(`${held.v} | ${held.s} | Proof of Purchase approved`);

      // The customer sends the real invoice: approved, the card goes to testing, Ops hear of it.
      await ask('https://files.example.com/invoice.pdf');
      await approver.goto(`/b/${brandId}/approvals`);
      const open = approver
        .getByRole('row')
        .filter({ has: approver.getByRole('link', { name }) })
        .filter({ hasText: 'requested' });
      await open.getByRole('link', { name }).click();
      await decide.getByRole('button', { name: 'Approve', exact: true }).click();
      await approver
        .getByRole('status')
        .filter({ hasText: `#cs-handling: ${held.v} | ${held.s} | Proof of Purchase approved` })
        .waitFor();

      // "Approved" on the card, which is now in testing.
      await agent.goto(`/b/${brandId}/boards/${BOARD}`);
      await agent.locator(`section[data-column="${TESTING}"] li[data-card-id="${held.cardId}"]`).waitFor();
      await agent.getByRole('button', { name: `Open ${held.title}` }).click();
      await agent.getByRole('textbox', { name: 'Comment' }).fill('Approved');
      await agent.getByRole('button', { name: 'Add comment' }).click();
      await agent.locator('.card-comments li', { hasText: 'Approved' }).waitFor();
      await agent.goto(`/b/${brandId}/notifications`);
      await agent.getByRole('link', { name: `${held.v} | ${held.s} | Proof of Purchase approved` }).waitFor();
    },
    TEST_MS,
  );
});
