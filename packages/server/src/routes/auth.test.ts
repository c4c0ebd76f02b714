import { beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../auth/loginRateLimit';
import { SESSION_IDLE_MS } from '../auth/sessions';
import type { BrandRow } from '../policies';
import { makeBrand, makeUser, signedInMember, TEST_PASSWORD } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';

describe('sign-in, sessions and CSRF', () => {
  let h: Harness;
  let brand: BrandRow;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h);
  });

  it('signs in with email and password and sets an httpOnly, SameSite=Lax session cookie', async () => {
    const user = await makeUser(h);
    const client = new TestClient(h.app);
    const res = await client.post('/api/v1/auth/login', {
      email: user.email.toUpperCase(),
      password: TEST_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(user.email);
    expect(res.body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^cb_session=[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
  });

  it('refuses a wrong password, an unknown email and a disabled account alike', async () => {
    const user = await makeUser(h);
    const client = new TestClient(h.app);
    const wrong = await client.post('/api/v1/auth/login', {
      email: user.email,
      password: 'not the password',
    });
    const unknown = await client.post('/api/v1/auth/login', {
      email: 'nobody-here@example.com',
      password: TEST_PASSWORD,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toEqual(unknown.body.error);
    expect(wrong.body.error.code).toBe('invalid_credentials');

    const admin = await signedInMember(h, brand, 'admin', { isOrgAdmin: true });
    expect((await admin.client.patch(`/api/v1/users/${user.id}`, { disabled: true })).status).toBe(200);
    const disabled = await client.post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD });
    expect(disabled.status).toBe(401);
  });

  it('limits failed sign-ins per email, even when the next password is right', async () => {
    const user = await makeUser(h);
    const client = new TestClient(h.app);
    for (let i = 0; i < LOGIN_LIMITS.perEmail; i++) {
      expect(
        (await client.post('/api/v1/auth/login', { email: user.email, password: `wrong-${i}` })).status,
      ).toBe(401);
    }
    const limited = await client.post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is limited too, because the limit is per account.
    const other = new TestClient(h.app);
    expect(
      (await other.post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD })).status,
    ).toBe(429);
    // After the window, the right password works again.
    h.clock.advance(LOGIN_LIMITS.windowMs + 1000);
    expect(
      (await client.post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD })).status,
    ).toBe(200);
  });

  it('limits failed sign-ins per client address, which a forged X-Forwarded-For does not change', async () => {
    const client = new TestClient(h.app);
    for (let i = 0; i < LOGIN_LIMITS.perIp; i++) {
      const res = await client.post('/api/v1/auth/login', {
        email: `guess-${i}@example.com`,
        password: 'guess',
      });
      expect(res.status).toBe(401);
    }
    const user = await makeUser(h);
    const res = await client.request(
      'POST',
      '/api/v1/auth/login',
      { email: user.email, password: TEST_PASSWORD },
      { headers: { 'x-forwarded-for': '203.0.113.7' } },
    );
    expect(res.status).toBe(429);
    expect((await new TestClient(h.app).signIn(user.email, TEST_PASSWORD)).status).toBe(200);
  });

  it('ends the session on logout', async () => {
    const { client } = await signedInMember(h, brand, 'agent');
    expect((await client.get('/api/v1/auth/session')).status).toBe(200);
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    const after = await client.get('/api/v1/auth/session');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
  });

  it('ends every other session on password change and keeps the current one', async () => {
    const { user, client } = await signedInMember(h, brand, 'agent');
    const otherBrowser = new TestClient(h.app);
    expect((await otherBrowser.signIn(user.email, TEST_PASSWORD)).status).toBe(200);

    const res = await client.post('/api/v1/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a brand new password',
    });
    expect(res.status).toBe(200);
    expect(res.body.endedSessions).toBe(1);
    expect((await client.get('/api/v1/auth/session')).status).toBe(200);
    expect((await otherBrowser.get('/api/v1/auth/session')).status).toBe(401);
    expect((await new TestClient(h.app).signIn(user.email, 'a brand new password')).status).toBe(200);
    expect((await new TestClient(h.app).signIn(user.email, TEST_PASSWORD)).status).toBe(401);
  });

  it('refuses a password change with the wrong current password, naming the field', async () => {
    const { client } = await signedInMember(h, brand, 'agent');
    const res = await client.post('/api/v1/auth/password', {
      currentPassword: 'nope',
      newPassword: 'another password',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('currentPassword');
    const short = await client.post('/api/v1/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/newPassword: must be at least 10 characters/);
  });

  it('expires a session after it has been idle too long', async () => {
    const { client } = await signedInMember(h, brand, 'agent');
    h.clock.advance(SESSION_IDLE_MS + 1000);
    expect((await client.get('/api/v1/auth/session')).status).toBe(401);
  });

  it('refuses cookie-authenticated writes without the CSRF token', async () => {
    const { client } = await signedInMember(h, brand, 'admin');
    const missing = await client.post('/api/v1/auth/logout', undefined, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf_failed');
    const token = client.csrfToken;
    client.csrfToken = 'forged-token-value';
    const forged = await client.patch(`/api/v1/brands/${brand.id}`, { name: 'Renamed' });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf_failed');
    client.csrfToken = token;
    expect((await client.patch(`/api/v1/brands/${brand.id}`, { name: 'Renamed' })).status).toBe(200);
  });

  it('asks for sign-in on protected routes', async () => {
    const res = await new TestClient(h.app).get(`/api/v1/brands/${brand.id}`);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthenticated', message: 'Sign in to continue.' });
  });
});
