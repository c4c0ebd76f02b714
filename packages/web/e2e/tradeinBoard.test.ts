import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Seed 001 in a real browser, with the server's clock under the test's control: a held trade-in's
 * card, the "On hold" email, the card moved to "Waiting for response" with the keyboard, a week
 * without an answer (the timer notes the reminder on the card), the proof of purchase requested in
 * the Approvals area, the approver approving it, the card in testing and the post to #cs-handling
 * (in the app and at a Slack-compatible webhook on loopback).
 */

const PACK_SLUG = 'trade-in';
const DAY = 24 * 3600_000;
const HOLD = 'A. Problem orders. Please contact the customers';
const WAITING = 'Waiting for response';
const TESTING = '1. (C2B + C2C) Received orders, do pre-check(IMEI/serial), test and evaluation';

describeWithBrowser('trade-in board', () => {
  let now = Date.now();
  const clock = () => new Date(now);
  let e2e: E2E;
  let baseUrl: string;
  let receiver: Server;
  const received: string[] = [];

  beforeAll(async () => {
    e2e = await startE2E({ clock, env: { CASEBOOK_WORKER: '1' } });
    baseUrl = e2e.baseUrl;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await e2e?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  async function newPage(): Promise<Page> {
    return e2e.newPage({ width: 1400, height: 900 });
  }

  async function until(check: () => Promise<boolean>, what: string, ms = 15_000) {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('runs the proof-of-purchase hold from "On hold" to testing and #cs-handling', async () => {
    const admin: ApiSession = await apiSignIn(baseUrl, 'admin@example.com', PACK_SLUG);
    const ops = await apiSignIn(baseUrl, 'ops@example.com', PACK_SLUG);
    const agentApi = await apiSignIn(baseUrl, 'agent@example.com', PACK_SLUG);
    const brandId = admin.brandId;
    const allow = await admin.call('PATCH', `/brands/${brandId}/notification-settings`, {
      allowPrivateWebhookAddresses: true,
    });
    expect(allow.status, JSON.stringify(allow.body)).toBe(200);
    const hook = await admin.call('POST', `/brands/${brandId}/notification-webhooks`, {
      channel: '#cs-handling',
      kind: 'slack',
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cs-handling`,
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);

    // Ops put the trade-in on hold: a ticket with the customer, a card in column A, "On hold".
    const v = `V${Date.now() % 100000}`;
    const s = `S${(Date.now() + 7) % 100000}`;
    const ticket = await agentApi.call('POST', '/tickets', {
      brandId,
      subject: `Trade-in ${v}`,
      body: 'When do I get my payout?',
      customer: { email: `${v.toLowerCase()}@example.com`, name: 'Sam Seller' },
    });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const ticketId = ticket.body.data.id;
    // Ops add the card in the browser.
    const opsPage = await newPage();
    await signIn(opsPage, 'ops@example.com');
    await opsPage.goto(`/b/${brandId}/boards/trade-in-orders`);
    await opsPage.getByText('Add a card').click();
    await opsPage.getByLabel('Title').fill(`${v} iPhone 16`);
    await opsPage.getByLabel(/^References/).fill(`v_number=${v}, s_number=${s}, product=iPhone 16`);
    await opsPage.getByLabel('Ticket (id, optional)').fill(ticketId);
    await opsPage.getByRole('button', { name: 'Add card', exact: true }).click();
    await opsPage.locator(`section[data-column="${HOLD}"] li`, { hasText: `${v} iPhone 16` }).waitFor();
    const board = await ops.call('GET', `/brands/${brandId}/boards/trade-in-orders`);
    const added = board.body.data.cards.find((c: { title: string }) => c.title === `${v} iPhone 16`);
    expect(added.refs).toEqual({ v_number: v, s_number: s, product: 'iPhone 16' });
    expect(added.ticketId).toBe(ticketId);
    const cardId = added.id as string;
    await ops.call('POST', `/board-cards/${cardId}/comments`, { body: 'On hold' });

    // Step 2: the "On hold" macro's email to the customer (sent through the ticket API).
    const mail = await agentApi.call('POST', `/tickets/${ticketId}/messages`, {
      kind: 'reply',
      macro: 'On hold',
      body: 'Hi Sam, we have your iPhone 16. Could you send us the proof of purchase? Kind regards, Customer Service',
    });
    expect(mail.status, JSON.stringify(mail.body)).toBe(201);

    // Step 3 in the browser: comment "email sent" and move the card with the keyboard.
    const page = await newPage();
    await signIn(page, 'agent@example.com');
    await page.goto(`/b/${brandId}/boards/trade-in-orders`);
    const handle = page.locator(`li[data-card-id="${cardId}"] .card-handle`);
    await handle.waitFor();
    expect(await page.locator(`section[data-column="${HOLD}"] li[data-card-id="${cardId}"]`).count()).toBe(1);
    await page.getByRole('button', { name: `Open ${v} iPhone 16` }).click();
    await page.getByRole('textbox', { name: 'Comment' }).fill('email sent');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.locator('.card-comments li', { hasText: 'email sent' }).waitFor();
    await page.getByRole('button', { name: 'Close' }).click();

    const announcer = page.getByTestId('board-announcer');
    await handle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => announcer.textContent()).toContain(`Picked up ${v} iPhone 16`);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => announcer.textContent()).toContain(`${WAITING}, position 1`);
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => announcer.textContent())
      .toContain('Not allowed: The device goes to testing only once');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Space');
    await expect.poll(() => announcer.textContent()).toContain(`moved to ${WAITING}`);
    await page.locator(`section[data-column="${WAITING}"] li[data-card-id="${cardId}"]`).waitFor();
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('card-handle');

    // A week passes without an answer: the timer notes the reminder on the card.
    now += 7 * DAY + 60_000;
    const today = new Date(now).toISOString().slice(0, 10).split('-').reverse().join('-');
    const opsAgain = await apiSignIn(baseUrl, 'ops@example.com', PACK_SLUG);
    await until(async () => {
      const c = await opsAgain.call('GET', `/board-cards/${cardId}`);
      return c.body.data.comments.some((m: { body: string }) => m.body === `Reminder sent ${today}`);
    }, 'the reminder comment');
    const later = await newPage();
    await signIn(later, 'agent@example.com');
    await later.goto(`/b/${brandId}/boards/trade-in-orders`);
    await later.locator(`li[data-card-id="${cardId}"]`, { hasText: `Reminder sent ${today}` }).waitFor();

    // Step 4: the proof arrives; the agent asks the approver in the Approvals area.
    await later.goto(`/b/${brandId}/approvals`);
    await later.getByLabel('New request').selectOption({ label: 'Proof of purchase check' });
    await later.getByLabel('V-number (required)').fill(v);
    await later.getByLabel('S-number (required)').fill(s);
    await later.getByLabel('Traded-in product (required)').fill('iPhone 16');
    await later
      .getByLabel("Proof of purchase (the customer's document) (required)")
      .fill('https://files.example.com/receipt.pdf');
    await later.getByLabel('Ticket (id, optional)').fill(ticketId);
    await later.getByRole('button', { name: 'Send request' }).click();
    await later.getByRole('link', { name: new RegExp(`Proof of purchase check: ${v}`) }).waitFor();

    const approver = await newPage();
    await signIn(approver, 'approver@example.com');
    await approver.goto(`/b/${brandId}/approvals`);
    await approver.getByRole('link', { name: new RegExp(`Proof of purchase check: ${v}`) }).click();
    await approver
      .getByRole('region', { name: 'Decide' })
      .getByRole('button', { name: 'Approve', exact: true })
      .click();
    await approver
      .getByRole('status')
      .filter({ hasText: `#cs-handling: ${v} | ${s} | Proof of Purchase approved` })
      .waitFor();
    await approver.screenshot({ path: artifactPath('tradein-approved.png') });

    // The card is in testing, and #cs-handling got the post (in the app and at the webhook).
    await later.goto(`/b/${brandId}/boards/trade-in-orders`);
    await later.locator(`section[data-column="${TESTING}"] li[data-card-id="${cardId}"]`).waitFor();
    await later.screenshot({ path: artifactPath('tradein-board.png') });
    await until(async () => received.length > 0, 'the #cs-handling webhook');
    expect(received).toEqual([JSON.stringify({ text: `${v} | ${s} | Proof of Purchase approved` })]);
    await later.goto(`/b/${brandId}/notifications`);
    await later.getByRole('link', { name: `${v} | ${s} | Proof of Purchase approved` }).waitFor();

    // The brand admin sees where #cs-handling goes and that the post was delivered.
    const adminPage = await newPage();
    await signIn(adminPage, 'admin@example.com');
    await adminPage.goto(`/b/${brandId}/notifications`);
    const panel = adminPage.getByRole('region', { name: 'Channel webhooks' });
    await panel.getByText('1 delivered, 0 waiting, 0 failed').waitFor();
    expect(await panel.getByRole('checkbox').isChecked()).toBe(true);
    await adminPage.screenshot({ path: artifactPath('tradein-notifications.png'), fullPage: true });
  }, 120_000);
});
