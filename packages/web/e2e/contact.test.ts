import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * A brand's public contact form (`/contact/:brandSlug`) in a real browser against the real server:
 * no sign-in, the browser's own checks, the API's field errors, the honeypot, the rate limit, and
 * the message arriving in the brand's inbox as a web-form ticket the demo agent can open.
 */

const PACK_SLUG = 'multichannel-retail';
const BRAND_NAME = 'Multichannel retail';
const TEST_MS = 180_000;

const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });

async function fill(page: Page, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await field(page, name).fill(value);
}

describeWithBrowser('public contact form', () => {
  let e2e: E2E;
  let admin: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it(
    'takes a message without sign-in, explains what it refuses, and the agent finds the ticket',
    async () => {
      const started = Date.now();
      const page = await e2e.newPage();
      const posts: number[] = [];
      page.on('response', (res) => {
        if (res.request().method() === 'POST' && res.url().includes('/api/v1/public/contact/'))
          posts.push(res.status());
      });
      await page.goto(`/contact/${PACK_SLUG}`);
      await page.getByRole('heading', { name: `Contact ${BRAND_NAME}`, level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/contact/${PACK_SLUG}`);
      expect(await page.title()).toBe(`Contact ${BRAND_NAME} · Casebook`);
      const form = page.getByRole('form', { name: `Contact ${BRAND_NAME}` });
      await form.waitFor();

      // Every visible field has a label; the honeypot is hidden from sight, screen readers and Tab.
      for (const name of ['Your name', 'Email', 'Order number', 'Subject', 'Message'])
        expect(await field(page, name).count(), name).toBe(1);
      expect(await field(page, 'Order number').getAttribute('aria-describedby')).toBeTruthy();
      expect(await page.getByRole('textbox', { name: /website/i }).count()).toBe(0);
      const trap = page.locator('input[name="website"]');
      expect(await trap.count()).toBe(1);
      expect(await trap.getAttribute('tabindex')).toBe('-1');
      expect(await trap.getAttribute('autocomplete')).toBe('off');
      expect(await trap.evaluate((el) => el.closest('[aria-hidden="true"]') !== null)).toBe(true);
      const box = await trap.evaluate((el) => {
        const wrapper = el.closest('[aria-hidden="true"]')!;
        const r = wrapper.getBoundingClientRect();
        return { width: r.width, height: r.height, clip: getComputedStyle(wrapper).clipPath };
      });
      expect(box.width).toBeLessThanOrEqual(1);
      expect(box.height).toBeLessThanOrEqual(1);
      expect(box.clip).not.toBe('none');
      await field(page, 'Message').focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Send message');
      await page.screenshot({ path: artifactPath('contact-form.png') });

      // The browser refuses empty required fields before anything is sent.
      const send = page.getByRole('button', { name: 'Send message' });
      await send.click();
      expect(
        await field(page, 'Your name').evaluate((el: HTMLInputElement) => el.validity.valueMissing),
      ).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');
      expect(posts).toEqual([]);

      // What the browser lets through and the API refuses (an address without a domain, a message of
      // spaces) comes back field by field; what was typed stays.
      await fill(page, {
        'Your name': 'Noor Haddad',
        Email: 'noor@localhost',
        Subject: 'The lamp I ordered arrived broken',
        Message: '   ',
      });
      await send.click();
      const alert = form.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('email: must be an email address');
      expect(await alert.textContent()).toContain('message: must not be empty');
      expect(posts).toEqual([400]);
      expect(await field(page, 'Email').getAttribute('aria-invalid')).toBe('true');
      expect(await field(page, 'Message').getAttribute('aria-invalid')).toBe('true');
      expect(await field(page, 'Subject').getAttribute('aria-invalid')).toBeNull();
      const emailProblem = await field(page, 'Email').evaluate(
        (el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent,
      );
      expect(emailProblem).toBe('Email must be an email address.');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');
      expect(await field(page, 'Subject').inputValue()).toBe('The lamp I ordered arrived broken');
      await page.screenshot({ path: artifactPath('contact-errors.png') });

      // Corrected, it goes through and gives the reference to quote.
      const email = `noor-${Date.now()}@example.net`;
      await fill(page, {
        Email: email,
        'Order number': 'MR-4417',
        Message: 'The shade is cracked all the way down. Can you send a new one?',
      });
      await send.click();
      const receipt = page.getByRole('status').filter({ hasText: 'Your reference is' });
      await receipt.waitFor();
      const reference = /#\d+/.exec((await receipt.textContent()) ?? '')?.[0];
      expect(reference).toMatch(/^#\d+$/);
      expect(posts).toEqual([400, 202]);
      await page.getByRole('heading', { name: 'Message sent' }).waitFor();
      expect(await page.getByText(`We answer by email at ${email}.`).count()).toBe(1);
      await page.screenshot({ path: artifactPath('contact-sent.png') });

      // The demo agent finds it in the brand's inbox as a web-form ticket.
      const agent = await e2e.newPage();
      await signIn(agent, 'agent@example.com');
      await agent.getByRole('combobox', { name: 'Brand' }).selectOption({ label: BRAND_NAME });
      await agent.waitForURL(`**/b/${admin.brandId}/inbox`);
      const row = agent.locator('.ticket-table tbody tr', { hasText: 'The lamp I ordered arrived broken' });
      await row.waitFor();
      expect(await row.locator('.ticket-number').textContent()).toBe(reference);
      expect(await row.locator('.ticket-customer').textContent()).toBe('Noor Haddad');
      await row.click();
      await agent.getByRole('heading', { name: `${reference} The lamp I ordered arrived broken` }).waitFor();
      const facts = agent.locator('.ticket-header .order-facts');
      expect(await facts.textContent()).toContain('Web form');
      const message = agent.getByRole('listitem', { name: 'Customer from Noor Haddad' });
      expect(await message.textContent()).toContain('The shade is cracked all the way down.');
      expect(await message.textContent()).toContain('Order number: MR-4417');
      expect(await message.textContent()).toContain(email);

      // A bot that fills the hidden field is answered as if accepted, and nothing is stored.
      await page.getByRole('button', { name: 'Send another message' }).click();
      await fill(page, {
        'Your name': 'Cheap Pills',
        Email: 'bot@spam.example',
        Subject: 'Buy spamfollowers now',
        Message: 'Great deals',
      });
      await trap.fill('https://spam.example', { force: true });
      await send.click();
      await page.getByRole('status').filter({ hasText: 'Thank you, we received your message.' }).waitFor();
      expect(posts).toEqual([400, 202, 202]);
      const search = async (q: string) =>
        (await admin.call('GET', `/brands/${admin.brandId}/search?q=${encodeURIComponent(q)}`)).body.data;
      expect(await search('spamfollowers')).toEqual([]);
      expect((await search('shade cracked')).map((h: { number: number }) => `#${h.number}`)).toEqual([
        reference,
      ]);

      // One address may send five messages in ten minutes: the page says so when it is over.
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${e2e.baseUrl}/api/v1/public/contact/${PACK_SLUG}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: 'Noor Haddad',
            email,
            subject: `Follow-up ${i + 1}`,
            message: 'Any news about the lamp?',
          }),
        });
        expect(res.status).toBe(202);
      }
      await page.getByRole('button', { name: 'Send another message' }).click();
      await fill(page, {
        'Your name': 'Noor Haddad',
        Email: email,
        Subject: 'One more thing',
        Message: 'The base is scratched too.',
      });
      await send.click();
      const limited = form.getByRole('alert');
      await limited.waitFor();
      expect(await limited.textContent()).toBe(
        'You have sent several messages in a short time. Too many attempts. Try again in 10 minute(s).',
      );
      expect(posts).toEqual([400, 202, 202, 429]);
      expect(await field(page, 'Message').inputValue()).toBe('The base is scratched too.');

      // An address with no brand behind it.
      await page.goto('/contact/no-such-brand');
      await page.getByRole('heading', { name: 'No contact form here' }).waitFor();
      console.log(
        `contact: ticket ${reference} from the form found by the agent; ${Date.now() - started} ms`,
      );
    },
    TEST_MS,
  );
});
