import { type AddressObject, simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureSmtp } from '../../server/src/email/testing';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * The marketplace SOP for a cancellation after the PO went to the vendor, worked from the ticket
 * in a real browser: the agent puts the PO On-Hold, asks the vendor in a side conversation with
 * `#VD - Cancel`, the vendor's confirmation comes back by mail onto that side conversation, and
 * Canceled is refused until the PO shows as refunded, then allowed. Mail goes out through a
 * capture SMTP server and comes back in through the server's own SMTP receiver.
 */

const PACK_SLUG = 'marketplace-dropship';
const VENDOR_DESK = 'orders@bestbuy.example';
const MAIL_MS = 60_000;
const TEST_MS = 240_000;

const addresses = (value: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value);

describeWithBrowser('cancel a PO from a ticket', () => {
  let capture: Awaited<ReturnType<typeof captureSmtp>>;
  let e2e: E2E;
  let admin: ApiSession;
  let agent: ApiSession;

  beforeAll(async () => {
    capture = await captureSmtp();
    e2e = await startE2E({
      env: { SMTP_URL: capture.url, CASEBOOK_WORKER: '1', CASEBOOK_SMTP_PORT: '0' },
    });
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
    agent = await apiSignIn(e2e.baseUrl, 'agent@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
    await capture?.close();
  });

  it(
    'On-Hold, #VD - Cancel to the vendor, the vendor confirms, Canceled refused until refunded, then allowed',
    async () => {
      const stamp = Date.now().toString(36).toUpperCase();
      const customer = `c-${stamp.toLowerCase()}@example.net`;
      const poNumber = `CPO-${stamp}`;
      const order = await admin.call('POST', `/brands/${admin.brandId}/orders`, {
        number: `C-${stamp}`,
        channel: 'website',
        customer: { name: 'Rosa Lind', email: customer },
        placedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        items: [{ sku: 'TV-55', name: '55in TV', qty: 1, unitPrice: 499.99 }],
        purchaseOrders: [
          {
            number: poNumber,
            vendor: 'Best Buy',
            status: 'Sent to Vendor',
            sentToVendorAt: new Date(Date.now() - 86_400_000).toISOString(),
            items: [{ sku: 'TV-55', qty: 1 }],
          },
        ],
      });
      expect(order.status, JSON.stringify(order.body)).toBe(201);
      const orderId = order.body.data.id as string;
      const poId = order.body.data.purchaseOrders[0].id as string;
      const poStatus = async () =>
        (await agent.call('GET', `/orders/${orderId}`)).body.data.purchaseOrders[0];

      const opened = await admin.call('POST', '/tickets', {
        brandId: admin.brandId,
        channel: 'email',
        subject: `Cancel order C-${stamp}`,
        body: 'Hi, please cancel my order, I ordered the wrong size. It has not shipped yet.',
        customer: { email: customer, name: 'Rosa Lind' },
        orderNumbers: [`C-${stamp}`],
      });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      const ticket = opened.body.data as { id: string; number: number; subject: string };
      // The case is a cancellation request (the classifier's guess is not what this test is about).
      expect(
        (await agent.call('POST', `/tickets/${ticket.id}/advice/override`, { intent: 'cancel_order' }))
          .status,
      ).toBe(200);
      const vdCancel = await agent.call('POST', `/tickets/${ticket.id}/macros/render`, {
        macro: '#VD - Cancel',
      });
      expect(vdCancel.status, JSON.stringify(vdCancel.body)).toBe(200);
      const vdText = vdCancel.body.data.text as string;
      expect(vdText).toContain(`PO: ${poNumber}`);

      const page = await e2e.newPage();
      await signIn(page, 'agent@example.com');
      await page.goto(`/b/${admin.brandId}/tickets/${ticket.id}`);
      await page.getByRole('heading', { name: `#${ticket.number} ${ticket.subject}` }).waitFor();
      const advice = page.getByRole('region', { name: 'SOP advice' });
      const actions = advice.getByRole('list', { name: 'Advised actions, in order' });
      const hold = actions.getByRole('listitem').filter({ hasText: 'Set the PO’s status to On-Hold' });
      await hold.waitFor();
      expect(await hold.locator('.advice-because').textContent()).toContain('cancel.hold');
      const ask = actions
        .getByRole('listitem')
        .filter({ hasText: 'Open a side conversation with the vendor' });
      expect(await ask.locator('.advice-because').textContent()).toContain('cancel.request-vendor');

      // 1. The side conversation to the vendor, with the #VD - Cancel text.
      await ask.getByRole('button', { name: /^Start: Open a side conversation with the vendor/ }).click();
      const sides = page.getByRole('region', { name: /^Side conversations/ });
      const form = sides.getByRole('form', { name: 'New side conversation' });
      await form.waitFor();
      await form.getByLabel('To (email)').fill(VENDOR_DESK);
      await form.getByLabel('Message').fill(vdText);
      await form.getByRole('button', { name: 'Send' }).click();
      const thread = sides.getByRole('article', { name: `Vendor: ${ticket.subject} [#${ticket.number}]` });
      await thread.waitFor();

      // 2. On-Hold, from the advice.
      await hold.getByRole('button', { name: 'Apply: Set the PO’s status to On-Hold' }).click();
      await expect.poll(async () => (await poStatus()).status, { timeout: 15_000 }).toBe('On-Hold');

      // The vendor gets the request by mail and confirms the cancellation in reply.
      const sent = await capture.waitFor((m) => m.to.includes(VENDOR_DESK), MAIL_MS);
      const mail = await simpleParser(sent.raw);
      expect(mail.text).toContain(`PO: ${poNumber}`);
      const replyTo = addresses(mail.replyTo ?? mail.from)[0]!.address!;
      expect(replyTo).toMatch(/\+side-/);
      const answer = await nodemailer
        .createTransport({ host: '127.0.0.1', port: e2e.smtpPort!, secure: false, ignoreTLS: true })
        .sendMail({
          from: { name: 'Best Buy Orders', address: VENDOR_DESK },
          to: replyTo,
          subject: `Re: ${mail.subject}`,
          inReplyTo: mail.messageId,
          references: [mail.messageId!],
          text: `Confirmed: PO ${poNumber} is canceled, nothing shipped.`,
        });
      expect(answer.rejected).toEqual([]);
      await page.reload();
      await thread
        .getByText(`Confirmed: PO ${poNumber} is canceled, nothing shipped.`)
        .waitFor({ timeout: MAIL_MS });

      // 3. The vendor confirmed: the SOP now wants Canceled, but the PO does not show refunded yet.
      await advice.getByRole('button', { name: 'Change intent' }).click();
      await advice.getByRole('textbox', { name: 'Intent name' }).fill('vendor_cancellation_confirmed');
      await advice.getByRole('button', { name: 'Set intent' }).click();
      const notYet = actions.getByRole('listitem').filter({ hasText: 'Not yet:' });
      await notYet.waitFor();
      expect(await notYet.textContent()).toContain('The PO does not show as refunded in House yet.');
      expect(await notYet.locator('.advice-because').textContent()).toContain('po.canceled-requires-refund');
      expect(
        await actions.getByRole('listitem').filter({ hasText: 'Set the PO’s status to Canceled' }).count(),
      ).toBe(0);
      await page.screenshot({ path: artifactPath('cancel-po-not-yet.png') });
      // The API refuses it as well, naming the rule, and writes nothing.
      const refused = await agent.call('POST', `/purchase-orders/${poId}/status`, { status: 'Canceled' });
      expect(refused.status).toBe(422);
      expect(refused.body.error.details.rule).toBe('po.canceled-requires-refund');
      expect((await poStatus()).status).toBe('On-Hold');

      // 4. The refund (the order side's money feature; it has no screen yet, so through its API).
      const refund = await agent.call('POST', `/orders/${orderId}/refunds`, {
        kind: 'full',
        reason: `Vendor confirmed the cancellation of ${poNumber}`,
        ticketId: ticket.id,
      });
      expect(refund.status, JSON.stringify(refund.body)).toBe(201);
      expect((await poStatus()).refunded).toBe(true);

      // 5. Canceled is now advised and goes through.
      await page.reload();
      const cancel = actions.getByRole('listitem').filter({ hasText: 'Set the PO’s status to Canceled' });
      await cancel.waitFor();
      expect(await cancel.locator('.advice-because').textContent()).toContain('vcancel.set-canceled');
      await cancel.getByRole('button', { name: 'Apply: Set the PO’s status to Canceled' }).click();
      await expect.poll(async () => (await poStatus()).status, { timeout: 15_000 }).toBe('Canceled');
      const history = (await poStatus()).history as { from: string | null; to: string; by: string }[];
      expect(history.map((h) => `${h.from ?? ''}→${h.to}`)).toEqual(
        expect.arrayContaining(['Sent to Vendor→On-Hold', 'On-Hold→Canceled']),
      );
      expect(
        history.filter((h) => h.to !== 'Sent to Vendor').every((h) => h.by === 'agent@example.com'),
      ).toBe(true);
      await page.screenshot({ path: artifactPath('cancel-po-done.png') });
    },
    TEST_MS,
  );
});
