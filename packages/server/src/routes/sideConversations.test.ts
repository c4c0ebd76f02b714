import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobs, mailSettings, messages, vendors } from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';

describe('side conversations', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h);
    agent = (await signedInMember(h, brand, 'agent')).client;
  });

  const unique = () => randomUUID().slice(0, 8);

  async function open(customerEmail = `c-${unique()}@example.com`) {
    const res = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      channel: 'email',
      subject: 'Order never came',
      body: 'Where is it?',
      customer: { email: customerEmail, name: 'Dana Reyes' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data;
  }

  async function vendor(name: string, contactEmail: string | null) {
    const [row] = await h.deps.database.db
      .insert(vendors)
      .values({ brandId: brand.id, name, contactEmail })
      .returning();
    return row!;
  }

  const emailJobs = (messageId: string) =>
    h.deps.database.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, 'email.send'), eq(jobs.uniqueKey, `email:${messageId}`)));

  it('opens one with a vendor, queues its first message and keeps it out of the customer thread', async () => {
    const ticket = await open();
    const res = await agent.post(`/api/v1/tickets/${ticket.id}/side-conversations`, {
      with: 'vendor',
      to: 'Orders@Vendor.example',
      subject: 'Please cancel PO-7',
      body: 'The customer asked to cancel.',
      macro: 'cancel_po',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const side = res.body.data;
    expect(side).toMatchObject({
      ticketId: ticket.id,
      with: 'vendor',
      to: 'orders@vendor.example',
      status: 'waiting',
      subject: 'Please cancel PO-7',
    });
    expect(side.messages).toHaveLength(1);
    expect(side.messages[0]).toMatchObject({
      kind: 'reply',
      direction: 'out',
      authorType: 'agent',
      to: ['orders@vendor.example'],
      deliveryState: 'queued',
      macro: 'cancel_po',
    });
    expect(await emailJobs(side.messages[0].id)).toHaveLength(1);

    const view = (await agent.get(`/api/v1/tickets/${ticket.id}`)).body.data;
    expect(view.messages).toHaveLength(1);
    expect(view.sideConversations.map((s: { id: string }) => s.id)).toEqual([side.id]);
    expect(view.history.map((e: { kind: string }) => e.kind)).toContain('side_conversation');
  });

  it('replies thread on the conversation and make it wait; notes stay internal; status moves by PATCH', async () => {
    const ticket = await open();
    const side = (
      await agent.post(`/api/v1/tickets/${ticket.id}/side-conversations`, {
        with: 'carrier',
        to: 'claims@carrier.example',
        subject: 'Lost parcel',
        body: 'Please trace.',
      })
    ).body.data;
    const opened = await agent.patch(`/api/v1/side-conversations/${side.id}`, { status: 'open' });
    expect(opened.status).toBe(200);
    expect(opened.body.data.status).toBe('open');

    const note = await agent.post(`/api/v1/side-conversations/${side.id}/messages`, {
      kind: 'note',
      body: 'Called them too.',
    });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(note.body.data.status).toBe('open');
    expect(note.body.data.messages[1]).toMatchObject({
      kind: 'note',
      direction: 'internal',
      deliveryState: null,
    });

    const reply = await agent.post(`/api/v1/side-conversations/${side.id}/messages`, {
      kind: 'reply',
      body: 'Any news?',
    });
    expect(reply.status).toBe(201);
    expect(reply.body.data.status).toBe('waiting');
    const sent = reply.body.data.messages[2];
    expect(sent).toMatchObject({
      kind: 'reply',
      to: ['claims@carrier.example'],
      deliveryState: 'queued',
      subject: 'Lost parcel',
    });
    expect(await emailJobs(sent.id)).toHaveLength(1);
    const rows = await h.deps.database.db
      .select()
      .from(messages)
      .where(eq(messages.sideConversationId, side.id))
      .orderBy(messages.seq);
    expect(rows[2]!.inReplyTo).toBe(rows[0]!.emailMessageId);
    expect(rows[2]!.references).toEqual([rows[0]!.emailMessageId]);

    const closed = await agent.patch(`/api/v1/side-conversations/${side.id}`, { status: 'closed' });
    expect(closed.body.data.status).toBe('closed');
    const refused = await agent.post(`/api/v1/side-conversations/${side.id}/messages`, {
      kind: 'reply',
      body: 'Hello?',
    });
    expect(refused.status).toBe(409);
    expect(
      (await agent.post(`/api/v1/side-conversations/${side.id}/messages`, { kind: 'note', body: 'Done.' }))
        .status,
    ).toBe(201);
  });

  it("addresses a vendor by its contact email, else the pack's, else asks for `to`", async () => {
    const ticket = await open();
    const withContact = await vendor(`Acme ${unique()}`, 'po@acme.example');
    const a = await agent.post(`/api/v1/tickets/${ticket.id}/side-conversations`, {
      with: 'vendor',
      vendorId: withContact.id,
      subject: 'PO',
      body: 'Hi',
    });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body.data).toMatchObject({ to: 'po@acme.example', vendorId: withContact.id });

    const bare = await vendor(`Bare ${unique()}`, null);
    const missing = await agent.post(`/api/v1/tickets/${ticket.id}/side-conversations`, {
      with: 'supplier',
      vendorId: bare.id,
      subject: 'PO',
      body: 'Hi',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(`to: is required: vendor "${bare.name}" has no contact email`);

    const pack = h.deps.packs.get(brand.packId)!;
    const list = pack.manifest.vendors!.list;
    list[bare.name] = { contactEmail: 'desk@bare.example' };
    try {
      const fromPack = await agent.post(`/api/v1/tickets/${ticket.id}/side-conversations`, {
        with: 'supplier',
        vendorId: bare.id,
        subject: 'PO',
        body: 'Hi',
      });
      expect(fromPack.status, JSON.stringify(fromPack.body)).toBe(201);
      expect(fromPack.body.data.to).toBe('desk@bare.example');
    } finally {
      delete list[bare.name];
    }

    const notOurs = await agent.post(`/api/v1/tickets/${ticket.id}/side-conversations`, {
      with: 'vendor',
      vendorId: randomUUID(),
      subject: 'PO',
      body: 'Hi',
    });
    expect(notOurs.body.error.message).toBe('vendorId: is not a vendor of this brand');
  });

  it('never writes to the customer or to the brand itself, and names the field of every problem', async () => {
    const customer = `dana-${unique()}@example.com`;
    const ticket = await open(customer);
    const url = `/api/v1/tickets/${ticket.id}/side-conversations`;
    const toCustomer = await agent.post(url, {
      with: 'vendor',
      to: customer.toUpperCase(),
      subject: 'x',
      body: 'y',
    });
    expect(toCustomer.status).toBe(400);
    expect(toCustomer.body.error.message).toBe(
      "to: is the customer's address; side conversations never go to the customer",
    );
    const sneaky = await vendor(`Sneaky ${unique()}`, customer);
    const viaVendor = await agent.post(url, { with: 'vendor', vendorId: sneaky.id, subject: 'x', body: 'y' });
    expect(viaVendor.body.error.message).toBe(
      "vendorId: is the customer's address; side conversations never go to the customer",
    );
    const [settings] = await h.deps.database.db
      .select()
      .from(mailSettings)
      .where(eq(mailSettings.brandId, brand.id));
    const [local, domain] = settings!.address.split('@');
    const ourselves = await agent.post(url, {
      with: 'carrier',
      to: `${local}+x@${domain}`,
      subject: 'x',
      body: 'y',
    });
    expect(ourselves.body.error.message).toBe("to: is this brand's own support address");

    const bad = await agent.post(url, { with: 'customer', subject: '', body: 'y', to: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/with: must be one of vendor, supplier, carrier/);
    expect(bad.body.error.message).toMatch(/to: must be an email address/);
    expect(bad.body.error.message).toMatch(/subject: must not be empty/);
    const noTo = await agent.post(url, { with: 'carrier', subject: 'x', body: 'y' });
    expect(noTo.body.error.message).toBe('to: is required without a vendorId');
    const badStatus = await agent.patch(`/api/v1/side-conversations/${randomUUID()}`, { status: 'archived' });
    expect(badStatus.body.error.message).toMatch(/^status: must be one of open, waiting, closed/);
  });

  it('needs tickets.work in the brand: others see nothing, and a role without it is forbidden', async () => {
    const ticket = await open();
    const side = (
      await agent.post(`/api/v1/tickets/${ticket.id}/side-conversations`, {
        with: 'vendor',
        to: 'v@vendor.example',
        subject: 's',
        body: 'b',
      })
    ).body.data;
    const outsider = (await signedInMember(h, await makeBrand(h), 'agent')).client;
    for (const res of [
      await outsider.get(`/api/v1/side-conversations/${side.id}`),
      await outsider.patch(`/api/v1/side-conversations/${side.id}`, { status: 'closed' }),
      await outsider.post(`/api/v1/side-conversations/${side.id}/messages`, { kind: 'note', body: 'x' }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('No such side conversation.');
    }
    const outsiderOpen = await outsider.post(`/api/v1/tickets/${ticket.id}/side-conversations`, {
      with: 'vendor',
      to: 'v@vendor.example',
      subject: 's',
      body: 'b',
    });
    expect(outsiderOpen.status).toBe(404);
    const reader = (await signedInMember(h, brand, { capabilities: ['audit.read'] })).client;
    const forbidden = await reader.patch(`/api/v1/side-conversations/${side.id}`, { status: 'closed' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toMatch(/tickets\.work/);
    expect((await new TestClient(h.app).get(`/api/v1/side-conversations/${side.id}`)).status).toBe(401);
  });
});
