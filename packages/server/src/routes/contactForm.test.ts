import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';
import { CONTACT_LIMITS } from './contactForm';

describe('public contact form', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'store-supplier');
    agent = (await signedInMember(h, brand, 'agent')).client;
  });

  const form = (extra: Record<string, unknown> = {}) => ({
    name: 'Noor Haddad',
    email: `noor${Date.now()}@example.com`,
    subject: 'Damaged vase',
    message: 'The vase arrived in pieces.',
    ...extra,
  });

  it('turns a message into a web-form ticket from that customer, with a reference to quote', async () => {
    const visitor = new TestClient(h.app);
    expect((await visitor.get(`/api/v1/public/contact/${brand.slug}`)).body.data.name).toBe(brand.name);
    const res = await visitor.post(`/api/v1/public/contact/${brand.slug}`, form({ orderNumber: 'SS-1001' }));
    expect(res.status).toBe(202);
    expect(res.body.data.reference).toMatch(/^#\d+$/);
    const list = await agent.get(`/api/v1/brands/${brand.id}/tickets?sort=created&limit=1`);
    const ticket = (await agent.get(`/api/v1/tickets/${list.body.data[0].id}`)).body.data;
    expect(ticket).toMatchObject({
      channel: 'web_form',
      subject: 'Damaged vase',
      customer: { name: 'Noor Haddad' },
    });
    expect(ticket.messages[0].bodyText).toContain('Order number: SS-1001');
    expect(`#${ticket.number}`).toBe(res.body.data.reference);
  });

  it('drops what a bot puts in the hidden field, answering as if accepted', async () => {
    const bot = new TestClient(h.app);
    const before = (await agent.get(`/api/v1/brands/${brand.id}/ticket-counts`)).body.data.unassigned;
    const res = await bot.post(
      `/api/v1/public/contact/${brand.slug}`,
      form({ website: 'http://spam.example' }),
    );
    expect(res.status).toBe(202);
    expect(res.body.data.reference).toBeNull();
    expect((await agent.get(`/api/v1/brands/${brand.id}/ticket-counts`)).body.data.unassigned).toBe(before);
  });

  it('limits submissions per address and names the field of a bad one', async () => {
    const visitor = new TestClient(h.app);
    for (let i = 0; i < CONTACT_LIMITS.perIp; i++) {
      expect((await visitor.post(`/api/v1/public/contact/${brand.slug}`, form())).status).toBe(202);
    }
    const limited = await visitor.post(`/api/v1/public/contact/${brand.slug}`, form());
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe(String(CONTACT_LIMITS.windowMs / 1000));
    const other = new TestClient(h.app);
    const bad = await other.post(
      `/api/v1/public/contact/${brand.slug}`,
      form({ email: 'not-an-email', subject: 'a\r\nBcc: x@y' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('email: must be an email address');
    expect(bad.body.error.message).toContain('subject: must be one line');
    expect((await other.post('/api/v1/public/contact/no-such-brand', form())).status).toBe(404);
  });
});
