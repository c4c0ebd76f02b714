import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandRow } from '../policies';
import { makeBrand, makeMember, makeUser, signedInMember, TEST_PASSWORD } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';

describe('members, roles, API tokens and accounts', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  let adminUserId: string;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'fashion-leads');
    const signed = await signedInMember(h, brand, 'admin', { isOrgAdmin: true });
    admin = signed.client;
    adminUserId = signed.user.id;
  });

  describe('members', () => {
    it('adds an existing account with a role of the pack, and lists it with allowed actions', async () => {
      const user = await makeUser(h);
      const res = await admin.post(`/api/v1/brands/${brand.id}/members`, { email: user.email, role: 'asl' });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        user: { email: user.email },
        role: { name: 'asl', title: 'Assistant Shift Lead' },
      });
      expect(res.body.data.allowed).toEqual(['update', 'remove']);
    });

    it('refuses an unknown account, an unknown role and a duplicate', async () => {
      const unknown = await admin.post(`/api/v1/brands/${brand.id}/members`, {
        email: 'ghost@example.com',
        role: 'agent',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/^email: no account uses ghost@example.com/);
      const user = await makeUser(h);
      const badRole = await admin.post(`/api/v1/brands/${brand.id}/members`, {
        email: user.email,
        role: 'wizard',
      });
      expect(badRole.status).toBe(400);
      expect(badRole.body.error.message).toBe('role: "wizard" is not a role of this brand');
      await admin.post(`/api/v1/brands/${brand.id}/members`, { email: user.email, role: 'agent' });
      const dup = await admin.post(`/api/v1/brands/${brand.id}/members`, {
        email: user.email,
        role: 'agent',
      });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('conflict');
    });

    it('does not let a person change or remove their own membership', async () => {
      const list = await admin.get(`/api/v1/brands/${brand.id}/members`);
      const own = list.body.data.find((m: { user: { id: string } }) => m.user.id === adminUserId);
      expect(own.allowed).toEqual([]);
      const res = await admin.patch(`/api/v1/brands/${brand.id}/members/${own.id}`, { role: 'agent' });
      expect(res.status).toBe(403);
      expect((await admin.delete(`/api/v1/brands/${brand.id}/members/${own.id}`)).status).toBe(403);
    });

    it('takes the brand away from a removed member at once', async () => {
      const { client, user } = await signedInMember(h, brand, 'agent');
      expect((await client.get(`/api/v1/brands/${brand.id}`)).status).toBe(200);
      const list = await admin.get(`/api/v1/brands/${brand.id}/members`);
      const id = list.body.data.find((m: { user: { id: string } }) => m.user.id === user.id).id;
      await admin.delete(`/api/v1/brands/${brand.id}/members/${id}`);
      expect((await client.get(`/api/v1/brands/${brand.id}`)).status).toBe(404);
    });
  });

  describe('roles', () => {
    it('creates the pack’s roles with the brand, read-only', async () => {
      const res = await admin.get(`/api/v1/brands/${brand.id}/roles`);
      const names = res.body.data.map((r: { name: string }) => r.name);
      expect(names).toEqual(expect.arrayContaining(['agent', 'lead', 'asl', 'sa', 'manager', 'admin']));
      const lead = res.body.data.find((r: { name: string }) => r.name === 'lead');
      expect(lead).toMatchObject({ source: 'pack', allowed: [] });
      const change = await admin.patch(`/api/v1/brands/${brand.id}/roles/${lead.id}`, {
        capabilities: ['audit.read'],
      });
      expect(change.status).toBe(403);
      expect(change.body.error.message).toContain("comes from the brand's SOP pack");
    });

    it('lets a role holder act with the capabilities of a custom role, and follows changes to it', async () => {
      const role = await admin.post(`/api/v1/brands/${brand.id}/roles`, {
        name: 'qa',
        title: 'QA',
        capabilities: [],
      });
      expect(role.body.data.allowed).toEqual(['update', 'delete']);
      const user = await makeUser(h);
      await admin.post(`/api/v1/brands/${brand.id}/members`, { email: user.email, role: 'qa' });
      const qa = new TestClient(h.app);
      await qa.signIn(user.email, TEST_PASSWORD);
      expect((await qa.get(`/api/v1/brands/${brand.id}/audit`)).status).toBe(403);
      await admin.patch(`/api/v1/brands/${brand.id}/roles/${role.body.data.id}`, {
        capabilities: ['audit.read'],
      });
      expect((await qa.get(`/api/v1/brands/${brand.id}/audit`)).status).toBe(200);
      const del = await admin.delete(`/api/v1/brands/${brand.id}/roles/${role.body.data.id}`);
      expect(del.status).toBe(409);
      expect(del.body.error.message).toContain('held by 1');
    });
  });

  describe('API tokens', () => {
    it('shows a token once, stores only its hash, and authenticates with it until revoked', async () => {
      const created = await admin.post(`/api/v1/brands/${brand.id}/api-tokens`, {
        name: 'order sync',
        role: 'manager',
      });
      expect(created.status).toBe(201);
      const token: string = created.body.token;
      expect(token).toMatch(/^cbk_[\w-]{40,}$/);
      expect(token.startsWith(created.body.data.prefix)).toBe(true);

      const list = await admin.get(`/api/v1/brands/${brand.id}/api-tokens`);
      expect(JSON.stringify(list.body)).not.toContain(token);
      const { apiTokens } = await import('../db/schema');
      const rows = await h.deps.database.db.select().from(apiTokens);
      expect(rows.some((r) => r.tokenHash === token || r.tokenHash.includes(token))).toBe(false);

      const bot = new TestClient(h.app);
      bot.bearer = token;
      expect((await bot.get(`/api/v1/brands/${brand.id}/audit`)).status).toBe(200);
      // The manager role has no api_tokens.manage: the token is refused that, like a person would be.
      expect((await bot.get(`/api/v1/brands/${brand.id}/api-tokens`)).status).toBe(403);

      expect(
        (await admin.delete(`/api/v1/brands/${brand.id}/api-tokens/${created.body.data.id}`)).status,
      ).toBe(204);
      const after = await bot.get(`/api/v1/brands/${brand.id}/audit`);
      expect(after.status).toBe(401);
      expect(after.body.error.message).toBe('The API token is not valid, has expired or was revoked.');
    });

    it('refuses an expired token and a malformed one', async () => {
      const expiresAt = new Date(h.clock.now().getTime() + 60_000).toISOString();
      const created = await admin.post(`/api/v1/brands/${brand.id}/api-tokens`, {
        name: 'short',
        role: 'agent',
        expiresAt,
      });
      const bot = new TestClient(h.app);
      bot.bearer = created.body.token;
      expect((await bot.get(`/api/v1/brands/${brand.id}`)).status).toBe(200);
      h.clock.advance(120_000);
      expect((await bot.get(`/api/v1/brands/${brand.id}`)).status).toBe(401);
      bot.bearer = 'cbk_made-up';
      expect((await bot.get(`/api/v1/brands/${brand.id}`)).status).toBe(401);
    });

    it('forgets a token another app instance revoked, as soon as its notification arrives', async () => {
      const created = await admin.post(`/api/v1/brands/${brand.id}/api-tokens`, {
        name: 'elsewhere',
        role: 'manager',
      });
      const bot = new TestClient(h.app);
      bot.bearer = created.body.token;
      expect((await bot.get(`/api/v1/brands/${brand.id}/audit`)).status).toBe(200);
      // Another instance revokes it: this process learns of it only through the database.
      const { apiTokens } = await import('../db/schema');
      const { eq } = await import('drizzle-orm');
      const { AUTH_CHANGES_CHANNEL } = await import('../auth/apiTokens');
      const heard = new Promise<void>((resolve) => {
        void h.deps.database.listen(AUTH_CHANGES_CHANNEL, () => resolve());
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await h.deps.database.db
        .update(apiTokens)
        .set({ revokedAt: h.clock.now() })
        .where(eq(apiTokens.id, created.body.data.id));
      await heard;
      expect((await bot.get(`/api/v1/brands/${brand.id}/audit`)).status).toBe(401);
    });

    it('applies a change to the token’s role at once', async () => {
      const role = await admin.post(`/api/v1/brands/${brand.id}/roles`, {
        name: 'auditor_bot',
        title: 'Auditor bot',
        capabilities: ['audit.read'],
      });
      const created = await admin.post(`/api/v1/brands/${brand.id}/api-tokens`, {
        name: 'auditor',
        role: 'auditor_bot',
      });
      const bot = new TestClient(h.app);
      bot.bearer = created.body.token;
      expect((await bot.get(`/api/v1/brands/${brand.id}/audit`)).status).toBe(200);
      const changed = await admin.patch(`/api/v1/brands/${brand.id}/roles/${role.body.data.id}`, {
        capabilities: ['tickets.work'],
      });
      expect(changed.status).toBe(200);
      expect((await bot.get(`/api/v1/brands/${brand.id}/audit`)).status).toBe(403);
    });

    it('refuses a past expiry, naming the field', async () => {
      const res = await admin.post(`/api/v1/brands/${brand.id}/api-tokens`, {
        name: 'late',
        role: 'agent',
        expiresAt: '2001-01-01T00:00:00Z',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('expiresAt: must be in the future');
    });
  });

  describe('accounts (organization admins)', () => {
    it('creates an account, refuses a duplicate email, and disabling it ends its sessions', async () => {
      const res = await admin.post('/api/v1/users', {
        email: 'New.Person@Example.com',
        name: 'New Person',
        password: 'long enough password',
      });
      expect(res.status).toBe(201);
      expect(res.body.data.email).toBe('new.person@example.com');
      const dup = await admin.post('/api/v1/users', {
        email: 'new.person@example.com',
        name: 'Again',
        password: 'long enough password',
      });
      expect(dup.status).toBe(409);

      const person = new TestClient(h.app);
      expect((await person.signIn('new.person@example.com', 'long enough password')).status).toBe(200);
      await admin.patch(`/api/v1/users/${res.body.data.id}`, { disabled: true });
      expect((await person.get('/api/v1/auth/session')).status).toBe(401);
    });

    it('does not let an admin disable themselves', async () => {
      const res = await admin.patch(`/api/v1/users/${adminUserId}`, { disabled: true });
      expect(res.status).toBe(403);
    });

    it('creates a brand on an installed pack and refuses an unknown pack', async () => {
      const res = await admin.post('/api/v1/brands', {
        name: 'Second store',
        slug: `second-${Date.now()}`,
        packId: 'store-supplier',
      });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ packId: 'store-supplier', role: { name: 'admin' } });
      const roles = await admin.get(`/api/v1/brands/${res.body.data.id}/roles`);
      expect(roles.body.data.find((r: { name: string }) => r.name === 'supplier')).toMatchObject({
        external: true,
      });
      const bad = await admin.post('/api/v1/brands', { name: 'X', slug: `x-${Date.now()}`, packId: 'nope' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^packId: "nope" is not an installed pack/);
    });

    it('lets a member see the brand’s people but not manage them', async () => {
      await makeMember(h, brand, 'lead');
      const { client } = await signedInMember(h, brand, 'agent');
      const res = await client.get(`/api/v1/brands/${brand.id}/members`);
      expect(res.status).toBe(200);
      expect(res.body.data.every((m: { allowed: string[] }) => m.allowed.length === 0)).toBe(true);
    });
  });
});
