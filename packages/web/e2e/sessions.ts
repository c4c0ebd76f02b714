import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/*
 * Signing in for browser tests: through the API (for seeding data) and through the login page.
 * Every demo account has the same password.
 */

export const DEMO_PASSWORD = 'casebook-demo';

/** A signed-in API session made with fetch: the session cookie and the CSRF token for writes. */
export type ApiSession = {
  brandId: string;
  userId: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
};

/** Signs in through the API and picks the demo brand on the pack `packSlug`. */
export async function apiSignIn(baseUrl: string, email: string, packSlug: string): Promise<ApiSession> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const session = (await login.json()) as {
    csrfToken: string;
    user: { id: string };
    brands: { id: string; slug: string }[];
  };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const brand = session.brands.find((b) => b.slug === packSlug);
  if (!brand) throw new Error(`${email} is not a member of the ${packSlug} brand.`);
  return {
    brandId: brand.id,
    userId: session.user.id,
    async call(method, path, body) {
      const headers: Record<string, string> = { cookie, 'x-csrf-token': session.csrfToken };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
    },
  };
}

/** Signs in on the login page and waits for the app's navigation. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Areas' }).waitFor();
}

/** Opens a brand with the switcher; the app lands on its inbox. */
export async function openBrand(page: Page, brandId: string): Promise<void> {
  const switcher = page.getByRole('combobox', { name: 'Brand' });
  if ((await switcher.inputValue()) !== brandId) await switcher.selectOption(brandId);
  await page.waitForURL(`**/b/${brandId}/inbox`);
}
