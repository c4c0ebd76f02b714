import { nextStates, trackerPermissions } from '@casebook/core';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { notifications, ticketEvents } from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';
import { makeOrder, makeTicket, validFields } from '../trackers/testing';

/** A signed-in member of a pack role; external roles are bound to the supplier company "Bowen". */
async function member(h: Harness, brand: BrandRow, role: string, admin: TestClient) {
  const m = await signedInMember(h, brand, role);
  const external = h.deps.packs.get(brand.packId)!.manifest.roles[role]!.external;
  if (external) {
    const list = await admin.get(`/api/v1/brands/${brand.id}/members`);
    const id = list.body.data.find((x: { user: { id: string } }) => x.user.id === m.user.id).id;
    const res = await admin.request('PUT', `/api/v1/brands/${brand.id}/supplier-accounts/${id}`, {
      vendor: 'Bowen',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return m.client;
}

describe.each(['store-supplier', 'fashion-leads', 'multichannel-retail', 'marketplace-dropship'])(
  'tracker capability matrix: %s',
  (packId) => {
    let h: Harness;
    let brand: BrandRow;
    let clients: Record<string, TestClient>;
    let refs: { order: string; po: string };

    beforeAll(async () => {
      h = await testApp();
      brand = await makeBrand(h, packId);
      refs = await makeOrder(h, brand);
      const admin = (await signedInMember(h, brand, 'admin')).client;
      clients = {};
      for (const role of Object.keys(h.deps.packs.get(packId)!.manifest.roles)) {
        clients[role] = await member(h, brand, role, admin);
      }
    });

    const pack = () => h.deps.packs.get(packId)!.manifest;

    it('lets exactly the roles the pack names log, see and resolve each type', async () => {
      const checked: string[] = [];
      for (const [type, def] of Object.entries(pack().trackers)) {
        let state = def.states[0]!;
        let recordId: string | undefined;
        for (const [role, client] of Object.entries(clients)) {
          const may = trackerPermissions(type, def, {
            name: role,
            capabilities: new Set(pack().roles[role]!.capabilities),
          });
          const where = `${type} × ${role}`;

          const logged = await client.post(`/api/v1/brands/${brand.id}/trackers/${type}/records`, {
            fields: validFields(def, refs),
          });
          expect(logged.status, `${where} log: ${JSON.stringify(logged.body)}`).toBe(
            may.log ? 201 : may.see ? 403 : 404,
          );
          if (may.log) recordId ??= logged.body.data.id;
          if (!may.log && may.see) expect(logged.body.error.message).toContain(def.log.join(', '));

          const listed = await client.get(`/api/v1/brands/${brand.id}/trackers/${type}/records`);
          expect(listed.status, `${where} see`).toBe(may.see ? 200 : 404);
          checked.push(where);
        }
        expect(recordId, `${type} has a role that logs it`).toBeDefined();
        for (const [role, client] of Object.entries(clients)) {
          const may = trackerPermissions(type, def, {
            name: role,
            capabilities: new Set(pack().roles[role]!.capabilities),
          });
          const where = `${type} × ${role}`;
          const seen = await client.get(`/api/v1/tracker-records/${recordId}`);
          expect(seen.status, `${where} read one`).toBe(may.see ? 200 : 404);
          const to = nextStates(def, state)[0]!;
          const moved = await client.post(`/api/v1/tracker-records/${recordId}/state`, { state: to });
          expect(moved.status, `${where} resolve: ${JSON.stringify(moved.body)}`).toBe(
            may.resolve ? 200 : may.see ? 403 : 404,
          );
          if (may.resolve) {
            expect(moved.body.data.state).toBe(to);
            state = to;
          }
        }
      }
      expect(checked.length).toBe(Object.keys(pack().trackers).length * Object.keys(clients).length);
    });

    it('hides every tracker of the brand from a member of another brand', async () => {
      const other = await makeBrand(h, packId);
      const { client } = await signedInMember(h, other, 'admin');
      const [type, def] = Object.entries(pack().trackers)[0]!;
      expect((await client.get(`/api/v1/brands/${brand.id}/trackers`)).status).toBe(404);
      expect((await client.get(`/api/v1/brands/${brand.id}/trackers/${type}/records`)).status).toBe(404);
      const res = await client.post(`/api/v1/brands/${brand.id}/trackers/${type}/records`, {
        fields: validFields(def, refs),
      });
      expect(res.status).toBe(404);
    });
  },
);

describe('tracker records', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  let ops: TestClient;
  let refs: { order: string; po: string };
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'store-supplier');
    refs = await makeOrder(h, brand);
    agent = (await signedInMember(h, brand, 'agent')).client;
    ops = (await signedInMember(h, brand, 'ops')).client;
  });
  const itemIssue = (over: Record<string, unknown> = {}) => ({
    order: refs.order,
    sku: 'RING-1',
    issue_type: 'broken',
    description: 'Arrived in two pieces',
    proof_album_link: 'https://photos.example.com/a/1',
    ...over,
  });

  it('names each field that does not fit the type', async () => {
    const res = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, {
      fields: {
        order: 'NOPE-1',
        issue_type: 'melted',
        proof_album_link: 'javascript:alert(1)',
        colour: 'red',
      },
    });
    expect(res.status).toBe(400);
    const message: string = res.body.error.message;
    expect(message).toContain(
      'fields.issue_type: must be one of: broken, incorrect, missing, not_as_described, misfit',
    );
    expect(message).toContain('fields.proof_album_link: must be a link');
    expect(message).toContain('fields.colour: is not a field of Item Issue');
    expect(message).toContain('fields.sku: is required');
    const unknownOrder = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, {
      fields: itemIssue({ order: 'NOPE-1' }),
    });
    expect(unknownOrder.status).toBe(400);
    expect(unknownOrder.body.error.message).toContain('fields.order: no order NOPE-1');
  });

  it('logs from a ticket in one step, links ticket and order, and the ticket lists it', async () => {
    const t = { body: { data: await makeTicket(h, brand) } };
    const res = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, {
      ticketId: t.body.data.id,
      fields: itemIssue({ sku: `SOLO-${Date.now()}` }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data.links.map((l: { kind: string }) => l.kind).sort()).toEqual([
      'order',
      'po',
      'ticket',
    ]);
    expect(res.body.data.history[0]).toMatchObject({ kind: 'created' });
    const onTicket = await agent.get(`/api/v1/tickets/${t.body.data.id}/records`);
    expect(onTicket.status).toBe(200);
    expect(onTicket.body.data.map((r: { id: string }) => r.id)).toEqual([res.body.data.id]);
    const events = await h.deps.database.db
      .select()
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, t.body.data.id));
    expect(events.map((e) => e.kind)).toContain('record_logged');
    // The pack posts every item issue to the supplier channel, in the same transaction.
    const posts = await h.deps.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.brandId, brand.id));
    const post = posts.find((p) => p.text.startsWith(`Item issue #${res.body.data.number} `));
    expect(post).toMatchObject({ channel: '#9408 MHJ Support NL-Bowen', template: 'item_issue_logged' });
    expect(post!.text).toContain('(broken, SKU SOLO-');
    const audit = await (await signedInMember(h, brand, 'admin')).client.get(
      `/api/v1/brands/${brand.id}/audit?entityType=tracker_record&entityId=${res.body.data.id}`,
    );
    expect(audit.body.data[0]).toMatchObject({ action: 'create' });
  });

  it('links a record to a ticket, order, PO or record by its number or id, and names what it cannot find', async () => {
    const other = await makeOrder(h, brand);
    const ticket = await makeTicket(h, brand);
    const log = async () =>
      (await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, { fields: itemIssue() }))
        .body.data;
    const record = await log();
    const target = await log();
    const link = (body: Record<string, unknown>) =>
      agent.post(`/api/v1/tracker-records/${record.id}/links`, body);
    expect((await link({ kind: 'order', number: other.order.toLowerCase() })).status).toBe(201);
    expect((await link({ kind: 'po', number: other.po })).status).toBe(201);
    expect((await link({ kind: 'ticket', number: `#${ticket.number}` })).status).toBe(201);
    const linked = await link({ kind: 'record', number: String(target.number) });
    expect(linked.status).toBe(201);
    const labels = linked.body.data.links.map((l: { kind: string; label: string }) => `${l.kind} ${l.label}`);
    expect(labels).toEqual(
      expect.arrayContaining([
        `order ${other.order}`,
        `po ${other.po}`,
        `ticket #${ticket.number} Broken ring`,
        `record Item Issue #${target.number}`,
      ]),
    );
    expect(linked.body.data.links.find((l: { kind: string }) => l.kind === 'record').id).toBe(target.id);
    const missing = await link({ kind: 'order', number: 'NOPE-404' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('number: no order NOPE-404 in this brand');
    const notNumber = await link({ kind: 'ticket', number: 'abc' });
    expect(notNumber.body.error.message).toBe('number: must be a ticket number such as 1042');
    const both = await link({ kind: 'order', number: other.order, id: target.id });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('id: give the id or the number');
    // Another brand's order is not found by its number here.
    const elsewhere = await makeOrder(h, await makeBrand(h, 'store-supplier'));
    expect((await link({ kind: 'order', number: elsewhere.order })).status).toBe(400);
    const history = await agent.get(`/api/v1/tracker-records/${record.id}`);
    expect(history.body.data.history.filter((e: { kind: string }) => e.kind === 'linked')).toHaveLength(4);
  });

  it('refuses a state move the type does not allow, and a stale version', async () => {
    const res = await ops.post(`/api/v1/brands/${brand.id}/trackers/processing_delay/records`, {
      fields: { order: refs.order, risk: 'Supplier backlog' },
    });
    expect(res.status).toBe(201);
    const id = res.body.data.id;
    const bad = await ops.post(`/api/v1/tracker-records/${id}/state`, { state: 'Nowhere' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'state: a Order Processing Delay record in "At risk" may move to',
    );
    const stale = await ops.patch(`/api/v1/tracker-records/${id}`, { fields: { cause: 'x' }, version: 99 });
    expect(stale.status).toBe(409);
    const ok = await ops.patch(`/api/v1/tracker-records/${id}`, {
      fields: { cause: 'Backlog at the workshop' },
      version: 1,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data.fields.cause).toBe('Backlog at the workshop');
    expect(ok.body.data.history.map((e: { kind: string }) => e.kind)).toEqual(['created', 'fields_changed']);
  });

  it('keeps comments and photo evidence in albums, and serves evidence only as a download', async () => {
    const res = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, {
      fields: itemIssue({ sku: `EV-${Date.now()}` }),
    });
    const id = res.body.data.id;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const up = await agent.post(`/api/v1/tracker-records/${id}/evidence`, {
      album: 'Customer photos',
      files: [{ filename: 'ring.png', contentType: 'image/png', contentBase64: png.toString('base64') }],
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.data.evidence[0]).toMatchObject({
      album: 'Customer photos',
      filename: 'ring.png',
      size: png.length,
    });
    const html = await agent.post(`/api/v1/tracker-records/${id}/evidence`, {
      files: [{ filename: 'x.html', contentType: 'text/html', contentBase64: 'PGI+' }],
    });
    expect(html.status).toBe(400);
    const file = await agent.get(`/api/v1/tracker-evidence/${up.body.data.evidence[0].id}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.headers['content-type']).toBe('application/octet-stream');
    const c = await agent.post(`/api/v1/tracker-records/${id}/comments`, {
      body: 'Asked for a second photo',
    });
    expect(c.status).toBe(201);
    expect(c.body.data.comments[0].body).toBe('Asked for a second photo');
    expect(c.body.data.history.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'evidence_added',
      'commented',
    ]);
  });

  it('filters, sorts and saves views of a tracker table', async () => {
    const sku = `FLT-${Date.now()}`;
    for (const issue of ['broken', 'missing', 'incorrect'])
      await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, {
        fields: itemIssue({ sku: `${sku}-${issue}`, issue_type: issue, description: `Case ${issue}` }),
      });
    const base = `/api/v1/brands/${brand.id}/trackers/item_issue/records`;
    const byField = await agent.get(`${base}?field=issue_type:missing&q=${sku}`);
    expect(byField.body.data.map((r: { fields: { sku: string } }) => r.fields.sku)).toEqual([
      `${sku}-missing`,
    ]);
    const sorted = await agent.get(`${base}?q=${sku}&sort=field.sku`);
    expect(sorted.body.data.map((r: { fields: { issue_type: string } }) => r.fields.issue_type)).toEqual([
      'broken',
      'incorrect',
      'missing',
    ]);
    // Text searches values, not field names.
    const byName = await agent.get(`${base}?q=issue_type`);
    expect(byName.body.data).toEqual([]);
    const future = await agent.get(`${base}?q=${sku}&from=2999-01-01`);
    expect(future.body.data).toEqual([]);
    const badField = await agent.get(`${base}?field=colour:red`);
    expect(badField.status).toBe(400);
    expect(badField.body.error.message).toContain('"colour" is not a field of Item Issue');
    const saved = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/views`, {
      name: 'Missing',
      filters: { field: ['issue_type:missing'] },
      sort: 'field.sku',
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const views = await agent.get(`/api/v1/brands/${brand.id}/trackers/item_issue/views`);
    expect(views.body.data.map((v: { name: string }) => v.name)).toContain('Missing');
    const other = (await signedInMember(h, brand, 'agent')).client;
    const theirs = await other.get(`/api/v1/brands/${brand.id}/trackers/item_issue/views`);
    expect(theirs.body.data.map((v: { id: string }) => v.id)).not.toContain(saved.body.data.id);
    expect((await other.delete(`/api/v1/tracker-views/${saved.body.data.id}`)).status).toBe(404);
    expect((await agent.delete(`/api/v1/tracker-views/${saved.body.data.id}`)).status).toBe(204);
  });

  it('exports CSV with formula cells neutralised', async () => {
    const sku = `CSV-${Date.now()}`;
    const payloads = [
      '=HYPERLINK("http://evil")',
      '+1+2',
      '-2+3',
      '@SUM(A1)',
      '\tTabbed',
      '\rReturn',
      'Plain, "quoted"',
    ];
    for (const p of payloads)
      await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, {
        fields: itemIssue({ sku, description: p }),
      });
    const res = await agent.get(
      `/api/v1/brands/${brand.id}/trackers/item_issue/export.csv?field=sku:${sku}&sort=number`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows: string[][] = parse(res.body as unknown as string, { relax_column_count: true });
    const col = rows[0]!.indexOf('description');
    expect(col).toBeGreaterThan(0);
    const cells = rows.slice(1).map((r) => r[col]);
    expect(cells).toEqual([
      `'=HYPERLINK("http://evil")`,
      "'+1+2",
      "'-2+3",
      "'@SUM(A1)",
      // The text is trimmed when stored, so tab and CR only lead when inside the value.
      'Tabbed',
      'Return',
      'Plain, "quoted"',
    ]);
  });
});

describe('trend detection', () => {
  it('raises one incident when the same issue type hits the same SKU three times within seven days', async () => {
    const h = await testApp();
    const brand = await makeBrand(h, 'store-supplier');
    const refs = await makeOrder(h, brand);
    const agent = (await signedInMember(h, brand, 'agent')).client;
    const sku = `TREND-${Date.now()}`;
    const day = 86_400_000;
    const start = h.clock.now().getTime();
    const log = async (atDay: number, issue = 'broken') => {
      h.clock.advance(start + atDay * day - h.clock.now().getTime());
      const res = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, {
        fields: {
          order: refs.order,
          sku,
          issue_type: issue,
          description: `Day ${atDay}`,
          proof_album_link: 'https://photos.example.com/a',
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const incidents = async () =>
      (await agent.get(`/api/v1/brands/${brand.id}/trackers/incident/records?field=sku:${sku}`)).body.data;

    await log(0);
    await log(1);
    await log(3, 'missing'); // another issue type on the same SKU does not count
    expect((await log(8)).raised).toBeNull(); // day 0 and 1 are more than seven days before
    expect((await log(9)).raised).toBeNull();
    const third = await log(10);
    expect(third.raised).toMatchObject({ type: 'incident', raisedByTrend: true, state: 'Reported' });
    expect(third.raised.fields).toMatchObject({ sku, severity: 'recurring' });
    expect(third.raised.fields.issue).toContain('broken');

    const incident = (await agent.get(`/api/v1/tracker-records/${third.raised.id}`)).body.data;
    const linked = incident.links.filter((l: { kind: string }) => l.kind === 'record');
    expect(linked).toHaveLength(3);
    expect(incident.history[0]).toMatchObject({ kind: 'created', by: 'system:trend-detection' });

    // A fourth while the incident is open joins it instead of raising another.
    expect((await log(11)).raised).toBeNull();
    expect(await incidents()).toHaveLength(1);
    const after = (await agent.get(`/api/v1/tracker-records/${third.raised.id}`)).body.data;
    expect(after.links.filter((l: { kind: string }) => l.kind === 'record')).toHaveLength(4);
  });
});

describe('tracker authorization beyond the pack lists', () => {
  let h: Harness;
  let brand: BrandRow;
  let refs: { order: string; po: string };
  let agent: TestClient;
  let record: { id: string; evidence: { id: string }[] };
  let ticketId: string;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'store-supplier');
    refs = await makeOrder(h, brand);
    agent = (await signedInMember(h, brand, 'agent')).client;
    ticketId = (await makeTicket(h, brand)).id;
    const res = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, {
      ticketId,
      fields: {
        order: refs.order,
        sku: 'RING-1',
        issue_type: 'missing',
        description: 'Empty box',
        proof_album_link: 'https://photos.example.com/b',
      },
    });
    const up = await agent.post(`/api/v1/tracker-records/${res.body.data.id}/evidence`, {
      files: [
        {
          filename: 'box.jpg',
          contentType: 'image/jpeg',
          contentBase64: Buffer.from('jpeg').toString('base64'),
        },
      ],
    });
    record = up.body.data;
  });

  it('lets a role the brand made log a type through its tracker.<type>.log capability, and nothing else', async () => {
    const { client } = await signedInMember(h, brand, { capabilities: ['tracker.out_of_stock.log'] });
    const res = await client.post(`/api/v1/brands/${brand.id}/trackers/out_of_stock/records`, {
      fields: { order: refs.order, sku: 'RING-1', product: 'Ring' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const types = (await client.get(`/api/v1/brands/${brand.id}/trackers`)).body.data.map(
      (t: { type: string }) => t.type,
    );
    expect(types).toEqual(['out_of_stock']);
    expect((await client.get(`/api/v1/tracker-records/${record.id}`)).status).toBe(404);
    const moved = await client.post(`/api/v1/tracker-records/${res.body.data.id}/state`, {
      state: 'Sourced',
    });
    expect(moved.status).toBe(403);
  });

  it('shows a ticket’s records only to tickets.work, and shares views only for roles that resolve', async () => {
    const { client } = await signedInMember(h, brand, { capabilities: ['tracker.out_of_stock.log'] });
    const res = await client.get(`/api/v1/tickets/${ticketId}/records`);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('"tickets.work"');
    const ops = (await signedInMember(h, brand, 'ops')).client;
    const shared = await ops.post(`/api/v1/brands/${brand.id}/trackers/item_issue/views`, {
      name: 'All',
      shared: true,
    });
    expect(shared.status).toBe(403);
    const mine = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/views`, {
      name: 'All',
      shared: true,
    });
    expect(mine.status).toBe(201);
    expect((await ops.delete(`/api/v1/tracker-views/${mine.body.data.id}`)).status).toBe(403);
  });

  it('lets the person who shared a view, or helpdesk.manage, delete it, and nobody else', async () => {
    const share = async (name: string) => {
      const res = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/views`, {
        name,
        shared: true,
      });
      expect(res.status).toBe(201);
      expect(res.body.data.allowed).toEqual(['delete']);
      return res.body.data.id as string;
    };
    const first = await share(`Shared ${Date.now()}`);
    const second = await share(`Shared again ${Date.now()}`);
    // Another agent (a role that resolves the type) sees it but may not delete it.
    const colleague = (await signedInMember(h, brand, 'agent')).client;
    const listed = await colleague.get(`/api/v1/brands/${brand.id}/trackers/item_issue/views`);
    expect(listed.body.data.find((v: { id: string }) => v.id === first).allowed).toEqual([]);
    const refused = await colleague.delete(`/api/v1/tracker-views/${first}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'Only the person who shared this view, or a role with helpdesk.manage, may delete it.',
    );
    const mine = await agent.get(`/api/v1/brands/${brand.id}/trackers/item_issue/views`);
    expect(mine.body.data.find((v: { id: string }) => v.id === first).allowed).toEqual(['delete']);
    expect((await agent.delete(`/api/v1/tracker-views/${first}`)).status).toBe(204);
    // The pack's admin holds helpdesk.manage and reads the type without resolving it.
    const manager = (await signedInMember(h, brand, 'admin')).client;
    const seen = await manager.get(`/api/v1/brands/${brand.id}/trackers/item_issue/views`);
    expect(seen.body.data.map((v: { id: string }) => v.id)).not.toContain(first);
    expect(seen.body.data.find((v: { id: string }) => v.id === second).allowed).toEqual(['delete']);
    expect((await manager.delete(`/api/v1/tracker-views/${second}`)).status).toBe(204);
    const audit = await (await signedInMember(h, brand, 'admin')).client.get(
      `/api/v1/brands/${brand.id}/audit?entityType=tracker_view&entityId=${second}`,
    );
    expect(audit.body.data.map((a: { action: string }) => a.action).sort()).toEqual(['create', 'delete']);
  });

  it('hides records, evidence, views and ticket records from another brand', async () => {
    const other = await makeBrand(h, 'store-supplier');
    const { client } = await signedInMember(h, other, 'admin');
    const view = await agent.post(`/api/v1/brands/${brand.id}/trackers/item_issue/views`, { name: 'Mine' });
    for (const [method, path, body] of [
      ['GET', `/api/v1/tracker-records/${record.id}`],
      ['PATCH', `/api/v1/tracker-records/${record.id}`, { fields: { description: 'x' } }],
      ['POST', `/api/v1/tracker-records/${record.id}/state`, { state: 'Done' }],
      ['POST', `/api/v1/tracker-records/${record.id}/comments`, { body: 'x' }],
      ['POST', `/api/v1/tracker-records/${record.id}/links`, { kind: 'ticket', id: ticketId }],
      ['GET', `/api/v1/tracker-evidence/${record.evidence[0]!.id}`],
      ['GET', `/api/v1/tickets/${ticketId}/records`],
      ['GET', `/api/v1/brands/${brand.id}/trackers/item_issue/views`],
      ['DELETE', `/api/v1/tracker-views/${view.body.data.id}`],
      ['GET', `/api/v1/brands/${brand.id}/trackers/item_issue/export.csv`],
      ['PUT', `/api/v1/brands/${brand.id}/supplier-accounts/${record.id}`, { vendor: 'Bowen' }],
    ] as const) {
      const res = await client.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });
});
