import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tickets, workLogEntries } from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand, makeMember, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';
import { makeOrder, makeTicket } from '../trackers/testing';
import { TICKET_BEAT_GAP_SECONDS } from './automatic';
import { dayOf } from './ledger';

const PACK = 'multichannel-retail';

describe('work log', () => {
  let h: Harness;
  let brand: BrandRow;
  let tz: string;
  let agent: Awaited<ReturnType<typeof signedInMember>>;
  let lead: Awaited<ReturnType<typeof signedInMember>>;

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, PACK);
    tz = h.deps.packs.get(PACK)!.manifest.calendar.timezone;
    agent = await signedInMember(h, brand, 'agent');
    lead = await signedInMember(h, brand, 'lead');
  });

  /**
   * The per-day sums must equal the entries they sum: group the entries by day (brand time zone),
   * person, category, channel and queue and compare with `work_log_daily` row for row.
   */
  async function expectDailyMatchesEntries() {
    const db = h.deps.database.db;
    const fromEntries = await db.execute(sql`
      select to_char((started_at at time zone ${tz})::date, 'YYYY-MM-DD') as day, user_id, category, channel,
             queue_id, sum(seconds)::int as seconds, count(*)::int as entries
      from work_log_entries where brand_id = ${brand.id}
      group by 1, 2, 3, 4, 5`);
    const fromDaily = await db.execute(sql`
      select to_char(day, 'YYYY-MM-DD') as day, user_id, category, channel, queue_id,
             seconds::int as seconds, entries
      from work_log_daily where brand_id = ${brand.id}`);
    const norm = (result: unknown) =>
      ((result as { rows: Record<string, unknown>[] }).rows ?? [])
        .map((r) =>
          JSON.stringify([
            r.day,
            r.user_id,
            r.category,
            r.channel,
            r.queue_id,
            Number(r.seconds),
            Number(r.entries),
          ]),
        )
        .sort();
    const entries = norm(fromEntries);
    expect(entries.length).toBeGreaterThan(0);
    expect(norm(fromDaily)).toEqual(entries);
  }

  async function entriesOf(userId: string, ticketId?: string) {
    const rows = await h.deps.database.db
      .select()
      .from(workLogEntries)
      .where(eq(workLogEntries.userId, userId))
      .orderBy(workLogEntries.startedAt, workLogEntries.createdAt);
    return ticketId ? rows.filter((r) => r.ticketId === ticketId) : rows;
  }

  const beat = (client: TestClient, ticketId: string) =>
    client.post(`/api/v1/tickets/${ticketId}/activity`, {});

  it('extends ticket time while beats keep coming and starts a new entry after a gap', async () => {
    const ticket = await makeTicket(h, brand);
    const me = await signedInMember(h, brand, 'agent');
    for (let i = 0; i < 3; i++) {
      const res = await beat(me.client, ticket.id);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      h.clock.advance(30_000);
    }
    let rows = await entriesOf(me.user.id, ticket.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'ticket', seconds: 60, channel: 'email', category: null });
    expect(rows[0]!.endedAt!.getTime() - rows[0]!.startedAt.getTime()).toBe(60_000);

    // Away for longer than the gap: the pause is not counted, a new entry starts.
    h.clock.advance((TICKET_BEAT_GAP_SECONDS + 60) * 1000);
    expect((await beat(me.client, ticket.id)).status).toBe(200);
    h.clock.advance(30_000);
    const last = await beat(me.client, ticket.id);
    expect(last.body.data).toMatchObject({ mySeconds: 90, ticketSeconds: 90, entry: { seconds: 30 } });
    rows = await entriesOf(me.user.id, ticket.id);
    expect(rows.map((r) => r.seconds)).toEqual([60, 30]);

    const onTicket = await me.client.get(`/api/v1/tickets/${ticket.id}/worklog`);
    expect(onTicket.body.data).toMatchObject({
      seconds: 90,
      people: [{ userId: me.user.id, seconds: 90, entries: 2 }],
    });
    await expectDailyMatchesEntries();
  });

  it('gives the ticket’s category to its uncategorised entries, and new entries take it', async () => {
    const ticket = await makeTicket(h, brand);
    const me = await signedInMember(h, brand, 'agent');
    await beat(me.client, ticket.id);
    h.clock.advance(30_000);
    await beat(me.client, ticket.id);
    expect((await entriesOf(me.user.id, ticket.id))[0]!.category).toBeNull();
    const set = await me.client.patch(`/api/v1/tickets/${ticket.id}`, { category: 'Kayako Tickets' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await entriesOf(me.user.id, ticket.id)).map((r) => r.category)).toEqual(['Kayako Tickets']);

    h.clock.advance(10 * 60_000);
    await beat(me.client, ticket.id);
    const rows = await entriesOf(me.user.id, ticket.id);
    expect(rows.map((r) => r.category)).toEqual(['Kayako Tickets', 'Kayako Tickets']);
    await expectDailyMatchesEntries();
  });

  it('takes the category the advice’s categorize action gives the ticket', async () => {
    const me = await signedInMember(h, brand, 'agent');
    const opened = await me.client.post('/api/v1/tickets', {
      brandId: brand.id,
      channel: 'email',
      subject: 'Where is my order?',
      body: 'Hello, I placed an order last week and have not heard anything since. Where is my parcel?',
      customer: { email: `c-${Date.now()}@example.com`, name: 'Dana Reyes' },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const ticketId = opened.body.data.id;
    await beat(me.client, ticketId);
    h.clock.advance(30_000);
    await beat(me.client, ticketId);
    const advice = await me.client.get(`/api/v1/tickets/${ticketId}/advice`);
    const categorize = advice.body.data.actions.find(
      (a: { action: { type: string } }) => a.action.type === 'categorize',
    );
    expect(categorize, JSON.stringify(advice.body.data.actions)).toBeDefined();
    const applied = await me.client.post(`/api/v1/tickets/${ticketId}/advice/apply`, {
      index: categorize.index,
      rule: categorize.rule,
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const rows = await entriesOf(me.user.id, ticketId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ seconds: 30, category: 'Kayako Tickets' });
    expect(categorize.action.category).toBe('Kayako Tickets');
    await expectDailyMatchesEntries();
  });

  it('counts replies, notes, tracker records and approvals in the same transaction as the action', async () => {
    const ticket = await makeTicket(h, brand);
    const me = await signedInMember(h, brand, 'agent');
    await h.deps.database.db
      .update(tickets)
      .set({ category: 'Courier Inquiry (Non Voice)' })
      .where(eq(tickets.id, ticket.id));
    for (const kind of ['reply', 'note']) {
      const res = await me.client.post(`/api/v1/tickets/${ticket.id}/messages`, { kind, body: `A ${kind}` });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const refs = await makeOrder(h, brand);
    const record = await me.client.post(`/api/v1/brands/${brand.id}/trackers/carrier_claim/records`, {
      fields: { order: refs.order, carrier: 'AusPost', tracking_number: 'AP123' },
      ticketId: ticket.id,
    });
    expect(record.status, JSON.stringify(record.body)).toBe(201);
    const filed = await me.client.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'rma',
      fields: { order: refs.order, sku: 'RING-1', reason: 'Faulty' },
      ticketId: ticket.id,
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const approver = await signedInMember(h, brand, 'approver');
    const decided = await approver.client.post(`/api/v1/approvals/${filed.body.data.id}/steps`, {
      step: 'approve',
      note: 'Checked',
    });
    expect(decided.status, JSON.stringify(decided.body)).toBeLessThan(300);

    const mine = await entriesOf(me.user.id);
    expect(mine.map((r) => r.source).sort()).toEqual(['approval', 'note', 'reply', 'tracker']);
    for (const row of mine) {
      expect(row).toMatchObject({
        seconds: 0,
        ticketId: ticket.id,
        category: 'Courier Inquiry (Non Voice)',
        channel: 'email',
      });
    }
    expect((await entriesOf(approver.user.id)).map((r) => r.source)).toEqual(['approval']);

    // A refused action logs nothing: the entry is in the action's transaction.
    const before = (await entriesOf(me.user.id)).length;
    const refused = await me.client.post(`/api/v1/tickets/${ticket.id}/messages`, {
      kind: 'reply',
      body: 'Stale',
      version: 1,
    });
    expect(refused.status).toBe(409);
    expect(await entriesOf(me.user.id)).toHaveLength(before);
    await expectDailyMatchesEntries();
  });

  it('runs one timer per person and logs the time from start to stop', async () => {
    const me = await signedInMember(h, brand, 'agent');
    const base = `/api/v1/brands/${brand.id}/worklog/timer`;
    expect((await me.client.get(base)).body.data).toBeNull();
    const bad = await me.client.post(base, { category: 'Knitting' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('category: "Knitting" is not a task category of this brand');
    expect((await me.client.post(base, {})).body.error.message).toContain('category');

    const started = await me.client.post(base, { category: 'Voice (Inbound)', channel: 'phone' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.data).toMatchObject({ running: true, seconds: 0, source: 'timer' });
    const second = await me.client.post(base, { category: 'Spam Checking' });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain('already running');
    expect((await me.client.get(base)).body.data.id).toBe(started.body.data.id);

    h.clock.advance(10 * 60_000 + 4_000);
    const stopped = await me.client.post(`${base}/stop`, { note: 'Customer called about a refund' });
    expect(stopped.status).toBe(200);
    expect(stopped.body.data).toMatchObject({
      running: false,
      seconds: 604,
      category: 'Voice (Inbound)',
      channel: 'phone',
      note: 'Customer called about a refund',
    });
    expect((await me.client.post(`${base}/stop`, {})).status).toBe(409);
    expect((await me.client.get(base)).body.data).toBeNull();
    await expectDailyMatchesEntries();
  });

  it('checks manual entries and names the field', async () => {
    const me = await signedInMember(h, brand, 'agent');
    const url = `/api/v1/brands/${brand.id}/worklog/entries`;
    const cases: [Record<string, unknown>, string][] = [
      [{ minutes: 10 }, 'category'],
      [{ category: 'Gardening', minutes: 10 }, 'category: "Gardening" is not a task category of this brand'],
      [{ category: 'Spam Checking' }, 'minutes: give the minutes worked, or startedAt and endedAt'],
      [{ category: 'Spam Checking', minutes: 0 }, 'minutes: must be at least 1'],
      [
        {
          category: 'Spam Checking',
          startedAt: new Date(h.clock.now().getTime() - 60_000).toISOString(),
          endedAt: new Date(h.clock.now().getTime() - 120_000).toISOString(),
        },
        'endedAt: must be after startedAt',
      ],
      [
        { category: 'Spam Checking', startedAt: h.clock.now().toISOString(), minutes: 30 },
        'endedAt: must not be in the future',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await me.client.post(url, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
    const ok = await me.client.post(url, {
      category: 'Spam Checking',
      minutes: 15,
      channel: 'email',
      note: 'Zimbra',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.data).toMatchObject({
      source: 'manual',
      seconds: 900,
      category: 'Spam Checking',
      allowed: ['edit', 'delete'],
    });
    expect(new Date(ok.body.data.endedAt).getTime()).toBe(h.clock.now().getTime());
    await expectDailyMatchesEntries();
  });

  it('lets people correct their own entries until a lead locks the timesheet', async () => {
    const me = await signedInMember(h, brand, 'agent');
    const other = await signedInMember(h, brand, 'agent');
    const url = `/api/v1/brands/${brand.id}/worklog/entries`;
    h.clock.advance(60 * 60_000);
    const created = await me.client.post(url, { category: 'Voice (Outbound)', minutes: 5 });
    const id = created.body.data.id;

    const fixed = await me.client.patch(`/api/v1/worklog/entries/${id}`, {
      minutes: 20,
      category: 'Voice (Inbound)',
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body.data).toMatchObject({ seconds: 1200, category: 'Voice (Inbound)' });
    await expectDailyMatchesEntries();

    // Someone else's entry: only a lead.
    expect((await other.client.patch(`/api/v1/worklog/entries/${id}`, { note: 'mine now' })).status).toBe(
      403,
    );
    expect((await other.client.request('DELETE', `/api/v1/worklog/entries/${id}`)).status).toBe(403);
    const byLead = await lead.client.patch(`/api/v1/worklog/entries/${id}`, { note: 'Checked by lead' });
    expect(byLead.status).toBe(200);

    const spare = await me.client.post(url, { category: 'Spam Checking', minutes: 3 });
    // Moving an entry to another day moves its time between the days' sums.
    const end = h.clock.now().getTime() - 86_400_000;
    const moved = await me.client.patch(`/api/v1/worklog/entries/${spare.body.data.id}`, {
      startedAt: new Date(end - 10 * 60_000).toISOString(),
      endedAt: new Date(end).toISOString(),
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.data).toMatchObject({ seconds: 600, day: dayOf(new Date(end - 10 * 60_000), tz) });
    await expectDailyMatchesEntries();
    expect((await me.client.request('DELETE', `/api/v1/worklog/entries/${spare.body.data.id}`)).status).toBe(
      204,
    );
    await expectDailyMatchesEntries();

    // Lock through today: nothing on those days changes any more, for anyone.
    const today = dayOf(h.clock.now(), tz);
    const locked = await lead.client.post(`/api/v1/brands/${brand.id}/worklog/locks`, {
      userId: me.user.id,
      through: today,
    });
    expect(locked.status, JSON.stringify(locked.body)).toBe(200);
    expect(locked.body.data).toMatchObject({ lockedThrough: today, entriesLocked: 1 });
    for (const client of [me.client, lead.client]) {
      const res = await client.patch(`/api/v1/worklog/entries/${id}`, { minutes: 25 });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('locked');
      expect((await client.request('DELETE', `/api/v1/worklog/entries/${id}`)).status).toBe(409);
    }
    const late = await me.client.post(url, { category: 'Spam Checking', minutes: 5 });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe(
      `The timesheet is locked through ${today}; work on ${today} can no longer be added or changed.`,
    );
    const again = await lead.client.post(`/api/v1/brands/${brand.id}/worklog/locks`, {
      userId: me.user.id,
      through: today,
    });
    expect(again.status).toBe(409);

    const sheet = await me.client.get(`${url}?from=${today}&to=${today}`);
    expect(sheet.body.data.lockedThrough).toBe(today);
    expect(sheet.body.data.entries[0]).toMatchObject({ locked: true, allowed: [], seconds: 1200 });
    await expectDailyMatchesEntries();

    // Every change is in the audit log.
    const audit = await h.deps.database.db.execute(
      sql`select action from audit_log where entity_type = 'work_log_entry' and entity_id = ${id} order by id`,
    );
    expect((audit as unknown as { rows: { action: string }[] }).rows.map((r) => r.action)).toEqual([
      'create',
      'update',
      'update',
    ]);
  });

  it('shows a person’s timesheet with totals and the team’s to leads', async () => {
    const me = await signedInMember(h, brand, 'agent');
    const url = `/api/v1/brands/${brand.id}/worklog/entries`;
    h.clock.advance(24 * 3600_000);
    const day = dayOf(h.clock.now(), tz);
    await me.client.post(url, { category: 'Spam Checking', minutes: 10 });
    await me.client.post(url, { category: 'Spam Checking', minutes: 5 });
    await me.client.post(url, { category: 'Voice (Inbound)', minutes: 30 });
    const sheet = await me.client.get(`${url}?from=${day}&to=${day}`);
    expect(sheet.status).toBe(200);
    expect(sheet.body.data.totals).toMatchObject({
      seconds: 2700,
      entries: 3,
      days: [{ day, seconds: 2700, entries: 3 }],
      categories: [
        { category: 'Voice (Inbound)', seconds: 1800, entries: 1 },
        { category: 'Spam Checking', seconds: 900, entries: 2 },
      ],
    });
    // Another person's timesheet and the team's are for leads.
    expect((await me.client.get(`${url}?userId=${lead.user.id}`)).status).toBe(403);
    expect(
      (await lead.client.get(`${url}?userId=${me.user.id}&from=${day}&to=${day}`)).body.data.totals.seconds,
    ).toBe(2700);
    const team = await lead.client.get(`/api/v1/brands/${brand.id}/worklog/team?from=${day}&to=${day}`);
    expect(team.status).toBe(200);
    const row = team.body.data.people.find((p: { userId: string }) => p.userId === me.user.id);
    expect(row.totals).toMatchObject({ seconds: 2700, entries: 3, days: [{ day, seconds: 2700 }] });
    expect(team.body.data.people.map((p: { userId: string }) => p.userId)).toContain(agent.user.id);
  });

  it('refuses each capability to a role without it', async () => {
    const ticket = await makeTicket(h, brand);
    const noLog = await signedInMember(h, brand, { capabilities: ['tickets.work'] });
    for (const res of [
      await beat(noLog.client, ticket.id),
      await noLog.client.get(`/api/v1/brands/${brand.id}/worklog/timer`),
      await noLog.client.post(`/api/v1/brands/${brand.id}/worklog/timer`, { category: 'Spam Checking' }),
      await noLog.client.post(`/api/v1/brands/${brand.id}/worklog/entries`, {
        category: 'Spam Checking',
        minutes: 5,
      }),
      await noLog.client.get(`/api/v1/brands/${brand.id}/worklog/entries`),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('"worklog.log"');
    }
    const someone = await makeMember(h, brand, 'agent');
    for (const res of [
      await agent.client.get(`/api/v1/brands/${brand.id}/worklog/team`),
      await agent.client.get(`/api/v1/brands/${brand.id}/worklog/entries?userId=${someone.user.id}`),
      await agent.client.post(`/api/v1/brands/${brand.id}/worklog/entries`, {
        category: 'Spam Checking',
        minutes: 5,
        userId: someone.user.id,
      }),
      await agent.client.post(`/api/v1/brands/${brand.id}/worklog/locks`, {
        userId: someone.user.id,
        through: dayOf(h.clock.now(), tz),
      }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('"worklog.review"');
    }
    // A lead logs for a member.
    const forSomeone = await lead.client.post(`/api/v1/brands/${brand.id}/worklog/entries`, {
      category: 'Spam Checking',
      minutes: 5,
      userId: someone.user.id,
    });
    expect(forSomeone.status).toBe(201);
    expect(forSomeone.body.data.userId).toBe(someone.user.id);
    await expectDailyMatchesEntries();
  });
});
