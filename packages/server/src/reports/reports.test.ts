import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adviceOutcomes,
  approvalRequests,
  queues,
  slaPolicies,
  ticketEvents,
  tickets,
  trackerRecords,
  users,
  workLogDaily,
  workLogEntries,
} from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand, makeMember, signedInMember } from '../test/factories';
import type { Harness, TestClient } from '../test/harness';
import { testApp } from '../test/harness';

/**
 * Reports over a small brand whose figures are known: tickets with SLA outcomes as the SLA clock
 * records them, work-log day sums and entries, approvals, tracker records and advice outcomes,
 * written the way their own commands write them. The brand's pack counts days in Australia/Sydney
 * (UTC+11 in March).
 */
describe('reports', () => {
  let h: Harness;
  let brand: BrandRow;
  let lead: TestClient;
  let a1: { id: string; name: string };
  let a2: { id: string; name: string };
  let queueId: string;
  const t: Record<string, string> = {};
  const at = (iso: string) => new Date(iso);
  const base = () => `/api/v1/brands/${brand.id}/reports`;

  beforeAll(async () => {
    h = await testApp();
    // The request clock: 2026-03-10 00:00 UTC (11:00 in Sydney).
    h.clock.advance(Date.parse('2026-03-10T00:00:00Z') - h.clock.now().getTime());
    brand = await makeBrand(h, 'multichannel-retail');
    const signed = await signedInMember(h, brand, 'lead');
    lead = signed.client;
    a1 = (await makeMember(h, brand, 'agent')).user;
    a2 = (await makeMember(h, brand, 'agent')).user;
    const { db } = h.deps.database;
    // A name a spreadsheet would run as a formula, for the CSV test.
    await db.update(users).set({ name: '=HYPERLINK("http://evil.example")' }).where(eq(users.id, a2.id));
    a2.name = '=HYPERLINK("http://evil.example")';
    const [queue] = await db
      .insert(queues)
      .values({
        brandId: brand.id,
        name: `q-${randomUUID().slice(0, 6)}`,
        title: 'Kayako AU',
        source: 'custom',
      })
      .returning();
    queueId = queue!.id;
    const [policy] = await db
      .insert(slaPolicies)
      .values({ brandId: brand.id, name: 'Reports test', firstResponseMinutes: 60, resolutionMinutes: 480 })
      .returning();
    const ticket = async (name: string, values: Partial<typeof tickets.$inferInsert>) => {
      const [row] = await db
        .insert(tickets)
        .values({
          brandId: brand.id,
          token: randomUUID(),
          channel: 'email',
          subject: name,
          status: 'open',
          ...values,
        })
        .returning();
      t[name] = row!.id;
    };
    // Met both targets: replied after 30 minutes, solved after 2 hours.
    await ticket('Parcel late', {
      category: 'Kayako Tickets',
      queueId,
      assigneeId: a1.id,
      slaPolicyId: policy!.id,
      createdAt: at('2026-03-02T10:00:00Z'),
      firstRespondedAt: at('2026-03-02T10:30:00Z'),
      solvedAt: at('2026-03-02T12:00:00Z'),
      status: 'solved',
      active: false,
    });
    // Breached both: the first reply came after the first-response target passed, and the
    // resolution target passed after the reply.
    await ticket('Chat gone quiet', {
      category: 'Chat (Kayako)',
      channel: 'chat',
      assigneeId: a2.id,
      slaPolicyId: policy!.id,
      createdAt: at('2026-03-02T11:00:00Z'),
      firstRespondedAt: at('2026-03-02T13:00:00Z'),
      solvedAt: at('2026-03-03T20:00:00Z'),
      status: 'solved',
      active: false,
    });
    // Still open, no category, nobody on it, no SLA policy.
    await ticket('Where is my refund', { createdAt: at('2026-03-05T01:00:00Z') });
    const breach = (ticketId: string, dueAt: string) => ({
      brandId: brand.id,
      ticketId,
      kind: 'sla_breached',
      actorLabel: 'Casebook',
      data: { dueAt },
      at: at(dueAt),
    });
    await db
      .insert(ticketEvents)
      .values([
        breach(t['Chat gone quiet']!, '2026-03-02T12:00:00.000Z'),
        breach(t['Chat gone quiet']!, '2026-03-02T19:00:00.000Z'),
      ]);

    await db.insert(workLogDaily).values([
      {
        brandId: brand.id,
        day: '2026-03-02',
        userId: a1.id,
        category: 'Kayako Tickets',
        channel: 'email',
        queueId,
        seconds: 3600,
        entries: 3,
      },
      {
        brandId: brand.id,
        day: '2026-03-02',
        userId: a2.id,
        category: 'Chat (Kayako)',
        channel: 'chat',
        seconds: 1800,
        entries: 2,
      },
      // Outside the period asked for.
      {
        brandId: brand.id,
        day: '2026-02-20',
        userId: a1.id,
        category: 'Kayako Tickets',
        channel: 'email',
        seconds: 999,
        entries: 1,
      },
    ]);
    await db.insert(workLogEntries).values([
      {
        brandId: brand.id,
        userId: a1.id,
        category: 'Kayako Tickets',
        ticketId: t['Parcel late']!,
        source: 'ticket',
        channel: 'email',
        queueId,
        startedAt: at('2026-03-02T10:05:00Z'),
        endedAt: at('2026-03-02T10:45:00Z'),
        seconds: 2400,
      },
      {
        brandId: brand.id,
        userId: a2.id,
        category: 'Chat (Kayako)',
        ticketId: t['Chat gone quiet']!,
        source: 'reply',
        channel: 'chat',
        startedAt: at('2026-03-02T13:00:00Z'),
        seconds: 0,
      },
    ]);

    const request = (filedAt: string, decidedAfterHours: number | null) => ({
      brandId: brand.id,
      type: 'rma',
      state: decidedAfterHours === null ? 'requested' : 'approved',
      ticketId: t['Parcel late']!,
      requestedBy: a1.id,
      requestedByName: a1.name,
      decidedAt:
        decidedAfterHours === null ? null : new Date(Date.parse(filedAt) + decidedAfterHours * 3_600_000),
      createdAt: at(filedAt),
      updatedAt: at(filedAt),
    });
    await db
      .insert(approvalRequests)
      .values([
        request('2026-03-03T00:00:00Z', 2),
        request('2026-03-03T01:00:00Z', 4),
        request('2026-03-04T00:00:00Z', null),
      ]);

    await db.insert(trackerRecords).values([
      {
        brandId: brand.id,
        type: 'out_of_stock',
        state: 'Filed',
        createdByLabel: 'Warehouse',
        createdAt: at('2026-02-28T00:00:00Z'),
        updatedAt: at('2026-02-28T00:00:00Z'),
      },
      {
        brandId: brand.id,
        type: 'out_of_stock',
        state: 'Resolved',
        createdByLabel: 'Warehouse',
        createdAt: at('2026-03-03T00:00:00Z'),
        updatedAt: at('2026-03-04T00:00:00Z'),
      },
    ]);

    const outcome = (userId: string, rule: string, o: 'followed' | 'overridden') => ({
      brandId: brand.id,
      ticketId: t['Parcel late']!,
      userId,
      rule,
      outcome: o,
      at: at('2026-03-02T10:20:00Z'),
    });
    await db
      .insert(adviceOutcomes)
      .values([
        outcome(a1.id, 'parcel_late', 'followed'),
        outcome(a1.id, 'parcel_late', 'followed'),
        outcome(a1.id, 'parcel_late', 'followed'),
        outcome(a2.id, 'parcel_late', 'overridden'),
        outcome(a2.id, 'refund_first', 'overridden'),
      ]);
  });

  const period = 'from=2026-03-01&to=2026-03-09';
  const rowOf = (body: any, label: string) => body.data.rows.find((r: any) => r.label === label);

  it('counts tickets created and solved per local day and per agent', async () => {
    const byDay = await lead.get(`${base()}/volume?${period}&groupBy=period&granularity=day`);
    expect(byDay.status).toBe(200);
    expect(byDay.body.data.rows).toHaveLength(9);
    const day = (key: string) => byDay.body.data.rows.find((r: any) => r.key === key).values;
    expect(day('2026-03-02')).toEqual({ created: 2, solved: 1 });
    // Solved 2026-03-03 20:00 UTC is 2026-03-04 07:00 in Sydney.
    expect(day('2026-03-04')).toEqual({ created: 0, solved: 1 });
    expect(day('2026-03-05')).toEqual({ created: 1, solved: 0 });

    const byAgent = await lead.get(`${base()}/volume?${period}&groupBy=agent`);
    expect(rowOf(byAgent.body, a1.name).values).toEqual({ created: 1, solved: 1 });
    expect(rowOf(byAgent.body, '(unassigned)').values).toEqual({ created: 1, solved: 0 });

    const filtered = await lead.get(`${base()}/volume?${period}&groupBy=category&channel=chat`);
    expect(filtered.body.data.rows.map((r: any) => [r.label, r.values.created])).toEqual([
      ['Chat (Kayako)', 1],
    ]);
  });

  it('gives SLA attainment from the recorded breaches', async () => {
    const all = await lead.get(`${base()}/sla?${period}&groupBy=brand`);
    expect(all.status).toBe(200);
    expect(all.body.data.rows).toHaveLength(1);
    expect(all.body.data.rows[0].values).toEqual({
      firstResponseMet: 1,
      firstResponseBreached: 1,
      firstResponsePct: 50,
      resolutionMet: 1,
      resolutionBreached: 1,
      resolutionPct: 50,
    });
    const byCategory = await lead.get(`${base()}/sla?${period}&groupBy=category`);
    expect(rowOf(byCategory.body, 'Kayako Tickets').values.firstResponsePct).toBe(100);
    expect(rowOf(byCategory.body, 'Chat (Kayako)').values.resolutionPct).toBe(0);
  });

  it('sums handle time from the work-log day sums', async () => {
    const res = await lead.get(`${base()}/handle_time?${period}&groupBy=agent`);
    expect(res.status).toBe(200);
    expect(rowOf(res.body, a1.name).values).toMatchObject({
      seconds: 3600,
      hours: 1,
      entries: 3,
      secondsPerEntry: 1200,
      solved: 1,
      secondsPerSolved: 3600,
    });
    const byQueue = await lead.get(`${base()}/handle_time?${period}&groupBy=queue&queueId=${queueId}`);
    expect(byQueue.body.data.rows.map((r: any) => [r.label, r.values.seconds])).toEqual([
      ['Kayako AU', 3600],
    ]);
    const byMonth = await lead.get(
      `${base()}/handle_time?from=2026-02-01&to=2026-03-09&groupBy=period&granularity=month`,
    );
    expect(byMonth.body.data.rows.map((r: any) => [r.key, r.values.seconds])).toEqual([
      ['2026-02-01', 999],
      ['2026-03-01', 5400],
    ]);
  });

  it('shows the backlog over time and by age', async () => {
    const overTime = await lead.get(`${base()}/backlog?${period}&groupBy=period&granularity=day`);
    const open = (key: string) => overTime.body.data.rows.find((r: any) => r.key === key).values.open;
    expect(open('2026-03-01')).toBe(0);
    // End of 2 March (Sydney): "Chat gone quiet" open; "Parcel late" solved.
    expect(open('2026-03-02')).toBe(1);
    expect(open('2026-03-04')).toBe(0);
    expect(open('2026-03-09')).toBe(1);
    const byAge = await lead.get(`${base()}/backlog?${period}&groupBy=category`);
    // At the end of 9 March the refund ticket is 4 days 12 hours old.
    expect(rowOf(byAge.body, '(no category)').values).toEqual({
      open: 1,
      ageUnder1d: 0,
      age1to3d: 0,
      age3to7d: 1,
      ageOver7d: 0,
    });
  });

  it('measures approval turnaround, tracker ages and SOP adherence', async () => {
    const approvals = await lead.get(`${base()}/approvals?${period}`);
    expect(rowOf(approvals.body, 'RMA request').values).toEqual({
      filed: 3,
      decided: 2,
      open: 1,
      medianHours: 3,
      p90Hours: 3.8,
    });
    const trackers = await lead.get(`${base()}/trackers?${period}`);
    const oos = trackers.body.data.rows.find((r: any) => r.key === 'out_of_stock').values;
    expect(oos).toEqual({ logged: 1, open: 1, ageUnder7d: 0, age7to30d: 1, ageOver30d: 0, oldestDays: 10 });
    const byRule = await lead.get(`${base()}/adherence?${period}&groupBy=rule`);
    expect(rowOf(byRule.body, 'parcel_late').values).toEqual({ followed: 3, overridden: 1, followedPct: 75 });
    expect(rowOf(byRule.body, 'refund_first').values).toEqual({ followed: 0, overridden: 1, followedPct: 0 });
    const byAgent = await lead.get(`${base()}/adherence?${period}&groupBy=agent`);
    expect(rowOf(byAgent.body, a1.name).values.followedPct).toBe(100);
  });

  it('drills down from a row to the tickets behind it', async () => {
    const sla = await lead.get(
      `${base()}/sla/tickets?${period}&groupBy=category&key=${encodeURIComponent('Chat (Kayako)')}`,
    );
    expect(sla.status).toBe(200);
    expect(sla.body.data).toHaveLength(1);
    expect(sla.body.data[0]).toMatchObject({
      ticketId: t['Chat gone quiet'],
      title: 'Chat gone quiet',
      detail: 'first response breached, resolution breached',
    });
    const worked = await lead.get(`${base()}/handle_time/tickets?${period}&groupBy=agent&key=${a1.id}`);
    expect(worked.body.data.map((i: any) => [i.ticketId, i.detail])).toEqual([
      [t['Parcel late'], '2400 s in 1 entries'],
    ]);
    const day = await lead.get(
      `${base()}/volume/tickets?${period}&groupBy=period&granularity=day&key=2026-03-05`,
    );
    expect(day.body.data.map((i: any) => i.title)).toEqual(['Where is my refund']);
    const none = await lead.get(`${base()}/backlog/tickets?${period}&groupBy=category&key=__none__`);
    expect(none.body.data.map((i: any) => i.title)).toEqual(['Where is my refund']);
    const records = await lead.get(`${base()}/trackers/tickets?${period}&groupBy=state&key=Filed`);
    expect(records.body.data).toHaveLength(1);
    expect(records.body.data[0]).toMatchObject({
      recordType: 'out_of_stock',
      status: 'Filed',
      ticketId: null,
    });
  });

  it('exports a report as CSV with formula cells neutralised', async () => {
    const res = await lead.get(`${base()}/volume/export.csv?${period}&groupBy=agent`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/csv');
    expect(String(res.headers['content-disposition'])).toContain('volume-agent-2026-03-01-2026-03-09.csv');
    const text = String(res.body);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('Agent,Created,Solved');
    expect(lines).toContain(`${a1.name},1,1`);
    expect(lines).toContain(`"'=HYPERLINK(""http://evil.example"")",1,1`);
  });

  it('refuses queries that do not fit, naming the field', async () => {
    const cases: [string, string][] = [
      [`${base()}/volume?${period}&groupBy=rule`, 'groupBy'],
      [`${base()}/volume?from=2026-03-09&to=2026-03-01`, 'to'],
      [`${base()}/volume?from=2026-02-30&to=2026-03-01`, 'from'],
      [`${base()}/volume?${period}&granularity=hour`, 'granularity'],
      [`${base()}/trackers?${period}&queueId=${queueId}`, 'queueId'],
      [`${base()}/volume?${period}&agentId=nope`, 'agentId'],
      [`${base()}/volume?from=2024-01-01&to=2026-03-01`, 'to'],
      [`${base()}/nonsense?${period}`, 'kind'],
      [`${base()}/volume/tickets?${period}&groupBy=period&key=March`, 'key'],
    ];
    for (const [url, field] of cases) {
      const res = await lead.get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.message, url).toContain(`${field}`);
    }
  });

  it('refuses callers without reports.read, and brands they are not in', async () => {
    const agent = await signedInMember(h, brand, 'agent');
    const refused = await agent.client.get(`${base()}/volume?${period}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('reports.read');
    expect((await agent.client.get(`${base()}/volume/export.csv?${period}`)).status).toBe(403);
    const other = await makeBrand(h, 'multichannel-retail');
    expect((await lead.get(`/api/v1/brands/${other.id}/reports/volume?${period}`)).status).toBe(404);
  });

  it('compares only the brands where the caller holds reports.read', async () => {
    const { client, user } = await signedInMember(h, brand, 'manager');
    const second = await makeBrand(h, 'multichannel-retail');
    const third = await makeBrand(h, 'multichannel-retail');
    const { grantMembership, roleByName } = await import('../commands/members');
    const system = { actor: { kind: 'system' as const, name: 'test' }, now: h.clock.now() };
    await h.deps.database.db.transaction(async (tx) => {
      await grantMembership(tx, system, second.id, user, await roleByName(tx, second.id, 'lead'));
      await grantMembership(tx, system, third.id, user, await roleByName(tx, third.id, 'agent'));
    });
    await h.deps.database.db.insert(tickets).values({
      brandId: second.id,
      token: randomUUID(),
      channel: 'email',
      subject: 'Second brand',
      status: 'open',
      createdAt: at('2026-03-03T00:00:00Z'),
    });
    const res = await client.get(`${base()}/volume?${period}&groupBy=brand`);
    expect(res.status).toBe(200);
    expect(res.body.data.rows.map((r: any) => [r.label, r.values.created]).sort()).toEqual(
      [
        [brand.name, 3],
        [second.name, 1],
      ].sort(),
    );
    const catalogue = await client.get(base());
    expect(catalogue.body.options.brands.map((b: any) => b.id)).toEqual([brand.id, second.id]);
    expect(catalogue.body.kinds.map((k: any) => k.kind)).toContain('adherence');
  });
});
