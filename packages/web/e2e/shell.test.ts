import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';

/**
 * The app shell in a real browser against the real server and its demo data: signing in, the
 * navigation each role sees, switching brands, the Admin area, and login errors.
 */

const DEMO_PASSWORD = 'casebook-demo';
const ALL_AREAS = [
  'Inbox',
  'Orders',
  'Trackers',
  'Approvals',
  'Boards',
  'Time',
  'Reports',
  'Training',
  'Admin',
];
const BRAND_URL = /\/b\/([0-9a-f-]{36})\/inbox$/;

async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function areaLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Areas' });
  await nav.waitFor();
  // The areas themselves; pages inside an area (Orders → Imports, Vendors) are listed under it.
  return nav.locator('.side-nav-link:not(.side-nav-sublink) .side-nav-label').allTextContents();
}

function brandIdOf(url: string): string {
  const match = BRAND_URL.exec(new URL(url).pathname);
  if (!match?.[1]) throw new Error(`Not a brand inbox URL: ${url}`);
  return match[1];
}

describeWithBrowser('web app shell', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('signs an admin in, shows every area, switches brand and lists the members', async () => {
    const page = await e2e.newPage();
    await signIn(page, 'admin@example.com');
    await page.waitForURL(BRAND_URL);
    expect(await areaLabels(page)).toEqual(ALL_AREAS);
    await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();

    const switcher = page.getByRole('combobox', { name: 'Brand' });
    const firstBrandId = brandIdOf(page.url());
    const options = await switcher
      .locator('option')
      .evaluateAll((els) =>
        els.map((el) => ({ id: (el as HTMLOptionElement).value, name: el.textContent ?? '' })),
      );
    expect(options.length).toBe(5);
    const other = options.find((o) => o.id !== firstBrandId)!;

    await switcher.selectOption(other.id);
    await page.waitForURL(`**/b/${other.id}/inbox`);
    // The URL changes as navigation starts; the page shows the new brand once it has rendered.
    await page.waitForFunction((name) => document.title === `Inbox · ${name} · Casebook`, other.name);
    expect(await switcher.locator('option:checked').textContent()).toBe(other.name);
    // The inbox shows the brand's tickets (the demo has a few), or says none are waiting there.
    await page.locator('.ticket-table, .empty-state').first().waitFor();
    expect(await page.evaluate(() => localStorage.getItem('casebook.lastBrandId'))).toBe(other.id);

    // The remembered brand opens again from "/".
    await page.goto('/');
    await page.waitForURL(`**/b/${other.id}/inbox`);

    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(`**/b/${other.id}/admin/members`);
    const table = page.getByRole('table');
    await table.getByRole('cell', { name: 'agent@example.com' }).waitFor();
    const members = await table.locator('tbody tr td:first-child').allTextContents();
    for (const name of ['Ada Admin', 'Alex Agent', 'Leo Lead', 'Mara Manager']) {
      expect(members.some((m) => m.startsWith(name))).toBe(true);
    }
    // Admins may not change their own membership: no buttons on their own row.
    const ownRow = table.getByRole('row', { name: /Ada Admin/ });
    expect(await ownRow.getByRole('button').count()).toBe(0);
    expect(
      await table
        .getByRole('row', { name: /Alex Agent/ })
        .getByRole('button', { name: 'Remove' })
        .count(),
    ).toBe(1);

    await page.screenshot({ path: artifactPath('shell.png') });
  });

  it('does not show the Admin area to an agent', async () => {
    const page = await e2e.newPage();
    await signIn(page, 'agent@example.com');
    await page.waitForURL(BRAND_URL);
    // Nor Reports: the agent role has no reports.read.
    expect(await areaLabels(page)).toEqual(ALL_AREAS.filter((a) => a !== 'Admin' && a !== 'Reports'));

    // Typing the address does not open it either.
    const brandId = brandIdOf(page.url());
    await page.goto(`/b/${brandId}/admin/members`);
    await page.waitForURL(`**/b/${brandId}/inbox`);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });

  it('shows the API’s message for a wrong password', async () => {
    const page = await e2e.newPage();
    await signIn(page, 'manager@example.com', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The email or password is not correct.');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('moves around with keyboard shortcuts and lists them under ?', async () => {
    const page = await e2e.newPage();
    await signIn(page, 'lead@example.com');
    await page.waitForURL(BRAND_URL);
    await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();

    await page.keyboard.press('g');
    await page.keyboard.press('o');
    await page.waitForURL(/\/orders$/);
    await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor();

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Go to Training');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
  });
});
