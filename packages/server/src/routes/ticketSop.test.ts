import { randomUUID } from 'node:crypto';
import { PLACEHOLDERS } from '@casebook/core';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOrder } from '../commands/importOrder';
import type { RequestContext } from '../context';
import {
  adviceOutcomes,
  jobs,
  messages,
  poItems,
  purchaseOrders,
  shipments,
  ticketEvents,
  tickets,
  trackingEvents,
} from '../db/schema';
import { buildJobRegistry } from '../jobs/registry';
import { runDueJobs } from '../jobs/run';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';
import { brandEnv } from '../tickets/env';
import { macroValues } from '../tickets/macros';

const HOUR = 3_600_000;
const LOST_MACRO = '#CL – Lost in Transit Wait';
/** The job kinds this file's features run (other kinds, such as sending mail, are left pending). */
const SOP_JOBS = ['ticket.follow_up', 'sla.check'];

describe('the SOP inside the ticket', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  let agentName: string;
  let admin: TestClient;
  let manager: TestClient;
  let outsider: TestClient;

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'marketplace-dropship');
    const a = await signedInMember(h, brand, 'agent');
    agent = a.client;
    agentName = a.user.name;
    admin = (await signedInMember(h, brand, 'admin')).client;
    manager = (await signedInMember(h, brand, 'manager')).client;
    outsider = (await signedInMember(h, brand, { capabilities: ['audit.read'] })).client;
  });

  const db = () => h.deps.database.db;
  const ctx = (): RequestContext => ({ actor: { kind: 'system', name: 'test' }, now: h.clock.now() });
  const ago = (hours: number) => new Date(h.clock.now().getTime() - hours * HOUR);

  /**
   * An order of a 15in laptop with one Best Buy PO; `shipped` adds a UPS shipment of every item
   * whose last tracking event (in transit) is `lastEventHoursAgo` old.
   */
  async function makeOrder(options: {
    poStatus: string;
    shipped?: { lastEventHoursAgo: number };
    email: string;
  }) {
    const number = `A${randomUUID().slice(0, 8).toUpperCase()}`;
    const poNumber = `PO-${randomUUID().slice(0, 8).toUpperCase()}`;
    const { orderId } = await db().transaction((tx) =>
      importOrder(tx, ctx(), brand.id, h.deps.packs.get('marketplace-dropship')!, {
        number,
        channel: 'website',
        customer: { name: 'Dana Reyes', email: options.email },
        placedAt: ago(10 * 24).toISOString(),
        shippingAddress: {
          line1: '1 Main St',
          city: 'Springfield',
          region: 'IL',
          postalCode: '62701',
          country: 'US',
        },
        items: [{ sku: 'LT-15', name: '15in Laptop', qty: 1, unitPrice: 1049, category: 'electronics' }],
        purchaseOrders: [
          {
            number: poNumber,
            vendor: 'Best Buy',
            status: options.poStatus,
            sentToVendorAt: ago(9 * 24).toISOString(),
            items: [{ sku: 'LT-15', qty: 1 }],
          },
        ],
      }),
    );
    const [po] = await db().select().from(purchaseOrders).where(eq(purchaseOrders.orderId, orderId));
    const trackingNumber = `1Z${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
    if (options.shipped) {
      await db().update(poItems).set({ shippedQty: 1 }).where(eq(poItems.poId, po!.id));
      const [shipment] = await db()
        .insert(shipments)
        .values({ brandId: brand.id, poId: po!.id, carrier: 'UPS', trackingNumber, createdAt: ago(96) })
        .returning();
      await db()
        .insert(trackingEvents)
        .values([
          { brandId: brand.id, shipmentId: shipment!.id, at: ago(96), status: 'label_created' },
          {
            brandId: brand.id,
            shipmentId: shipment!.id,
            at: ago(options.shipped.lastEventHoursAgo),
            status: 'in_transit',
            description: 'Departed facility',
          },
        ]);
    }
    return { orderId, number, poId: po!.id, poNumber, trackingNumber };
  }

  /** A ticket from the customer, linked to the order when there is one. */
  async function openTicket(body: string, orderNumber?: string, email = `c-${randomUUID()}@example.com`) {
    const res = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      channel: 'email',
      subject: 'My order',
      body,
      customer: { email, name: 'Dana Reyes' },
      ...(orderNumber ? { orderNumbers: [orderNumber] } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data as { id: string; number: number; version: number; status: string };
  }

  /** A lost-package case: shipped with UPS, last scan two days ago, "my package never arrived". */
  async function lostCase() {
    const email = `c-${randomUUID()}@example.com`;
    const order = await makeOrder({ poStatus: 'Shipped', shipped: { lastEventHoursAgo: 48 }, email });
    const ticket = await openTicket('Hi, my package never arrived. Can you help?', order.number, email);
    return { order, ticket };
  }

  const advice = async (client: TestClient, ticketId: string) => {
    const res = await client.get(`/api/v1/tickets/${ticketId}/advice`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const find = (list: any[], type: string, key?: Record<string, unknown>) =>
    list.find(
      (a) => a.action.type === type && Object.entries(key ?? {}).every(([k, v]) => a.action[k] === v),
    );

  async function countRows(query: Promise<unknown[]>) {
    return (await query).length;
  }
  const ticketMessages = (ticketId: string) =>
    db().select().from(messages).where(eq(messages.ticketId, ticketId));
  const brandJobs = () => db().select().from(jobs).where(eq(jobs.brandId, brand.id));

  it('builds the scenario from the ticket’s own data and advises the lost-in-transit wait', async () => {
    const { order, ticket } = await lostCase();
    const data = await advice(agent, ticket.id);
    expect(data.pack).toBe('marketplace-dropship');
    expect(data.intent.inferred).toBe(true);
    expect(data.intent.overridden).toBe(false);
    expect(['lost_or_stolen', 'not_delivered']).toContain(data.intent.name);
    expect(data.intent.title).toBeTruthy();
    expect(data.scenario.message).toMatchObject({ channel: 'email', from: 'customer' });
    expect(data.scenario.message.body).toContain('never arrived');
    expect(data.scenario.customer).toMatchObject({ name: 'Dana Reyes', storeCreditBalance: 0 });
    expect(data.scenario.order.id).toBe(order.number);
    const po = data.scenario.order.purchaseOrders[0];
    expect(po).toMatchObject({ id: order.poNumber, vendor: 'Best Buy', status: 'Shipped' });
    expect(po.shipments[0].trackingNumber).toBe(order.trackingNumber);
    expect(po.shipments[0].events.at(-1).status).toBe('in_transit');
    expect(data.sources).toMatchObject({ orderId: order.orderId, poId: order.poId });

    const send = find(data.actions, 'send_macro', { macro: LOST_MACRO });
    expect(send, JSON.stringify(data.actions)).toBeDefined();
    expect(send.rule).toMatch(/^(lost\.recent-update|status\.transit-wait)$/);
    expect(send.because).toContain('tracking.hoursSinceLastEvent = 48');
    expect(send.preview.missing).toEqual([]);
    expect(send.preview.text).toContain(order.trackingNumber);
    expect(send.preview.text).toContain('Hi Dana,');
    expect(send.preview.text).toContain(agentName.split(' ')[0]);
    expect(find(data.actions, 'follow_up', { after: 'P5D' })).toBeDefined();
    expect(find(data.actions, 'file_claim')).toBeUndefined();
    for (const [i, a] of data.actions.entries()) expect(a.index).toBe(i);
  });

  it('fills every placeholder of the catalogue the ticket can fill', async () => {
    const { order, ticket } = await lostCase();
    const [row] = await db().select().from(tickets).where(eq(tickets.id, ticket.id));
    const env = await brandEnv(db(), h.deps, brand);
    const values = await macroValues(db(), env, row!, { name: 'Ana Ruiz' });
    expect(Object.keys(values).sort()).toEqual(Object.keys(PLACEHOLDERS).sort());
    expect(values).toMatchObject({
      'ticket.number': String(ticket.number),
      'customer.firstName': 'Dana',
      'order.id': order.number,
      'order.total': '$1,049.00',
      'order.shippingAddress': '1 Main St\nSpringfield, IL 62701\nUS',
      'product.name': '15in Laptop',
      'po.number': order.poNumber,
      'po.items': '15in Laptop (SKU LT-15) × 1',
      'vendor.name': 'Best Buy',
      'tracking.carrier': 'UPS',
      'tracking.number': order.trackingNumber,
      'tracking.lastStatus': 'In transit',
      'tracking.url': `https://www.ups.com/track?tracknum=${order.trackingNumber}`,
      'agent.firstName': 'Ana',
      'brand.name': brand.name,
      'tracking.deliveredAt': null,
      'refund.amount': null,
    });
  });

  it('renders a macro naming the placeholders it cannot fill, and refuses to send it', async () => {
    const ticket = await openTicket('Where is my package? It never arrived.');
    const render = await agent.post(`/api/v1/tickets/${ticket.id}/macros/render`, { macro: LOST_MACRO });
    expect(render.status).toBe(200);
    expect(render.body.data.missing).toEqual(
      expect.arrayContaining(['order.id', 'product.name', 'tracking.number', 'tracking.carrier']),
    );
    expect(render.body.data.text).toContain('{{tracking.number}}');
    expect(render.body.data.text).toContain('Hi Dana,');

    const preview = await agent.post(`/api/v1/tickets/${ticket.id}/macros/apply`, {
      macro: LOST_MACRO,
      send: false,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.data).toMatchObject({ sent: false, macro: { missing: render.body.data.missing } });

    const refused = await agent.post(`/api/v1/tickets/${ticket.id}/macros/apply`, {
      macro: LOST_MACRO,
      send: true,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(
      'body: the placeholder {{order.id}} has no value on this ticket; fill it in before sending',
    );
    expect(refused.body.error.message).toContain('body: the placeholder {{tracking.number}} has no value');
    const edited = await agent.post(`/api/v1/tickets/${ticket.id}/macros/apply`, {
      macro: LOST_MACRO,
      send: true,
      body: 'Hi Dana, your tracking number is {{ tracking.number }}.',
    });
    expect(edited.status).toBe(400);
    expect(edited.body.error.message).toBe(
      'body: the placeholder {{tracking.number}} has no value on this ticket; fill it in before sending',
    );
    expect(await countRows(ticketMessages(ticket.id))).toBe(1);

    const unknown = await agent.post(`/api/v1/tickets/${ticket.id}/macros/render`, {
      macro: 'No such macro',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('macro: "No such macro" is not a macro of this brand');
  });

  it('sends a brand macro (email queued) and applies its actions in one step', async () => {
    const name = `Waiting on carrier ${randomUUID().slice(0, 6)}`;
    const created = await admin.post(`/api/v1/brands/${brand.id}/macros`, {
      name,
      body: 'Hi {{customer.firstName}}, order {{order.id}} is with {{tracking.carrier}}.',
      actions: [
        { type: 'set_status', status: 'pending' },
        { type: 'add_tag', tag: 'Carrier' },
        { type: 'set_queue', queue: 'Post-Ship Esc' },
        { type: 'follow_up', after: 'P2D' },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { order, ticket } = await lostCase();
    const res = await agent.post(`/api/v1/tickets/${ticket.id}/macros/apply`, { macro: name, send: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const t = res.body.data.ticket;
    expect(res.body.data.macro.text).toBe(`Hi Dana, order ${order.number} is with UPS.`);
    expect(t.status).toBe('pending');
    expect(t.tags).toContain('carrier');
    expect(t.queue).toBe('Post-Ship Esc');
    const reply = t.messages.at(-1);
    expect(reply).toMatchObject({ kind: 'reply', macro: name, deliveryState: 'queued' });
    expect(reply.bodyText).toBe(`Hi Dana, order ${order.number} is with UPS.`);
    const queued = await db()
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, 'email.send'), sql`${jobs.payload}->>'messageId' = ${reply.id}`));
    expect(queued).toHaveLength(1);
    const [followUp] = await db()
      .select()
      .from(jobs)
      .where(eq(jobs.uniqueKey, `followup:${ticket.id}:${name}`));
    expect(followUp).toMatchObject({ kind: 'ticket.follow_up', state: 'pending' });
    expect(followUp!.runAt.getTime()).toBe(h.clock.now().getTime() + 48 * HOUR);
    expect(t.history.map((e: { kind: string }) => e.kind)).toContain('follow_up_scheduled');
  });

  it('rolls everything back when a macro’s PO status breaks a guardrail (Canceled before refunded)', async () => {
    const name = `Cancel PO ${randomUUID().slice(0, 6)}`;
    await admin.post(`/api/v1/brands/${brand.id}/macros`, {
      name,
      body: 'Hi {{customer.firstName}}, order {{order.id}} is canceled.',
      actions: [
        { type: 'add_tag', tag: 'canceled' },
        { type: 'set_po_status', status: 'Canceled' },
      ],
    });
    const email = `c-${randomUUID()}@example.com`;
    const order = await makeOrder({ poStatus: 'Sent to Vendor', email });
    const ticket = await openTicket('Please cancel my order', order.number, email);
    const jobsBefore = await countRows(brandJobs());
    const res = await agent.post(`/api/v1/tickets/${ticket.id}/macros/apply`, { macro: name, send: true });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('guardrail_violation');
    expect(res.body.error.details.rule).toBe('po.canceled-requires-refund');
    expect(await countRows(ticketMessages(ticket.id))).toBe(1);
    expect(await countRows(brandJobs())).toBe(jobsBefore);
    const [po] = await db().select().from(purchaseOrders).where(eq(purchaseOrders.id, order.poId));
    expect(po!.status).toBe('Sent to Vendor');
    const [row] = await db().select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row!.version).toBe(ticket.version);
    expect(row!.tags).not.toContain('canceled');
  });

  it('applies advised actions, records them as followed, and refuses a stale index', async () => {
    const { ticket } = await lostCase();
    const data = await advice(agent, ticket.id);
    const send = find(data.actions, 'send_macro', { macro: LOST_MACRO });
    const stale = await agent.post(`/api/v1/tickets/${ticket.id}/advice/apply`, {
      index: send.index,
      rule: 'cancel.hold',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current.rule).toBe(send.rule);

    const res = await agent.post(`/api/v1/tickets/${ticket.id}/advice/apply`, {
      index: send.index,
      rule: send.rule,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ applied: true, type: 'send_macro', rule: send.rule });
    const reply = res.body.data.ticket.messages.at(-1);
    expect(reply).toMatchObject({ kind: 'reply', macro: LOST_MACRO, deliveryState: 'queued' });
    expect(reply.bodyText).toBe(send.preview.text);

    const check = find(data.actions, 'check', { what: 'tracking_status' });
    const next = await agent.post(`/api/v1/tickets/${ticket.id}/advice/apply`, {
      index: check.index,
      rule: check.rule,
    });
    expect(next.status).toBe(200);
    expect(next.body.data).toMatchObject({
      applied: false,
      next: { view: 'order', action: { type: 'check' } },
    });

    const outcomes = await db().select().from(adviceOutcomes).where(eq(adviceOutcomes.ticketId, ticket.id));
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({
      outcome: 'followed',
      rule: send.rule,
      intent: data.intent.name,
      action: { type: 'send_macro', macro: LOST_MACRO },
    });
    const audited = await admin.get(
      `/api/v1/brands/${brand.id}/audit?entityType=ticket&entityId=${ticket.id}&action=advice_followed`,
    );
    expect(audited.body.data[0]).toMatchObject({
      after: { rule: send.rule, action: { type: 'send_macro' } },
    });
  });

  it('applies an advised channel post: the heads-up reaches the channel, linked to the ticket', async () => {
    const fashion = await makeBrand(h, 'fashion-leads');
    const advocate = (await signedInMember(h, fashion, 'agent')).client;
    const lead = (await signedInMember(h, fashion, 'lead')).client;
    const opened = await advocate.post('/api/v1/tickets', {
      brandId: fashion.id,
      channel: 'phone',
      subject: 'Advocate on the line',
      body: 'Jess from the morning shift, sick today',
      customer: { name: 'Jess' },
    });
    const id = opened.body.data.id as string;
    await advocate.post(`/api/v1/tickets/${id}/advice/override`, { intent: 'advocate_call' });
    const data = (await advocate.get(`/api/v1/tickets/${id}/advice`)).body.data;
    const notify = find(data.actions, 'notify', { channel: 'Leadership GChat' });
    const res = await advocate.post(`/api/v1/tickets/${id}/advice/apply`, {
      index: notify.index,
      rule: notify.rule,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({
      applied: true,
      type: 'notify',
      rule: 'advocate.heads-up-and-transfer',
    });
    const inbox = await lead.get(`/api/v1/brands/${fashion.id}/notifications`);
    expect(inbox.body.data[0]).toMatchObject({
      channel: 'Leadership GChat',
      text: expect.stringContaining('Jess from the morning shift, sick today'),
      link: `/brands/${fashion.id}/tickets/${id}`,
    });
  });

  it('overrides: records the rule as overridden and changes the intent', async () => {
    const { ticket } = await lostCase();
    const data = await advice(agent, ticket.id);
    const send = find(data.actions, 'send_macro', { macro: LOST_MACRO });
    const bad = await agent.post(`/api/v1/tickets/${ticket.id}/advice/override`, { intent: 'teleport' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^intent: "teleport" is not an intent of this brand's pack/);
    const empty = await agent.post(`/api/v1/tickets/${ticket.id}/advice/override`, {});
    expect(empty.status).toBe(400);

    const res = await agent.post(`/api/v1/tickets/${ticket.id}/advice/override`, {
      intent: 'cancel_order',
      rule: send.rule,
      note: 'The customer wants to cancel instead.',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.intent).toMatchObject({ name: 'cancel_order', inferred: false, overridden: true });
    expect(res.body.data.intent.confidence).toBeUndefined();
    expect(res.body.data.playbook.id).toBe('cancel-order');
    const [outcome] = await db().select().from(adviceOutcomes).where(eq(adviceOutcomes.ticketId, ticket.id));
    expect(outcome).toMatchObject({
      outcome: 'overridden',
      rule: send.rule,
      intent: data.intent.name,
      action: { type: 'send_macro', macro: LOST_MACRO },
    });
    const history = (await agent.get(`/api/v1/tickets/${ticket.id}`)).body.data.history;
    expect(history.find((e: { kind: string }) => e.kind === 'advice_overridden').data).toMatchObject({
      rule: send.rule,
      intent: 'cancel_order',
      note: 'The customer wants to cancel instead.',
    });

    const cleared = await agent.post(`/api/v1/tickets/${ticket.id}/advice/override`, { intent: null });
    expect(cleared.body.data.intent).toMatchObject({
      name: data.intent.name,
      inferred: true,
      overridden: false,
    });
  });

  it('refuses a blocked PO status change with 403 naming who may; an agent’s goes through the guardrails', async () => {
    const email = `c-${randomUUID()}@example.com`;
    const order = await makeOrder({ poStatus: 'Sent to Vendor', email });
    const ticket = await openTicket('I need to cancel my order please', order.number, email);
    await agent.post(`/api/v1/tickets/${ticket.id}/advice/override`, { intent: 'cancel_order' });

    const forManager = await advice(manager, ticket.id);
    const blocked = forManager.blocked.find((b: any) => b.action.type === 'set_po_status');
    expect(blocked.action.status).toBe('On-Hold');
    expect(blocked.index).toBeGreaterThanOrEqual(forManager.actions.length);
    expect(find(forManager.actions, 'set_po_status')).toBeUndefined();
    const refused = await manager.post(`/api/v1/tickets/${ticket.id}/advice/apply`, { index: blocked.index });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('Agent (agent)');
    expect(refused.body.error.message).toContain('Lead (lead)');

    const forAgent = await advice(agent, ticket.id);
    const hold = find(forAgent.actions, 'set_po_status', { status: 'On-Hold' });
    expect(hold.rule).toBe('cancel.hold');
    const res = await agent.post(`/api/v1/tickets/${ticket.id}/advice/apply`, {
      index: hold.index,
      rule: hold.rule,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [po] = await db().select().from(purchaseOrders).where(eq(purchaseOrders.id, order.poId));
    expect(po!.status).toBe('On-Hold');
    expect(res.body.data.advice.actions.some((a: any) => a.rule === 'cancel.awaiting-vendor')).toBe(true);
  });

  it('documents its routes in the OpenAPI document', async () => {
    const doc = (await agent.get('/api/v1/openapi.json')).body;
    for (const [path, method] of [
      ['/api/v1/tickets/{ticketId}/advice', 'get'],
      ['/api/v1/tickets/{ticketId}/advice/apply', 'post'],
      ['/api/v1/tickets/{ticketId}/advice/override', 'post'],
      ['/api/v1/tickets/{ticketId}/macros/render', 'post'],
      ['/api/v1/tickets/{ticketId}/macros/apply', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });

  it('refuses every route to a member without tickets.work, and hides tickets of other brands', async () => {
    const { ticket } = await lostCase();
    const base = `/api/v1/tickets/${ticket.id}`;
    const calls = [
      () => outsider.get(`${base}/advice`),
      () => outsider.post(`${base}/advice/apply`, { index: 0, rule: 'lost.check-tracking' }),
      () => outsider.post(`${base}/advice/override`, { intent: 'cancel_order' }),
      () => outsider.post(`${base}/macros/render`, { macro: LOST_MACRO }),
      () => outsider.post(`${base}/macros/apply`, { macro: LOST_MACRO, send: false }),
    ];
    for (const call of calls) {
      const res = await call();
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('"tickets.work"');
    }
    const other = await makeBrand(h, 'marketplace-dropship');
    const stranger = (await signedInMember(h, other, 'agent')).client;
    expect((await stranger.get(`${base}/advice`)).status).toBe(404);
    expect(await countRows(ticketMessages(ticket.id))).toBe(1);
  });

  // The clock moves forward from here on (sessions signed in at the start may expire).

  it('brings a pending ticket back exactly once when its follow-up is due', async () => {
    const { ticket } = await lostCase();
    const data = await advice(agent, ticket.id);
    const followUp = find(data.actions, 'follow_up', { after: 'P5D' });
    const res = await agent.post(`/api/v1/tickets/${ticket.id}/advice/apply`, {
      index: followUp.index,
      rule: followUp.rule,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const pending = await agent.patch(`/api/v1/tickets/${ticket.id}`, { status: 'pending' });
    expect(pending.body.data.status).toBe('pending');

    const registry = buildJobRegistry(h.deps);
    h.clock.advance(5 * 24 * HOUR - 60_000);
    await runDueJobs(h.deps, registry, { kinds: SOP_JOBS });
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).body.data.status).toBe('pending');

    h.clock.advance(2 * 60_000);
    await runDueJobs(h.deps, registry, { kinds: SOP_JOBS });
    await runDueJobs(h.deps, registry, { kinds: SOP_JOBS });
    const after = (await agent.get(`/api/v1/tickets/${ticket.id}`)).body.data;
    expect(after.status).toBe('open');
    // Back at the top of the queue: it sorts as due now until an agent acts on it.
    const followUpDue = async () =>
      (await db().select({ at: tickets.followUpDueAt }).from(tickets).where(eq(tickets.id, ticket.id)))[0]!
        .at;
    expect(await followUpDue()).toEqual(h.clock.now());
    expect(new Date(after.sla.dueAt).getTime()).toBeLessThanOrEqual(h.clock.now().getTime());
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'note', body: 'Checked again.' });
    expect(await followUpDue()).toEqual(h.clock.now());
    await agent.patch(`/api/v1/tickets/${ticket.id}`, { status: 'pending' });
    expect(await followUpDue()).toBeNull();
    const due = await db()
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticket.id), eq(ticketEvents.kind, 'follow_up_due')));
    expect(due).toHaveLength(1);
    expect(due[0]!.data).toMatchObject({
      reason: followUp.rule,
      reopened: true,
      from: 'pending',
      to: 'open',
    });
    const [job] = await db()
      .select()
      .from(jobs)
      .where(eq(jobs.uniqueKey, `followup:${ticket.id}:${followUp.rule}`));
    expect(job).toMatchObject({ state: 'done', attempts: 1 });
    const outcomes = await db().select().from(adviceOutcomes).where(eq(adviceOutcomes.ticketId, ticket.id));
    expect(outcomes.map((o) => o.outcome)).toEqual(['followed']);
  });

  it('runs the SLA timer: a ticket nobody answered is breached once its target passes', async () => {
    const ticket = await openTicket('Anyone there?');
    await agent.patch(`/api/v1/tickets/${ticket.id}`, { priority: 'urgent' });
    h.clock.advance(10 * 24 * HOUR);
    await runDueJobs(h.deps, buildJobRegistry(h.deps), { kinds: SOP_JOBS });
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).body.data.sla.state).toBe('breached');
  });
});
