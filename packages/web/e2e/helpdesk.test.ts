import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, openBrand, signIn } from './sessions';

/**
 * The helpdesk in real browsers against the real server: the inbox, the ticket view, collision
 * notices and live updates between two agents, stale changes, and a macro made in the admin area
 * and used on a ticket. Tickets are opened through the API as an integration would; the demo
 * agent (Alex Agent) and lead (Leo Lead) work them in two separate browser contexts.
 */

const PACK_SLUG = 'marketplace-dropship';
/** Live updates cross the server's LISTEN/NOTIFY and the SSE stream; give them time on a busy machine. */
const LIVE_MS = 15_000;
/** Each test drives one or two browsers through many steps; the default 30 s is too short on two cores. */
const TEST_MS = 180_000;

let seq = 0;

/** Opens a ticket as an integration would (a customer's email arriving). */
async function openTicket(api: ApiSession, subject: string, extra: Record<string, unknown> = {}) {
  seq++;
  const res = await api.call('POST', '/tickets', {
    brandId: api.brandId,
    channel: 'email',
    subject,
    body: `Hello, ${subject.toLowerCase()}. Can you help?`,
    customer: { email: `customer-${seq}-${Date.now()}@example.net`, name: 'Rita Ortiz' },
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; number: number; version: number; subject: string };
}

const ticketRow = (page: Page, subject: string) =>
  page.locator('.ticket-table tbody tr', { hasText: subject });

async function openInbox(page: Page, email: string, brandId: string): Promise<void> {
  await signIn(page, email);
  await openBrand(page, brandId);
  await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
  // The brand switcher keeps focus after choosing; shortcuts wait until focus leaves a field.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

describeWithBrowser('helpdesk', () => {
  let e2e: E2E;
  let admin: ApiSession;
  let lead: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
    lead = await apiSignIn(e2e.baseUrl, 'lead@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it(
    'works a ticket from the inbox while a second agent sees who is there and the list change live',
    async () => {
      const leadPage = await e2e.newPage();
      await openInbox(leadPage, 'lead@example.com', admin.brandId);
      await leadPage.locator('.ticket-table').waitFor();

      // A new ticket arrives: the lead's open inbox shows it without a reload.
      const subject = 'Blender arrived with a cracked jug';
      const ticket = await openTicket(admin, subject, { priority: 'high' });
      await ticketRow(leadPage, subject).waitFor({ timeout: LIVE_MS });

      const page = await e2e.newPage();
      await openInbox(page, 'agent@example.com', admin.brandId);
      const row = ticketRow(page, subject);
      await row.waitFor();
      expect(await row.textContent()).toContain(`#${ticket.number}`);
      expect(await row.textContent()).toContain('Rita Ortiz');
      expect(await row.locator('.sla-state').textContent()).toBe('On track');
      const counts = page.getByRole('navigation', { name: 'Ticket views' });
      expect(await counts.getByRole('link', { name: /^Unassigned/ }).textContent()).toMatch(/\d+$/);
      await page.screenshot({ path: artifactPath('inbox.png') });

      // j moves through the rows, Enter opens the focused ticket.
      await page.keyboard.press('j');
      await page.waitForFunction(() => document.activeElement?.matches('.ticket-table tbody tr'));
      await row.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: `#${ticket.number} ${subject}` }).waitFor();

      // The lead opens the same ticket: each sees the other.
      await ticketRow(leadPage, subject).click();
      await leadPage.getByRole('heading', { name: `#${ticket.number} ${subject}` }).waitFor();
      await leadPage.locator('.presence', { hasText: 'Alex Agent is viewing' }).waitFor({ timeout: LIVE_MS });
      await page.locator('.presence', { hasText: 'Leo Lead is viewing' }).waitFor({ timeout: LIVE_MS });

      // `n` starts a note; while it has text, the lead sees Alex replying.
      await page.keyboard.press('n');
      const note = page.getByRole('textbox', { name: 'Internal note' });
      await note.waitFor();
      // The composer takes focus once it has rendered; this fails by timeout if it never does.
      await page.waitForFunction(
        () => document.activeElement?.getAttribute('aria-label') === 'Internal note',
      );
      await note.fill('Customer sent photos; the jug is cracked at the base.');
      await leadPage
        .locator('.presence', { hasText: 'Alex Agent is replying' })
        .waitFor({ timeout: LIVE_MS });
      await page.getByRole('button', { name: 'Add note' }).click();
      const conversation = page.getByRole('list', { name: 'Conversation' });
      await conversation.getByRole('listitem', { name: 'Internal note from Alex Agent' }).waitFor();
      expect(await page.getByRole('status').filter({ hasText: 'Note added.' }).count()).toBe(1);

      // `r` starts a reply; send it and set the status in one step.
      await page.keyboard.press('r');
      const reply = page.getByRole('textbox', { name: 'Reply to the customer' });
      await reply.fill('Sorry about the jug, Rita. A replacement is on its way today.');
      await page.getByLabel('Then set status').selectOption('pending');
      await page.getByRole('button', { name: 'Send reply and set Pending on customer' }).click();
      const sent = conversation.getByRole('listitem', { name: 'Reply from Alex Agent' });
      await sent.waitFor();
      expect(await sent.textContent()).toContain('A replacement is on its way today.');
      expect(await sent.locator('.tag', { hasText: /Sending|Sent/ }).count()).toBe(1);
      await page.locator('.ticket-header .badge', { hasText: 'Pending on customer' }).waitFor();

      // The history has each step, newest first.
      const history = page.getByRole('list', { name: 'Ticket history, newest first' });
      const entries = await history.locator('.history-text').allTextContents();
      expect(entries[0]).toMatch(/^Status (Open → |set to )Pending on customer$/);
      expect(entries.slice(1, 3)).toEqual(['Replied to the customer', 'Added an internal note']);
      expect(entries.at(-1)).toBe('Created via Email as Open');
      await page.setViewportSize({ width: 1366, height: 1100 });
      await page.screenshot({ path: artifactPath('ticket.png') });

      // The lead was reading an older version: a notice offers the reload; nothing changed under them.
      const leadNotice = leadPage.getByRole('status').filter({ hasText: 'This ticket changed — reload' });
      await leadNotice.waitFor({ timeout: LIVE_MS });
      await leadPage.getByRole('button', { name: 'Reload ticket' }).click();
      await leadPage
        .getByRole('list', { name: 'Conversation' })
        .getByRole('listitem', { name: 'Reply from Alex Agent' })
        .waitFor();
      await leadNotice.waitFor({ state: 'detached' });

      // Back in the inbox, the lead sees the ticket leave "Needs work" when Alex solves it.
      await leadPage.getByRole('link', { name: '← Inbox' }).click();
      await ticketRow(leadPage, subject).waitFor();
      await page.getByLabel('Status', { exact: true }).selectOption('solved');
      await page.locator('.ticket-header .badge', { hasText: 'Solved' }).waitFor();
      await ticketRow(leadPage, subject).waitFor({ state: 'detached', timeout: LIVE_MS });

      // Leaving the ticket says so: the lead no longer sees Alex there.
      const presence = await lead.call('GET', `/tickets/${ticket.id}/presence`);
      expect(presence.body.data.map((p: { name: string }) => p.name)).toContain('Alex Agent');
      await page.getByRole('link', { name: '← Inbox' }).click();
      await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
      await expect
        .poll(async () => (await lead.call('GET', `/tickets/${ticket.id}/presence`)).body.data.length, {
          timeout: LIVE_MS,
        })
        .toBe(0);
    },
    TEST_MS,
  );

  it(
    'refuses a change made on a stale ticket and offers the current state',
    async () => {
      const subject = 'Wrong colour of sofa delivered';
      const ticket = await openTicket(admin, subject);
      const page = await e2e.newPage();
      await signIn(page, 'agent@example.com');
      await page.goto(`/b/${admin.brandId}/tickets/${ticket.id}`);
      await page.getByRole('heading', { name: `#${ticket.number} ${subject}` }).waitFor();

      // Meanwhile the lead assigns it to themself and raises the priority.
      const changed = await lead.call('PATCH', `/tickets/${ticket.id}`, {
        version: ticket.version,
        priority: 'urgent',
        assigneeId: lead.userId,
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);

      // Alex, still looking at the old version, changes the status: refused, explained, not overwritten.
      await page.getByLabel('Status', { exact: true }).selectOption('pending');
      const alert = page.getByRole('alert').filter({ hasText: 'This ticket changed — reload.' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('It is now Open, assigned to Leo Lead');
      const after = await admin.call('GET', `/tickets/${ticket.id}`);
      expect(after.body.data.status).toBe('open');
      expect(after.body.data.priority).toBe('urgent');

      await page.getByRole('button', { name: 'Reload ticket' }).click();
      await alert.waitFor({ state: 'detached' });
      expect(await page.getByLabel('Priority', { exact: true }).inputValue()).toBe('urgent');
      expect(await page.getByLabel('Assignee', { exact: true }).inputValue()).toBe(lead.userId);
      // Now the same change goes through.
      await page.getByLabel('Status', { exact: true }).selectOption('pending');
      await page.locator('.ticket-header .badge', { hasText: 'Pending on customer' }).waitFor();
    },
    TEST_MS,
  );

  it(
    'lets an admin create a macro that an agent fills in and sends',
    async () => {
      const adminPage = await e2e.newPage();
      await signIn(adminPage, 'admin@example.com');
      await openBrand(adminPage, admin.brandId);
      await adminPage.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Admin' }).click();
      await adminPage
        .getByRole('navigation', { name: 'Admin sections' })
        .getByRole('link', { name: 'Macros' })
        .click();
      await adminPage.getByRole('heading', { name: /^Macros/ }).waitFor();
      // Pack macros are listed read-only.
      await adminPage.locator('tbody tr', { hasText: 'from pack' }).first().waitFor();

      await adminPage.getByRole('button', { name: 'New macro' }).click();
      const dialog = adminPage.getByRole('dialog', { name: 'New macro' });
      await dialog.waitFor();
      await dialog.getByLabel('Name', { exact: true }).fill('Replacement on its way');
      const text = dialog.getByLabel('Text', { exact: true });
      await text.fill('Hi ');
      await dialog.getByRole('button', { name: /^Insert customer\.firstName/ }).click();
      await text.press('End');
      await text.pressSequentially(', a replacement for order {{order.number}} ships today. — ');
      await dialog.getByRole('button', { name: /^Insert agent\.firstName/ }).click();
      expect(await text.inputValue()).toBe(
        'Hi {{customer.firstName}}, a replacement for order {{order.number}} ships today. — {{agent.firstName}}',
      );
      await dialog.getByRole('button', { name: 'Add action' }).click();
      await dialog.getByLabel('Action 1 type').selectOption('add_tag');
      await dialog.getByLabel('Action 1 tag').fill('replacement');
      await dialog.getByRole('button', { name: 'Add action' }).click();
      await dialog.getByLabel('Action 2 status').selectOption('pending');
      await dialog.getByRole('button', { name: 'Create macro' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const macroRow = adminPage.locator('tbody tr', { hasText: 'Replacement on its way' });
      await macroRow.waitFor();
      expect(await macroRow.textContent()).toContain('Add the tag “replacement”');

      // Alex uses it on a ticket with no linked order: the order number must be filled in by hand.
      const subject = 'Kettle stopped working after a week';
      const ticket = await openTicket(admin, subject);
      const page = await e2e.newPage();
      await signIn(page, 'agent@example.com');
      await page.goto(`/b/${admin.brandId}/tickets/${ticket.id}`);
      await page.getByRole('heading', { name: `#${ticket.number} ${subject}` }).waitFor();
      await page.keyboard.press('m');
      const picker = page.getByRole('dialog', { name: 'Insert a macro' });
      await picker.waitFor();
      await picker.getByLabel('Find a macro').fill('replacement on');
      const preview = picker.getByRole('region', { name: 'Preview of Replacement on its way' });
      await preview.locator('.macro-text').waitFor();
      expect(await preview.locator('.macro-text').textContent()).toBe(
        'Hi Rita, a replacement for order {{order.number}} ships today. — Alex',
      );
      expect(await preview.textContent()).toContain('This ticket has no value for {{order.number}}');
      expect(await preview.textContent()).toContain('Add the tag “replacement”');
      await picker.getByRole('button', { name: 'Use this macro' }).click();
      await picker.waitFor({ state: 'hidden' });

      const reply = page.getByRole('textbox', { name: 'Reply to the customer' });
      expect(await reply.inputValue()).toContain('{{order.number}}');
      const send = page.getByRole('button', { name: 'Send reply' });
      expect(await send.isDisabled()).toBe(true);
      expect(await page.getByRole('alert').filter({ hasText: 'Fill in {{order.number}}' }).count()).toBe(1);

      await reply.fill((await reply.inputValue()).replace('{{order.number}}', 'A-7788'));
      await send.click();
      const sent = page
        .getByRole('list', { name: 'Conversation' })
        .getByRole('listitem', { name: 'Reply from Alex Agent' });
      await sent.waitFor();
      expect(await sent.textContent()).toContain(
        'Hi Rita, a replacement for order A-7788 ships today. — Alex',
      );
      expect(await sent.textContent()).toContain('macro Replacement on its way');
      // The macro's actions ran with it.
      await page.locator('.ticket-header .badge', { hasText: 'Pending on customer' }).waitFor();
      await page.locator('.ticket-properties .chip', { hasText: 'replacement' }).waitFor();
    },
    TEST_MS,
  );
  it(
    'shows HTML mail only in a sandboxed frame, and sends attachments and side conversations',
    async () => {
      const subject = 'Receipt for the missing soundbar';
      const ticket = await openTicket(admin, subject, {
        bodyHtml:
          '<p>Receipt <b>attached</b>.</p><script>parent.document.title = "owned"</script><img src="https://tracker.example/p.gif">',
        attachments: [
          {
            filename: 'receipt.txt',
            contentType: 'text/plain',
            contentBase64: Buffer.from('Order A-1').toString('base64'),
          },
        ],
      });
      const page = await e2e.newPage();
      await signIn(page, 'agent@example.com');
      await page.goto(`/b/${admin.brandId}/tickets/${ticket.id}`);
      await page.getByRole('heading', { name: `#${ticket.number} ${subject}` }).waitFor();

      // The customer's HTML is shown in a frame with every sandbox restriction, never in the app's page.
      const message = page.getByRole('listitem', { name: 'Customer from Rita Ortiz' });
      const frame = message.locator('iframe');
      expect(await frame.getAttribute('sandbox')).toBe('');
      const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
      expect(srcdoc).toContain('<b>attached</b>');
      expect(srcdoc).not.toContain('<script');
      expect(await page.title()).not.toBe('owned');
      expect(await message.locator('.message-text').count()).toBe(0);
      await message.getByRole('button', { name: 'Show as plain text' }).click();
      expect(await message.locator('.message-text').textContent()).toContain('Can you help?');

      // Attachments download from the API, never rendered in the app's origin.
      const link = message.getByRole('link', { name: 'receipt.txt' });
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toMatch(/^\/api\/v1\/attachments\/[0-9a-f-]{36}$/);
      const download = await page.request.get(href);
      expect(download.status()).toBe(200);
      expect(download.headers()['content-disposition']).toMatch(/^attachment;/);
      expect(await download.text()).toBe('Order A-1');

      // A note with a file.
      await page.keyboard.press('n');
      await page.getByRole('textbox', { name: 'Internal note' }).fill('Shipping label from the warehouse.');
      await page.getByLabel('Attach files').setInputFiles({
        name: 'label.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4 label'),
      });
      await page.getByRole('list', { name: 'Attached files' }).getByText('label.pdf').waitFor();
      await page.getByRole('button', { name: 'Add note' }).click();
      const note = page.getByRole('listitem', { name: 'Internal note from Alex Agent' });
      await note.getByRole('link', { name: 'label.pdf' }).waitFor();

      // A side conversation with the vendor: opened, answered, closed; the customer never sees it.
      const sides = page.getByRole('region', { name: /^Side conversations/ });
      await sides.getByRole('button', { name: 'New', exact: true }).click();
      const form = sides.getByRole('form', { name: 'New side conversation' });
      await form.getByLabel('To (email)').fill('orders@vendor.example');
      await form.getByLabel('Message').fill('Can you confirm the soundbar left your warehouse?');
      await form.getByRole('button', { name: 'Send' }).click();
      const thread = sides.getByRole('article', { name: `Vendor: ${subject} [#${ticket.number}]` });
      await thread.waitFor();
      await thread.locator('.badge', { hasText: 'Waiting' }).waitFor();
      expect(await thread.textContent()).toContain('Can you confirm the soundbar left your warehouse?');
      await thread.getByRole('textbox', { name: 'Reply to orders@vendor.example' }).fill('Any update?');
      await thread.getByRole('button', { name: 'Send' }).click();
      await thread.getByText('Any update?').waitFor();
      await thread.getByRole('button', { name: /^Close side conversation/ }).click();
      await thread.locator('.badge', { hasText: 'Closed' }).waitFor();
      const conversation = page.getByRole('list', { name: 'Conversation' });
      expect(await conversation.textContent()).not.toContain('Any update?');
    },
    TEST_MS,
  );

  it(
    'changes many tickets at once and keeps the filters as a saved view',
    async () => {
      const tag = `bulk-${Date.now()}`;
      const first = await openTicket(admin, 'Two chairs arrived, four ordered', { tags: [tag] });
      const second = await openTicket(admin, 'Chair legs missing screws', { tags: [tag] });
      const page = await e2e.newPage();
      await openInbox(page, 'agent@example.com', admin.brandId);

      const filters = page.getByRole('form', { name: 'Filter tickets' });
      await filters.getByLabel('Tag').fill(tag);
      await filters.getByLabel('Tag').press('Enter');
      await page.waitForURL(`**/inbox?tag=${tag}`);
      await expect.poll(() => page.locator('.ticket-table tbody tr').count()).toBe(2);

      await page.getByRole('checkbox', { name: 'Select all loaded tickets' }).check();
      const bulk = page.getByRole('form', { name: 'Change selected tickets' });
      await bulk.getByRole('status').filter({ hasText: '2 selected' }).waitFor();
      await bulk.getByLabel('Assignee').selectOption({ label: 'Alex Agent' });
      await bulk.getByLabel('Add tags').fill('vip');
      await bulk.getByRole('button', { name: 'Apply to 2' }).click();
      await page.getByRole('status').filter({ hasText: '2 tickets updated.' }).waitFor();
      await bulk.waitFor({ state: 'detached' });
      for (const t of [first, second]) {
        const row = page.locator(`.ticket-table tbody tr[data-ticket-id="${t.id}"]`);
        await row.locator('.chip', { hasText: 'vip' }).waitFor();
        expect(await row.textContent()).toContain('Alex Agent');
      }

      await page.getByRole('button', { name: 'Save view' }).click();
      const dialog = page.getByRole('dialog', { name: 'Save view' });
      await dialog.getByLabel('Name').fill('Chair problems');
      await dialog.getByRole('button', { name: 'Save view' }).click();
      const views = page.getByRole('navigation', { name: 'Ticket views' });
      const saved = views.getByRole('link', { name: 'Chair problems' });
      await saved.waitFor();
      expect(await saved.getAttribute('aria-current')).toBe('page');

      // Mine now counts them; the saved view brings the filter back.
      await views.getByRole('link', { name: /^Mine/ }).click();
      await page.waitForURL('**/inbox?assignee=me');
      await ticketRow(page, 'Chair legs missing screws').waitFor();
      await saved.click();
      await page.waitForURL(`**/inbox?tag=${tag}`);
      expect(await filters.getByLabel('Tag').inputValue()).toBe(tag);
    },
    TEST_MS,
  );
  it(
    'logs a phone call as a ticket and keeps the customer’s details',
    async () => {
      const page = await e2e.newPage();
      await openInbox(page, 'agent@example.com', admin.brandId);
      await page.getByRole('button', { name: 'New ticket' }).click();
      const dialog = page.getByRole('dialog', { name: 'New ticket' });
      await dialog.getByLabel('Name').fill('Omar Haddad');
      await dialog.getByRole('textbox', { name: 'Email' }).fill(`omar-${Date.now()}@example.net`);
      await dialog.getByLabel('Subject').fill('Called about a late dishwasher');
      await dialog.getByLabel('What was said').fill('Omar called: the dishwasher is a week late.');
      await dialog.getByRole('button', { name: 'Create ticket' }).click();
      await page.getByRole('heading', { name: /Called about a late dishwasher$/ }).waitFor();
      await page
        .getByRole('status')
        .filter({ hasText: /^Ticket #\d+ created\.$/ })
        .waitFor();
      // The call is the first message, as the agent's internal note.
      await page.getByRole('listitem', { name: 'Internal note from Alex Agent' }).waitFor();

      // The customer's page, from the ticket header: edit their details, see their ticket.
      await page.locator('.ticket-header').getByRole('link', { name: 'Omar Haddad' }).click();
      await page.getByRole('heading', { name: 'Omar Haddad' }).waitFor();
      const details = page.getByRole('region', { name: 'Details' });
      await details.getByLabel('Phone').fill('+1 555 0100');
      await details.getByLabel('Notes').fill('Prefers calls in the morning.');
      await details.getByRole('button', { name: 'Save details' }).click();
      await details.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await details.getByLabel('Email address to add').fill('omar.work@example.net');
      await details.getByRole('button', { name: 'Add address' }).click();
      await details.getByRole('button', { name: 'Remove omar.work@example.net' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Omar Haddad' }).waitFor();
      expect(await details.getByLabel('Phone').inputValue()).toBe('+1 555 0100');
      expect(await details.getByLabel('Notes').inputValue()).toBe('Prefers calls in the morning.');
      await page
        .getByRole('region', { name: /^Tickets/ })
        .getByRole('cell', { name: 'Called about a late dishwasher' })
        .waitFor();
    },
    TEST_MS,
  );
});
