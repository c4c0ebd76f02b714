import { beforeAll, describe, expect, it } from 'vitest';
import { grantMembership, roleByName } from '../commands/members';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';

const ask = (params: Record<string, string>) => `/api/v1/sop/ask?${new URLSearchParams(params)}`;

describe('Ask the SOP: GET /api/v1/sop/ask', () => {
  let h: Harness;
  let marketplace: BrandRow;
  let fashion: BrandRow;

  beforeAll(async () => {
    h = await testApp();
    marketplace = await makeBrand(h, 'marketplace-dropship');
    fashion = await makeBrand(h, 'fashion-leads');
  });

  /** Adds an existing user to another brand with one of its pack's roles. */
  async function join(user: { id: string; email: string }, brand: BrandRow, role: string) {
    await h.deps.database.db.transaction(async (tx) => {
      const r = await roleByName(tx, brand.id, role);
      await grantMembership(
        tx,
        { actor: { kind: 'system', name: 'test' }, now: h.clock.now() },
        brand.id,
        user,
        r,
      );
    });
  }

  it('answers from the caller’s only brand when neither brand nor pack is given', async () => {
    const { client } = await signedInMember(h, marketplace, 'agent');
    const res = await client.get(ask({ q: 'vendor says the item is out of stock', limit: '3' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.brand).toBe(marketplace.id);
    expect(res.body.pack).toEqual({ id: 'marketplace-dropship', version: marketplace.packVersion });
    expect(res.body.data).toHaveLength(3);
    const om = res.body.data.find((r: { rule: string }) => r.rule === 'oos.om-process');
    expect(om).toMatchObject({ processes: ['OM Cancellation Process'] });
    expect(om.source).toMatch(/^seed 000:/);
    for (const key of ['rule', 'title', 'answer', 'macros', 'processes', 'source', 'score']) {
      expect(res.body.data[0]).toHaveProperty(key);
    }
    // The same ranking as the brand route.
    const same = await client.get(
      `/api/v1/brands/${marketplace.id}/sop/ask?${new URLSearchParams({ q: 'vendor says the item is out of stock', limit: '3' })}`,
    );
    expect(same.body.data).toEqual(res.body.data);
  });

  it('chooses the pack by brand or by pack id for a member of several brands', async () => {
    const { client, user } = await signedInMember(h, marketplace, 'agent');
    await join(user, fashion, 'agent');

    const unsure = await client.get(ask({ q: 'cancel an order' }));
    expect(unsure.status).toBe(400);
    expect(unsure.body.error.message).toContain('brand: you belong to 2 brands');

    const byPack = await client.get(ask({ q: 'cancel an order', pack: 'fashion-leads' }));
    expect(byPack.status, JSON.stringify(byPack.body)).toBe(200);
    expect(byPack.body.brand).toBe(fashion.id);
    expect(byPack.body.pack.id).toBe('fashion-leads');
    const fashionRules = new Set(
      Object.values(h.deps.packs.get('fashion-leads')!.manifest.playbooks).flatMap((p) =>
        p.steps.map((s) => s.rule),
      ),
    );
    expect(byPack.body.data.length).toBeGreaterThan(0);
    for (const a of byPack.body.data) expect(fashionRules.has(a.rule), a.rule).toBe(true);

    const byBrand = await client.get(ask({ q: 'cancel an order', brand: marketplace.id }));
    expect(byBrand.status).toBe(200);
    expect(byBrand.body.pack.id).toBe('marketplace-dropship');

    const both = await client.get(ask({ q: 'cancel', brand: marketplace.id, pack: 'fashion-leads' }));
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('pack: give brand or pack, not both');
  });

  it('treats a pack or brand the caller has no access to as not found', async () => {
    const { client } = await signedInMember(h, marketplace, 'agent');
    const otherPack = await client.get(ask({ q: 'cancel', pack: 'fashion-leads' }));
    expect(otherPack.status).toBe(404);
    expect(otherPack.body.error.message).toBe('No such pack.');
    const missingPack = await client.get(ask({ q: 'cancel', pack: 'no-such-pack' }));
    expect(missingPack.status).toBe(404);
    const otherBrand = await client.get(ask({ q: 'cancel', brand: fashion.id }));
    expect(otherBrand.status).toBe(404);
    expect(otherBrand.body.error.message).toBe('No such brand.');
  });

  it('requires training.take in the brand that answers, naming the capability', async () => {
    const { client, user } = await signedInMember(h, marketplace, { capabilities: ['tickets.work'] });
    for (const url of [
      ask({ q: 'cancel an order' }),
      ask({ q: 'cancel an order', pack: 'marketplace-dropship' }),
      ask({ q: 'cancel an order', brand: marketplace.id }),
    ]) {
      const res = await client.get(url);
      expect(res.status, url).toBe(403);
      expect(res.body.error.message, url).toContain('"training.take"');
    }
    // Given a pack, a brand on it where the caller holds the capability answers.
    const second = await makeBrand(h, 'marketplace-dropship');
    await join(user, second, 'agent');
    const res = await client.get(ask({ q: 'cancel an order', pack: 'marketplace-dropship' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.brand).toBe(second.id);
  });

  it('validates the question and refuses callers who are not signed in', async () => {
    const { client } = await signedInMember(h, marketplace, 'agent');
    const empty = await client.get(ask({ q: '  ' }));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('q');
    const badBrand = await client.get(ask({ q: 'cancel', brand: 'not-a-uuid' }));
    expect(badBrand.status).toBe(400);
    expect(badBrand.body.error.message).toContain('brand');
    expect((await new TestClient(h.app).get(ask({ q: 'cancel' }))).status).toBe(401);
  });

  it('answers an API token from its own brand', async () => {
    const { client: admin } = await signedInMember(h, marketplace, 'admin');
    const created = await admin.post(`/api/v1/brands/${marketplace.id}/api-tokens`, {
      name: 'sop bot',
      role: 'agent',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const bot = new TestClient(h.app);
    bot.bearer = created.body.token;
    const res = await bot.get(ask({ q: 'where is my parcel' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.brand).toBe(marketplace.id);
    expect((await bot.get(ask({ q: 'cancel', pack: 'fashion-leads' }))).status).toBe(404);
  });
});
