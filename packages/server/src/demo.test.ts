import { count, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { brands, memberships, users } from './db/schema';
import { DEMO_PASSWORD, DEMO_USERS, demoEmail, seedDemo } from './demo';
import { TestClient, testApp } from './test/harness';

describe('the demo', () => {
  it('creates one brand per pack and an account per role, once', async () => {
    const h = await testApp();
    const { db } = h.deps.database;
    // Another test file may have made the demo on a shared server database; the counts below hold either way.
    await seedDemo(db, h.deps.packs, h.clock.now);
    const again = await seedDemo(db, h.deps.packs, h.clock.now);
    expect(again).toEqual({ brands: 0, users: 0, memberships: 0 });

    const slugs = h.deps.packs.list().map((p) => p.manifest.id);
    const demoBrands = await db.select().from(brands).where(inArray(brands.slug, slugs));
    expect(demoBrands).toHaveLength(5);
    const emails = DEMO_USERS.map((u) => demoEmail(u.role));
    const [accounts] = await db.select({ n: count() }).from(users).where(inArray(users.email, emails));
    expect(accounts!.n).toBe(DEMO_USERS.length);

    const [supplier] = await db.select().from(users).where(eq(users.email, 'supplier@example.com'));
    const supplierBrands = await db.select().from(memberships).where(eq(memberships.userId, supplier!.id));
    expect(supplierBrands).toHaveLength(1);

    const client = new TestClient(h.app);
    const res = await client.signIn('agent@example.com', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.brands).toHaveLength(5);
    expect(res.body.brands.every((b: { role: { name: string } }) => b.role.name === 'agent')).toBe(true);

    // Each demo brand has tickets to work; the marketplace's lost laptop is linked to its order.
    const marketplace = demoBrands.find((b) => b.slug === 'marketplace-dropship')!;
    const list = await client.get(`/api/v1/brands/${marketplace.id}/tickets?sort=created`);
    const lost = list.body.data.find(
      (t: { subject: string }) => t.subject === 'My laptop still has not arrived',
    );
    const ticket = await client.get(`/api/v1/tickets/${lost.id}`);
    expect(ticket.body.data.orders.map((o: { number: string }) => o.number)).toEqual(['A6001']);
    expect(ticket.body.data.customer.email).toBe('dana.reyes@example.net');
  });
});
