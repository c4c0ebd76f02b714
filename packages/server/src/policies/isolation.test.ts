import { beforeAll, describe, expect, it } from 'vitest';
import { makeBrand, makeMember, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';
import type { BrandRow } from './access';

/**
 * A user of brand A must not learn anything about brand B: every brand-B record answers 404,
 * exactly as a record that does not exist, even for a full admin of brand A.
 */
describe('brand isolation', () => {
  let h: Harness;
  let brandA: BrandRow;
  let brandB: BrandRow;
  let adminA: TestClient;
  let ids: { membership: string; role: string; token: string };

  beforeAll(async () => {
    h = await testApp();
    brandA = await makeBrand(h);
    brandB = await makeBrand(h, 'trade-in');
    adminA = (await signedInMember(h, brandA, 'admin')).client;
    const adminB = (await signedInMember(h, brandB, 'admin')).client;
    const memberB = await makeMember(h, brandB, 'agent');
    const members = await adminB.get(`/api/v1/brands/${brandB.id}/members`);
    const role = await adminB.post(`/api/v1/brands/${brandB.id}/roles`, {
      name: 'custom',
      title: 'Custom',
      capabilities: [],
    });
    const token = await adminB.post(`/api/v1/brands/${brandB.id}/api-tokens`, {
      name: 'B token',
      role: 'agent',
    });
    ids = {
      membership: members.body.data.find((m: { user: { id: string } }) => m.user.id === memberB.user.id).id,
      role: role.body.data.id,
      token: token.body.data.id,
    };
  });

  const brandBRoutes = (): [string, string, unknown?][] => [
    ['GET', `/api/v1/brands/${brandB.id}`],
    ['PATCH', `/api/v1/brands/${brandB.id}`, { name: 'Taken over' }],
    ['GET', `/api/v1/brands/${brandB.id}/members`],
    ['POST', `/api/v1/brands/${brandB.id}/members`, { email: 'someone@example.com', role: 'agent' }],
    ['PATCH', `/api/v1/brands/${brandB.id}/members/${ids.membership}`, { role: 'admin' }],
    ['DELETE', `/api/v1/brands/${brandB.id}/members/${ids.membership}`],
    ['GET', `/api/v1/brands/${brandB.id}/roles`],
    ['GET', `/api/v1/brands/${brandB.id}/roles/${ids.role}`],
    ['POST', `/api/v1/brands/${brandB.id}/roles`, { name: 'x', title: 'X', capabilities: [] }],
    ['PATCH', `/api/v1/brands/${brandB.id}/roles/${ids.role}`, { title: 'Mine now' }],
    ['DELETE', `/api/v1/brands/${brandB.id}/roles/${ids.role}`],
    ['GET', `/api/v1/brands/${brandB.id}/api-tokens`],
    ['POST', `/api/v1/brands/${brandB.id}/api-tokens`, { name: 'steal', role: 'admin' }],
    ['DELETE', `/api/v1/brands/${brandB.id}/api-tokens/${ids.token}`],
    ['GET', `/api/v1/brands/${brandB.id}/audit`],
  ];

  it('answers 404 to an admin of brand A for every brand-B route, the same as for a missing brand', async () => {
    const missing = await adminA.get('/api/v1/brands/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    for (const [method, url, body] of brandBRoutes()) {
      const res = await adminA.request(method as 'GET', url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.error, `${method} ${url}`).toEqual({
        code: 'not_found',
        message: 'No such brand.',
        details: {},
      });
    }
  });

  it('answers 404 to an API token of brand A for brand-B routes', async () => {
    const created = await adminA.post(`/api/v1/brands/${brandA.id}/api-tokens`, {
      name: 'A admin token',
      role: 'admin',
    });
    const tokenClient = new TestClient(h.app);
    tokenClient.bearer = created.body.token;
    expect((await tokenClient.get(`/api/v1/brands/${brandA.id}/members`)).status).toBe(200);
    for (const [method, url, body] of brandBRoutes()) {
      expect((await tokenClient.request(method as 'GET', url, body)).status, `${method} ${url}`).toBe(404);
    }
  });

  it('lists only the brands the user is a member of', async () => {
    const res = await adminA.get('/api/v1/brands');
    expect(res.status).toBe(200);
    expect(res.body.data.map((b: { id: string }) => b.id)).toEqual([brandA.id]);
  });

  it('does not show brand B rows through brand A ids (membership of B under A’s path)', async () => {
    const res = await adminA.patch(`/api/v1/brands/${brandA.id}/members/${ids.membership}`, {
      role: 'admin',
    });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('No such membership.');
    const role = await adminA.get(`/api/v1/brands/${brandA.id}/roles/${ids.role}`);
    expect(role.status).toBe(404);
    const token = await adminA.delete(`/api/v1/brands/${brandA.id}/api-tokens/${ids.token}`);
    expect(token.status).toBe(404);
  });
});
