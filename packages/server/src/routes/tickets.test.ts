import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, customers, queues, tickets } from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';

describe('tickets', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  let agentId: string;
  let lead: TestClient;
  let admin: TestClient;
  let seq = 0;

  beforeAll(async () => {
    h = await testApp();
    h.clock.advance(0);
    brand = await makeBrand(h, 'marketplace-dropship');
    const a = await signedInMember(h, brand, 'agent');
    agent = a.client;
    agentId = a.user.id;
    lead = (await signedInMember(h, brand, 'lead')).client;
    admin = (await signedInMember(h, brand, 'admin')).client;
  });

  async function open(body: Record<string, unknown> = {}) {
    seq++;
    const res = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      channel: 'email',
      subject: `Where is my order ${seq}?`,
      body: 'It has not arrived yet.',
      customer: { email: `c${seq}-${Date.now()}@example.com`, name: 'Dana Reyes' },
      ...body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data;
  }

  it('opens a ticket with its customer, first message, history, SLA target and audit entry', async () => {
    const t = await open({ priority: 'high', tags: ['Lost', 'lost', ' vip '] });
    expect(t.number).toBeGreaterThan(0);
    expect(t.status).toBe('open');
    expect(t.tags).toEqual(['lost', 'vip']);
    expect(t.customer.name).toBe('Dana Reyes');
    expect(t.messages).toHaveLength(1);
    expect(t.messages[0]).toMatchObject({ kind: 'reply', direction: 'in', authorType: 'customer' });
    expect(t.history.map((e: { kind: string }) => e.kind)).toContain('created');
    expect(t.sla.firstResponseDueAt).not.toBeNull();
    expect(t.sla.dueAt).toBe(t.sla.firstResponseDueAt);
    expect(t.allowed).toContain('reply');
    const auditRes = await admin.get(`/api/v1/brands/${brand.id}/audit?entityType=ticket`);
    expect(auditRes.status).toBe(200);
  });

  it('refuses a stale update with 409 and the current state, never overwriting', async () => {
    const t = await open();
    const first = await agent.patch(`/api/v1/tickets/${t.id}`, { version: t.version, priority: 'urgent' });
    expect(first.status).toBe(200);
    expect(first.body.data.version).toBe(t.version + 1);
    const stale = await lead.patch(`/api/v1/tickets/${t.id}`, { version: t.version, priority: 'low' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current.version).toBe(t.version + 1);
    const now = await agent.get(`/api/v1/tickets/${t.id}`);
    expect(now.body.data.priority).toBe('urgent');
  });

  it('moves status only along the workflow and names the field on a bad status', async () => {
    const t = await open();
    const bad = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^status: a ticket cannot move from "open" to "closed"/);
    const unknown = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'archived' });
    expect(unknown.body.error.message).toMatch(/^status: "archived" is not a ticket status/);
    const solved = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'solved' });
    expect(solved.status).toBe(200);
    expect(solved.body.data.sla.dueAt).toBeNull();
    const closed = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' });
    expect(closed.status).toBe(200);
    expect(closed.body.data.allowed).toEqual(['note']);
  });

  it('notes stay internal; a reply to an email customer is queued in the outbox with threading headers', async () => {
    const t = await open();
    const note = await agent.post(`/api/v1/tickets/${t.id}/messages`, {
      kind: 'note',
      body: 'Checked the carrier site.',
    });
    expect(note.status).toBe(201);
    const reply = await agent.post(`/api/v1/tickets/${t.id}/messages`, {
      kind: 'reply',
      body: 'It is on its way.',
      status: 'pending',
    });
    expect(reply.status).toBe(201);
    const messages = reply.body.data.messages;
    expect(messages.map((m: { kind: string }) => m.kind)).toEqual(['reply', 'note', 'reply']);
    expect(messages[1].direction).toBe('internal');
    expect(messages[2]).toMatchObject({ direction: 'out', deliveryState: 'queued' });
    expect(messages[2].subject).toMatch(new RegExp(`\\[#${t.number}\\]$`));
    expect(reply.body.data.status).toBe('pending');
    expect(reply.body.data.sla.firstResponseDueAt).toBeNull();
    const jobs = await h.deps.database.db.execute(
      `select kind, payload from jobs where kind = 'email.send' and payload->>'messageId' = '${messages[2].id}'`,
    );
    const rows = Array.isArray(jobs) ? jobs : (jobs as { rows: unknown[] }).rows;
    expect(rows).toHaveLength(1);
  });

  it('links orders named in the message and by hand', async () => {
    const number = `MK${Date.now()}`;
    const order = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'TV1', name: 'TV', qty: 1, unitPrice: 300 }],
      purchaseOrders: [],
    });
    expect(order.status).toBe(201);
    const t = await open({ body: `Order #${number} never came.` });
    expect(t.orders.map((o: { number: string }) => o.number)).toEqual([number]);
    expect(t.orders[0].linkedBy).toBe('auto');
    const again = await agent.post(`/api/v1/tickets/${t.id}/orders`, { orderNumber: number });
    expect(again.status).toBe(409);
    const missing = await agent.post(`/api/v1/tickets/${t.id}/orders`, { orderNumber: 'NOPE-1' });
    expect(missing.body.error.message).toBe('orderNumber: no order "NOPE-1" in this brand');
  });

  it('merges two tickets of one customer and splits a message out again', async () => {
    const email = `merge-${Date.now()}@example.com`;
    const a = await open({ customer: { email } });
    const b = await open({ customer: { email }, body: 'Second message about the same thing.' });
    const merged = await agent.post(`/api/v1/tickets/${b.id}/merge`, { intoTicketId: a.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.data.id).toBe(a.id);
    expect(merged.body.data.messages).toHaveLength(2);
    const gone = await agent.get(`/api/v1/tickets/${b.id}`);
    expect(gone.body.data.mergedIntoId).toBe(a.id);
    expect(gone.body.data.status).toBe('closed');
    const other = await open();
    const refused = await agent.post(`/api/v1/tickets/${other.id}/merge`, { intoTicketId: a.id });
    expect(refused.body.error.message).toBe('intoTicketId: only tickets of the same customer can be merged');
    const moved = merged.body.data.messages[1];
    const split = await agent.post(`/api/v1/tickets/${a.id}/split`, { messageId: moved.id });
    expect(split.status).toBe(201);
    expect(split.body.data.messages.map((m: { id: string }) => m.id)).toEqual([moved.id]);
    expect(split.body.data.history.map((e: { kind: string }) => e.kind)).toContain('split_from');
  });

  it('lists by SLA due time with keyset pages, filters and counts', async () => {
    const t1 = await open({ priority: 'urgent', tags: ['page-test'] });
    const t2 = await open({ tags: ['page-test'] });
    const t3 = await open({ tags: ['page-test'] });
    const page1 = await agent.get(`/api/v1/brands/${brand.id}/tickets?tag=page-test&limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.data[0].id).toBe(t1.id);
    const page2 = await agent.get(
      `/api/v1/brands/${brand.id}/tickets?tag=page-test&limit=2&cursor=${page1.body.nextCursor}`,
    );
    const ids = [...page1.body.data, ...page2.body.data].map((t: { id: string }) => t.id);
    expect(new Set(ids)).toEqual(new Set([t1.id, t2.id, t3.id]));
    expect(page2.body.nextCursor).toBeNull();
    const mine = await agent.patch(`/api/v1/tickets/${t2.id}`, { assigneeId: agentId });
    expect(mine.status).toBe(200);
    const assigned = await agent.get(`/api/v1/brands/${brand.id}/tickets?assignee=me`);
    expect(assigned.body.data.map((t: { id: string }) => t.id)).toContain(t2.id);
    const counts = await agent.get(`/api/v1/brands/${brand.id}/ticket-counts`);
    expect(counts.body.data.mine).toBeGreaterThanOrEqual(1);
    const badCursor = await agent.get(`/api/v1/brands/${brand.id}/tickets?cursor=xyz`);
    expect(badCursor.body.error.message).toBe('cursor: is not a cursor this API returned');
  });

  it('lists the brand’s ticket statuses, intents, PO statuses, vendors and placeholders', async () => {
    const res = await agent.get(`/api/v1/brands/${brand.id}/helpdesk-meta`);
    expect(res.status).toBe(200);
    const meta = res.body.data;
    expect(meta.initialStatus).toBe('open');
    expect(meta.ticketStatuses.find((s: { name: string }) => s.name === 'closed').next).toEqual([]);
    expect(meta.intents.map((i: { name: string }) => i.name)).toContain('lost_or_stolen');
    expect(meta.poStatuses).toContain('Canceled');
    expect(meta.placeholders.map((p: { name: string }) => p.name)).toContain('tracking.number');
  });

  it('shares tickets entering a round-robin queue at the same moment between its members, without deadlock', async () => {
    const second = await signedInMember(h, brand, 'agent');
    const queue = await admin.post(`/api/v1/brands/${brand.id}/queues`, {
      name: `RR ${Date.now()}`,
      assignment: 'round_robin',
      memberIds: [agentId, second.user.id],
    });
    expect(queue.status).toBe(201);
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        agent.post('/api/v1/tickets', {
          brandId: brand.id,
          subject: `Round robin ${i}`,
          body: 'Hello',
          queue: queue.body.data.name,
          customer: { email: `rr${i}-${Date.now()}@example.com` },
        }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(8).fill(201));
    const counts = new Map<string, number>();
    for (const r of created)
      counts.set(r.body.data.assignee.id, (counts.get(r.body.data.assignee.id) ?? 0) + 1);
    expect([...counts.values()]).toEqual([4, 4]);
  });

  it('records the round robin’s pick in the history and audit entry, and refuses a queue deleted meanwhile', async () => {
    const second = await signedInMember(h, brand, 'agent');
    const name = `RR known ${Date.now()}`;
    const queue = await admin.post(`/api/v1/brands/${brand.id}/queues`, {
      name,
      assignment: 'round_robin',
      memberIds: [agentId, second.user.id],
    });
    const email = `known-rr-${Date.now()}@example.com`;
    const ticket = (body: Record<string, unknown> = {}) =>
      agent.post('/api/v1/tickets', { brandId: brand.id, subject: 'Known', body: 'Hi', ...body });
    // The first ticket makes the customer known; the next two are each written by one statement.
    await ticket({ customer: { email, name: 'Known Person' } });
    const picks: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await ticket({ queue: name, customer: { email } });
      expect(res.status).toBe(201);
      expect(res.body.data.queue).toBe(name);
      const id = res.body.data.id as string;
      picks.push(res.body.data.assignee.id);
      const created = res.body.data.history.find((e: { kind: string }) => e.kind === 'created');
      expect(created.data.assigneeId).toBe(res.body.data.assignee.id);
      const [entry] = await h.deps.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'create')));
      expect((entry!.after as { assigneeId: string }).assigneeId).toBe(res.body.data.assignee.id);
      const [row] = await h.deps.database.db.select().from(tickets).where(eq(tickets.id, id));
      expect(row!.assigneeId).toBe(res.body.data.assignee.id);
      expect(row!.queueId).toBe(queue.body.data.id);
    }
    expect(new Set(picks)).toEqual(new Set([agentId, second.user.id]));
    // Deleted by another app instance: this one still knows the name, and the database refuses it.
    await h.deps.database.db.delete(queues).where(eq(queues.id, queue.body.data.id));
    const gone = await ticket({ queue: name, customer: { email } });
    expect(gone.status).toBe(400);
    expect(gone.body.error.message).toBe(`queue: "${name}" is not a queue of this brand`);
  });

  it('gives tickets opened at once by one new address one customer, and leaves no other behind', async () => {
    const email = `burst-${Date.now()}@example.com`;
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        agent.post('/api/v1/tickets', {
          brandId: brand.id,
          subject: `Burst ${i}`,
          body: 'Hello',
          customer: { email, name: 'Burst Person' },
        }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(6).fill(201));
    const ids = new Set(created.map((r) => r.body.data.customerId));
    expect(ids.size).toBe(1);
    const rows = await h.deps.database.db.select().from(customers).where(eq(customers.email, email));
    expect(rows.map((r) => r.id)).toEqual([...ids]);
    const entries = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'customer'), eq(auditLog.entityId, rows[0]!.id)));
    expect(entries.map((e) => e.action)).toEqual(['create']);
  });

  it('creates a ticket once per Idempotency-Key', async () => {
    const key = `k-${Date.now()}`;
    const body = {
      brandId: brand.id,
      subject: 'Integration',
      body: 'From the marketplace',
      customer: { email: `i${Date.now()}@example.com` },
    };
    const first = await agent.request('POST', '/api/v1/tickets', body, {
      headers: { 'idempotency-key': key },
    });
    const second = await agent.request('POST', '/api/v1/tickets', body, {
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.data.id).toBe(first.body.data.id);
  });

  it('refuses people without tickets.work, and hides tickets of other brands', async () => {
    const t = await open();
    const noCap = (await signedInMember(h, brand, { capabilities: ['audit.read'] })).client;
    const res = await noCap.get(`/api/v1/tickets/${t.id}`);
    expect(res.status).toBe(403);
    const other = await makeBrand(h, 'trade-in');
    const outsider = (await signedInMember(h, other, 'agent')).client;
    expect((await outsider.get(`/api/v1/tickets/${t.id}`)).status).toBe(404);
    const anon = new TestClient(h.app);
    expect((await anon.get(`/api/v1/tickets/${t.id}`)).status).toBe(401);
  });
});

describe('search', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'marketplace-dropship');
    agent = (await signedInMember(h, brand, 'agent')).client;
  });

  it('finds subjects, messages and notes with highlighted snippets and filters', async () => {
    const a = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      subject: 'Refund for the broken blender',
      body: 'The blender arrived cracked and leaking.',
      customer: { email: `s${Date.now()}@example.com` },
    });
    await agent.post(`/api/v1/tickets/${a.body.data.id}/messages`, {
      kind: 'note',
      body: 'Vendor confirmed the blenders were damaged in the warehouse.',
    });
    await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      subject: 'Address change',
      body: 'Please ship to my office instead.',
      customer: { email: `t${Date.now()}@example.com` },
    });
    const res = await agent.get(
      `/api/v1/brands/${brand.id}/search?q=${encodeURIComponent('blender damaged')}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    const hit = res.body.data[0];
    expect(hit.ticketId).toBe(a.body.data.id);
    expect(hit.matches[0].kind).toBe('note');
    expect(
      hit.matches[0].snippet
        .filter((p: { hit: boolean }) => p.hit)
        .map((p: { text: string }) => p.text.toLowerCase()),
    ).toEqual(expect.arrayContaining(['blenders', 'damaged']));
    const stemmed = await agent.get(`/api/v1/brands/${brand.id}/search?q=refunds`);
    expect(stemmed.body.data.map((d: { ticketId: string }) => d.ticketId)).toEqual([a.body.data.id]);
    const filtered = await agent.get(`/api/v1/brands/${brand.id}/search?q=blender&status=solved`);
    expect(filtered.body.data).toEqual([]);
    // Text that looks like an unclosed HTML tag does not hide the words after it.
    const tag = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      subject: '<img src="x onerror=1 wardrobe',
      body: 'The wardrobe <b>door</b> is warped.',
      customer: { email: `u${Date.now()}@example.com` },
    });
    const found = await agent.get(`/api/v1/brands/${brand.id}/search?q=warped`);
    expect(found.body.data.map((d: { ticketId: string }) => d.ticketId)).toEqual([tag.body.data.id]);
    const snippet = found.body.data[0].matches[0].snippet.map((p: { text: string }) => p.text).join('');
    // The snippet shows the text as written, markup included, as plain text parts.
    expect(snippet).toContain('<b>door</b> is warped');
    expect([...snippet].some((c) => c.charCodeAt(0) < 9)).toBe(false);
    const short = await agent.get(`/api/v1/brands/${brand.id}/search?q=a`);
    expect(short.body.error.message).toBe('q: must be at least 2 characters');
  });
});

describe('replies with placeholders', () => {
  it('refuses to send a reply that still holds a placeholder, naming it', async () => {
    const h = await testApp();
    const brand = await makeBrand(h, 'marketplace-dropship');
    const agent = (await signedInMember(h, brand, 'agent')).client;
    const t = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      subject: 'Hi',
      body: 'Where is it?',
      customer: { email: `p${Date.now()}@example.com` },
    });
    const res = await agent.post(`/api/v1/tickets/${t.body.data.id}/messages`, {
      kind: 'reply',
      body: 'Your tracking number is {{tracking.number}}.',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'body: the placeholder {{tracking.number}} has no value on this ticket; fill it in before sending',
    );
    const note = await agent.post(`/api/v1/tickets/${t.body.data.id}/messages`, {
      kind: 'note',
      body: 'Template: {{tracking.number}}',
    });
    expect(note.status).toBe(201);
  });
});
