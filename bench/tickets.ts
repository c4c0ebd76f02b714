/**
 * Helpdesk throughput and latency over real HTTP (the app listening on a loopback port, clients
 * with keep-alive connections and a brand API token), on a brand filled by bench/helpdeskData.ts.
 * For creation the clients run on a thread of their own, so the server's thread only serves:
 *
 *  1. tickets created per second through POST /api/v1/tickets (Idempotency-Key, a known or new
 *     customer, half of them into a queue) with 1 and with 8 concurrent clients, and with 8
 *     clients naming no queue; p50/p95 latency and the CPU each request costs in Node and in
 *     PostgreSQL. Each ticket is complete (message, audit entry, SLA timer job, search vector),
 *     which is checked afterwards.
 *  2. the SLA-sorted ticket list of a queue (pages 1, 2 and 20 by cursor): p50/p95, and the plan
 *     of its query (EXPLAIN ANALYZE, BUFFERS).
 *  3. full-text search (common, uncommon and rare words, products, order and tracking numbers,
 *     phrases, exclusions, or): p50/p95 per kind, and the plan of a common-word query.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/casebook_bench_1m npx tsx bench/tickets.ts [tickets] [requests]
 *   npx tsx bench/tickets.ts 100000          # embedded database in $BENCH_DATA_DIR (default: /tmp)
 *
 * tickets: how many tickets the brand holds before the run (default 1,000,000; generated once,
 * reused afterwards); requests: POSTs per configuration (default 2,000). For the "1,000 stored"
 * baseline, run with 1000 against a database of its own. Environment: BENCH_ONLY=create,list,search
 * runs a subset; BENCH_QUEUE_SHARE (default 0.5) is the share of POSTs that name a queue;
 * BENCH_WARMUP, BENCH_LIST_REQUESTS, BENCH_SEARCH_REQUESTS set the other counts; BENCH_QUIET_WAIT
 * (default 120 s) is how long to wait for other processes to leave the machine idle before each
 * measurement; BENCH_KEEP=1 keeps the tickets the run created (they are deleted by default so the
 * brand keeps its size; their audit entries stay, the audit log is append-only).
 *
 * Targets (PostgreSQL, 2 cores): ≥ 600 tickets/s with 8 clients and no slower at 1M stored than at
 * 1k; list p95 < 50 ms and search p95 < 150 ms at 1M tickets.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { and, asc, eq, gt, isNull, or, type SQL, sql } from 'drizzle-orm';
import { buildApp } from '../packages/server/src/app';
import { createApiToken } from '../packages/server/src/commands/apiTokens';
import { loadConfig } from '../packages/server/src/config';
import type { Deps, RequestContext } from '../packages/server/src/context';
import { brands, customers, queues, tickets, users } from '../packages/server/src/db/schema';
import { loadPacks } from '../packages/server/src/packs';
import type { BrandAccess } from '../packages/server/src/policies';
import { TEST_SECRET } from '../packages/server/src/test/harness';
import { rowsOf } from '../packages/server/src/tickets/commands';
import {
  BENCH_PACK,
  customerEmail,
  customerName,
  defaultCustomers,
  ensureHelpdeskData,
  fragments,
  openBenchDatabase,
  orderNumber,
  vocabulary,
} from './helpdeskData';
import { machineCpu, postgresCpu as postgresCpuOf, quietMachine } from './machine';

const TICKETS = Number(process.argv[2] ?? 1_000_000);
const REQUESTS = Number(process.argv[3] ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const LIST_REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 200);
const SEARCH_REQUESTS = Number(process.env.BENCH_SEARCH_REQUESTS ?? 200);
/** The share of created tickets that name a queue (round-robin assignment takes the queue's row lock). */
const QUEUE_SHARE = Number(process.env.BENCH_QUEUE_SHARE ?? 0.5);
const only = new Set((process.env.BENCH_ONLY ?? 'create,list,search').split(','));

const config = loadConfig({
  NODE_ENV: 'test',
  CASEBOOK_SECRET: TEST_SECRET,
  CASEBOOK_DEMO: '0',
  CASEBOOK_WEB_DIR: '/nonexistent',
});
const packs = loadPacks(config.packsDir);
const pack = packs.get(BENCH_PACK)!;
const database = await openBenchDatabase(TICKETS);
const { db } = database;
const data = await ensureHelpdeskData(database, pack, { tickets: TICKETS });
const kind = database.kind === 'postgres' ? 'PostgreSQL' : 'embedded (PGlite)';
console.log(
  `database: ${kind} (${database.location}); brand ${data.slug}: ${data.tickets.toLocaleString('en')} tickets, ${data.messages.toLocaleString('en')} messages, ${data.customers.toLocaleString('en')} customers, queues: ${data.queues.join(', ')}`,
);
if (database.kind === 'postgres') {
  const [settings] = rowsOf<Record<string, string>>(
    await db.execute(sql`select current_setting('server_version') as version, current_setting('shared_buffers') as shared_buffers,
      current_setting('work_mem') as work_mem, current_setting('synchronous_commit') as synchronous_commit,
      pg_size_pretty(pg_database_size(current_database())) as size`),
  );
  console.log(
    `server: PostgreSQL ${settings!.version}, shared_buffers ${settings!.shared_buffers}, work_mem ${settings!.work_mem}, synchronous_commit ${settings!.synchronous_commit}, database size ${settings!.size}`,
  );
}

// A brand API token with the agent role, for the HTTP clients.
const ctx: RequestContext = { actor: { kind: 'system', name: 'bench' }, now: new Date() };
const [brand] = await db.select().from(brands).where(eq(brands.id, data.brandId));
const stamp = Date.now().toString(36);
const { token } = await db.transaction((tx) =>
  createApiToken(tx, ctx, { brand } as BrandAccess, config.secret, { name: `bench ${stamp}`, role: 'agent' }),
);

const deps: Deps = { database, config, clock: () => new Date(), packs };
const app = await buildApp(deps);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1`;

type Reply = { status: number; ms: number; body: unknown };
async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const t = performance.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - t, body: text ? JSON.parse(text) : null };
}

/**
 * The HTTP clients of the throughput runs, on a thread of their own (keep-alive connections,
 * node:http), so the server's thread does nothing but serve, as it would in production. Both
 * threads are in this process: its CPU figures count the clients too.
 */
const CLIENT_THREAD = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
parentPort.on('message', async ({ base, token, requests, clients }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const url = new URL(base);
  const results = new Array(requests.length);
  let next = 0;
  const started = performance.now();
  const one = (r) => new Promise((resolve, reject) => {
    const t = performance.now();
    const body = JSON.stringify(r.body);
    const req = http.request({ agent, host: url.hostname, port: url.port, method: r.method, path: url.pathname + r.path,
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...r.headers } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
    req.on('error', reject);
    req.end(body);
  });
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < requests.length) {
      const i = next++;
      const reply = await one(requests[i]);
      let id = null;
      let body = null;
      try { const parsed = JSON.parse(reply.text); id = parsed?.data?.id ?? null; if (reply.status >= 300) body = parsed; } catch {}
      results[i] = { status: reply.status, ms: reply.ms, id, body };
    }
  }));
  agent.destroy();
  parentPort.postMessage({ results, seconds: (performance.now() - started) / 1000 });
});`;
const clientThread = new Worker(CLIENT_THREAD, { eval: true });
clientThread.unref();

type ThreadRequest = { method: string; path: string; body: unknown; headers: Record<string, string> };
/** Sends requests from the client thread with `clients` concurrent connections. */
function runOnClientThread(
  requests: ThreadRequest[],
  clients: number,
  expect: number,
): Promise<{ seconds: number; latencies: number[]; failures: Reply[]; ids: string[] }> {
  return new Promise((resolve) => {
    clientThread.once(
      'message',
      ({
        results,
        seconds,
      }: {
        results: { status: number; ms: number; id: string | null; body: unknown }[];
        seconds: number;
      }) => {
        resolve({
          seconds,
          latencies: results.map((r) => r.ms),
          failures: results
            .filter((r) => r.status !== expect)
            .map((r) => ({ status: r.status, ms: r.ms, body: r.body })),
          ids: results.filter((r) => r.status === expect && r.id).map((r) => r.id!),
        });
      },
    );
    clientThread.postMessage({ base, token, requests, clients });
  });
}

/** Runs `count` jobs on `clients` concurrent workers; returns each job's latency and the wall time. */
async function run(count: number, clients: number, job: (n: number) => Promise<Reply>, expect: number) {
  const latencies: number[] = [];
  const failures: Reply[] = [];
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const reply = await job(next++);
        latencies.push(reply.ms);
        if (reply.status !== expect) failures.push(reply);
      }
    }),
  );
  return { seconds: (performance.now() - t) / 1000, latencies, failures };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const ms = (v: number) => `${v.toFixed(1)} ms`;
const spread = (values: number[]) =>
  `p50 ${ms(percentile(values, 0.5))}, p95 ${ms(percentile(values, 0.95))}, p99 ${ms(percentile(values, 0.99))}, max ${ms(Math.max(...values))}`;
function failuresLine(failures: Reply[]): string {
  if (failures.length === 0) return 'errors 0';
  return `errors ${failures.length} (first: ${failures[0]!.status} ${JSON.stringify(failures[0]!.body).slice(0, 300)})`;
}

const postgresCpu = () => postgresCpuOf(database);
const QUIET_WAIT = Number(process.env.BENCH_QUIET_WAIT ?? 120);

type Plan = { lines: string[]; executionMs: number | null };
/** EXPLAIN (ANALYZE, BUFFERS) of a query, on the driver's own client. */
async function explain(query: { sql: string; params: unknown[] }): Promise<Plan> {
  const client = (
    db as unknown as { $client: { query(text: string, params: unknown[]): Promise<{ rows: object[] }> } }
  ).$client;
  const result = await client.query(`explain (analyze, buffers) ${query.sql}`, query.params);
  const lines = result.rows.map((row) => String(Object.values(row)[0]));
  const time = lines.map((l) => /Execution Time: ([\d.]+) ms/.exec(l)).find(Boolean);
  return { lines, executionMs: time ? Number(time[1]) : null };
}
const printPlan = (title: string, plan: Plan) => {
  console.log(`  ${title}:`);
  for (const line of plan.lines) console.log(`    ${line}`);
};

const summary: string[] = [];

// ---------------------------------------------------------------------------------------------
// 1. Tickets created per second
// ---------------------------------------------------------------------------------------------

const created: string[] = [];
if (only.has('create')) {
  const frags = fragments(500, 7);
  const random = (n: number) => Math.floor(Math.random() * n);
  let queueShare = QUEUE_SHARE;
  const newTicket = (n: number) => {
    const known = Math.random() < 0.7;
    const k = 1 + random(defaultCustomers(TICKETS));
    const { first, last } = customerName(k);
    const product = vocabulary.products[random(vocabulary.products.length)]!;
    const order = orderNumber(1 + random(TICKETS));
    return {
      subject: `${product}: ${frags[random(frags.length)]!.slice(0, 60)}`,
      body: [
        'Hi,',
        frags[random(frags.length)],
        `My order ${order} with the ${product}`,
        frags[random(frags.length)],
        `It was shipped with ${vocabulary.carriers[random(vocabulary.carriers.length)]}.`,
        frags[random(frags.length)],
        `Thanks, ${first}`,
      ].join(' '),
      customer: known
        ? { email: customerEmail(k), name: `${first} ${last}` }
        : { email: `new-${stamp}-${n}@example.net`, name: `New Customer ${n}` },
      ...(Math.random() < queueShare ? { queue: data.queues[random(data.queues.length)] } : {}),
      ...(Math.random() < 0.2 ? { priority: 'high', tags: ['bench'] } : {}),
    };
  };
  let sequence = 0;
  const posts = (count: number): ThreadRequest[] =>
    Array.from({ length: count }, () => {
      const n = sequence++;
      return {
        method: 'POST',
        path: '/tickets',
        body: newTicket(n),
        headers: { 'idempotency-key': `bench-${stamp}-${n}` },
      };
    });
  const post = async (count: number, clients: number) => {
    const result = await runOnClientThread(posts(count), clients, 201);
    created.push(...result.ids);
    return result;
  };
  console.log(
    `\n1. POST /api/v1/tickets (${REQUESTS} per configuration after ${WARMUP} warm-up requests; clients on their own thread)`,
  );
  await post(WARMUP, 8);
  const configurations = [
    { clients: 1, queueShare: QUEUE_SHARE, label: '1 client ' },
    { clients: 8, queueShare: QUEUE_SHARE, label: '8 clients' },
    // The same without naming a queue: no round-robin lock on the queue row (see the report).
    { clients: 8, queueShare: 0, label: '8 clients, no queue named' },
  ];
  for (const configuration of configurations) {
    queueShare = configuration.queueShare;
    const load = await quietMachine(QUIET_WAIT);
    const cpu = process.cpuUsage();
    const machine = machineCpu();
    const pg = postgresCpu();
    const result = await post(REQUESTS, configuration.clients);
    const used = process.cpuUsage(cpu);
    const nodeSeconds = (used.user + used.system) / 1e6;
    const pgSeconds = pg === null ? null : postgresCpu()! - pg;
    const busy = machineCpu();
    const machineBusy = machine && busy ? (busy.busy - machine.busy) / (busy.total - machine.total) : null;
    const ok = result.latencies.length - result.failures.length;
    const perTicket = (seconds: number) => `${((seconds * 1000) / REQUESTS).toFixed(1)} ms`;
    const line = `create, ${configuration.label}: ${Math.round(ok / result.seconds)} tickets/s (${ok} of ${REQUESTS} in ${result.seconds.toFixed(2)} s); latency ${spread(result.latencies)}; ${failuresLine(result.failures)}`;
    console.log(`  ${line}`);
    console.log(
      `    CPU: this Node process (server and clients) ${Math.round((100 * nodeSeconds) / result.seconds)}% of one core, ${perTicket(nodeSeconds)} per request` +
        (pgSeconds === null
          ? ''
          : `; PostgreSQL processes ${Math.round((100 * pgSeconds) / result.seconds)}% of one core, ${perTicket(pgSeconds)} per request`) +
        (machineBusy === null
          ? ''
          : `; whole machine ${Math.round(machineBusy * 100)}% busy (${os.cpus().length} cores)`) +
        `; ${configuration.queueShare * 100}% of requests name a queue; ${load}`,
    );
    summary.push(`${line}${configuration.clients === 8 ? ' (target ≥ 600/s on PostgreSQL)' : ''}`);
  }
  // Every created ticket is complete: message, audit entry, pending SLA job, search vector.
  const [check] = rowsOf<Record<string, number>>(
    await db.execute(sql`
      select count(*)::int as tickets,
        count(*) filter (where exists (select 1 from messages m where m.ticket_id = t.id and m.search <> ''::tsvector))::int as searchable,
        count(*) filter (where exists (select 1 from audit_log a where a.entity_type = 'ticket' and a.entity_id = t.id::text and a.action = 'create'))::int as audited,
        count(*) filter (where exists (select 1 from jobs j where j.unique_key = 'sla:' || t.id and j.state = 'pending'))::int as timers,
        count(*) filter (where t.sla_due_at is not null)::int as sla_due
      from tickets t where t.id = any(${sql.param(created)}::uuid[])`),
  );
  console.log(
    `  check: ${check!.tickets} tickets created; with a searchable message ${check!.searchable}, audit entry ${check!.audited}, SLA due time ${check!.sla_due}, pending SLA job ${check!.timers}`,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Queue list sorted by SLA
// ---------------------------------------------------------------------------------------------

/** The list route's query (routes/tickets.ts), for EXPLAIN. */
async function listQuery(queueName: string, cursor: { d: string | null; id: string } | null) {
  const [queue] = await db
    .select({ id: queues.id })
    .from(queues)
    .where(and(eq(queues.brandId, data.brandId), eq(queues.name, queueName)));
  // The same conditions, in the same form, as listFilter and the sla branch of the route.
  const where: SQL[] = [
    eq(tickets.brandId, data.brandId),
    eq(tickets.active, true),
    eq(tickets.queueId, queue!.id),
  ];
  if (cursor?.d) {
    const d = new Date(cursor.d);
    where.push(
      or(
        gt(tickets.slaDueAt, d),
        and(eq(tickets.slaDueAt, d), gt(tickets.id, cursor.id)),
        isNull(tickets.slaDueAt),
      )!,
    );
  }
  return db
    .select({
      ticket: tickets,
      customerName: customers.name,
      customerEmail: customers.email,
      queue: queues.name,
      assignee: users.name,
    })
    .from(tickets)
    .leftJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(queues, eq(queues.id, tickets.queueId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .where(and(...where))
    .orderBy(sql`${tickets.slaDueAt} asc nulls last`, asc(tickets.id))
    .limit(51)
    .toSQL();
}

if (only.has('list')) {
  console.log(
    `\n2. GET /api/v1/brands/:id/tickets?queue=…&sort=sla&limit=50 (${LIST_REQUESTS} requests each of pages 1, 2 and 20, queues in turn, 1 client)`,
  );
  const path = (queue: string, cursor?: string) =>
    `/brands/${data.brandId}/tickets?queue=${encodeURIComponent(queue)}&sort=sla&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const cursors = new Map<string, string>();
  for (const queue of data.queues) {
    const reply = await call('GET', path(queue));
    const body = reply.body as { data: unknown[]; nextCursor: string | null };
    if (reply.status !== 200) throw new Error(`list ${queue}: ${reply.status} ${JSON.stringify(reply.body)}`);
    if (body.nextCursor) cursors.set(queue, body.nextCursor);
  }
  const counts = rowsOf<{ name: string; n: number }>(
    await db.execute(sql`select q.name, count(*)::int as n from tickets t join queues q on q.id = t.queue_id
      where t.brand_id = ${data.brandId} and t.active group by q.name order by n desc`),
  );
  console.log(
    `  active tickets per queue: ${counts.map((c) => `${c.name} ${c.n.toLocaleString('en')}`).join(', ')}`,
  );
  // Cursors of page 20 (past the first 950 tickets of each queue), for a deeper page.
  const deep = new Map<string, string>();
  for (const [queue, start] of cursors) {
    let cursor: string | null = start;
    for (let page = 2; page < 20 && cursor; page++) {
      cursor = ((await call('GET', path(queue, cursor))).body as { nextCursor: string | null }).nextCursor;
    }
    if (cursor) deep.set(queue, cursor);
  }
  const pages: [string, (n: number) => Promise<Reply>][] = [
    ['page 1', (n) => call('GET', path(data.queues[n % data.queues.length]!))],
    [
      'page 2',
      (n) => {
        const queue = [...cursors.keys()][n % cursors.size]!;
        return call('GET', path(queue, cursors.get(queue)));
      },
    ],
  ];
  if (deep.size) {
    pages.push([
      'page 20',
      (n) => {
        const queue = [...deep.keys()][n % deep.size]!;
        return call('GET', path(queue, deep.get(queue)));
      },
    ]);
  } else {
    console.log('  (no queue has 20 pages of active tickets: page 20 is not measured)');
  }
  for (const [name, job] of pages) {
    console.log(`  (${await quietMachine(QUIET_WAIT)})`);
    const result = await run(LIST_REQUESTS, 1, job, 200);
    const line = `list ${name}: ${spread(result.latencies)}; ${failuresLine(result.failures)}`;
    console.log(`  ${line}`);
    summary.push(`${line} (target p95 < 50 ms)`);
  }
  const busiest = counts[0]?.name ?? data.queues[0]!;
  const first = await explain(await listQuery(busiest, null));
  printPlan(`EXPLAIN (ANALYZE, BUFFERS), page 1 of "${busiest}"`, first);
  const cursor = cursors.get(busiest);
  if (cursor) {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as {
      d: string | null;
      id: string;
    };
    const second = await explain(await listQuery(busiest, decoded));
    printPlan(`EXPLAIN (ANALYZE, BUFFERS), page 2 of "${busiest}"`, second);
    const deepCursor = deep.get(busiest);
    const twentieth = deepCursor
      ? await explain(await listQuery(busiest, JSON.parse(Buffer.from(deepCursor, 'base64url').toString())))
      : null;
    const removed = twentieth?.lines.map((l) => /Rows Removed by Filter: (\d+)/.exec(l)?.[1]).find(Boolean);
    summary.push(
      `list query execution (server side): page 1 ${first.executionMs} ms, page 2 ${second.executionMs} ms` +
        (twentieth
          ? `, page 20 ${twentieth.executionMs} ms (rows the cursor filter read and dropped: ${removed ?? 0})`
          : ''),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Full-text search
// ---------------------------------------------------------------------------------------------

/** The search route's query (routes/search.ts) with no filters but the brand, for EXPLAIN. */
const searchSql = (q: string) => ({
  sql: `select h.ticket_id, h.message_id, t.number, t.subject, t.status, h.kind, h.created_at,
      ts_headline('english', replace(coalesce(h.message_subject, '') || ' ' || left(h.body_text, 20000), '<', '< '),
        websearch_to_tsquery('english', $1),
        'StartSel=<<, StopSel=>>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') as snippet
    from (
      select m.id as message_id, m.ticket_id, m.kind, m.created_at, m.body_text, m.subject as message_subject
      from messages m
      where m.search @@ websearch_to_tsquery('english', $1) and m.brand_id = $2
      order by m.created_at desc
      limit 100
    ) h join tickets t on t.id = h.ticket_id
    order by h.created_at desc`,
  params: [q, data.brandId],
});

if (only.has('search')) {
  const [tracking] = rowsOf<{ t: string }>(
    await db.execute(sql`select substring(body_text from 'tracking number is ([0-9A-F]{18})') as t from messages
      where brand_id = ${data.brandId} and direction = 'out' limit 1`),
  );
  const words = vocabulary.words;
  const queries: [string, string][] = [
    ['common word', 'refund'],
    ['common word', 'tracking'],
    ['common word', 'damaged'],
    ['common words', 'package delivery'],
    ['common words', 'refund cancel'],
    ['medium word', 'dyson'],
    ['medium word', 'mattress'],
    ['product', 'KitchenAid stand mixer'],
    ['product', 'Samsung Galaxy Buds'],
    ['uncommon word', words.at(-1)!],
    ['uncommon word', words.at(-4)!],
    ['uncommon words', `${words.at(-2)!} ${words.at(-7)!}`],
    ['rare word', vocabulary.towns[3]!],
    ['rare word', vocabulary.towns[40]!],
    ['order number', orderNumber(Math.ceil(TICKETS / 3))],
    ['order number', orderNumber(Math.ceil((TICKETS * 3) / 4))],
    ['tracking number', tracking?.t ?? 'ABCDEF0123456789AB'],
    ['phrase', '"tracking number"'],
    ['phrase', '"arrived damaged"'],
    ['phrase', '"return label"'],
    ['exclusion', 'refund -cancel'],
    ['or', 'fedex or dhl'],
  ];
  console.log(
    `\n3. GET /api/v1/brands/:id/search?q=… (${SEARCH_REQUESTS} requests over ${queries.length} queries)`,
  );
  const byKind = new Map<string, number[]>();
  const hits = new Map<string, number>();
  console.log(`  (${await quietMachine(QUIET_WAIT)})`);
  const result = await run(
    SEARCH_REQUESTS,
    1,
    async (n) => {
      const [kind, q] = queries[n % queries.length]!;
      const reply = await call('GET', `/brands/${data.brandId}/search?q=${encodeURIComponent(q)}&limit=25`);
      byKind.set(kind, [...(byKind.get(kind) ?? []), reply.ms]);
      hits.set(q, (reply.body as { data?: unknown[] }).data?.length ?? -1);
      return reply;
    },
    200,
  );
  for (const [kind, latencies] of byKind) {
    const qs = queries.filter(([k]) => k === kind).map(([, q]) => `${q} (${hits.get(q)} tickets)`);
    console.log(`  ${kind.padEnd(15)} ${spread(latencies)} — ${qs.join('; ')}`);
  }
  const line = `search, all queries: ${spread(result.latencies)}; ${failuresLine(result.failures)}`;
  console.log(`  ${line}`);
  summary.push(`${line} (target p95 < 150 ms)`);
  for (const [kind, latencies] of byKind)
    summary.push(`  search ${kind}: p95 ${ms(percentile(latencies, 0.95))}`);
  const [common] = queries[0]!.slice(1);
  const plan = await explain(searchSql(common!));
  printPlan(`EXPLAIN (ANALYZE, BUFFERS), search "${common}" (common word)`, plan);
  const executions: string[] = [];
  for (const kind of ['uncommon word', 'rare word', 'order number', 'phrase']) {
    const q = queries.find(([k]) => k === kind)![1];
    executions.push(`"${q}" ${(await explain(searchSql(q))).executionMs} ms`);
  }
  summary.push(
    `search query execution (server side): "${common}" ${plan.executionMs} ms, ${executions.join(', ')}`,
  );
}

// ---------------------------------------------------------------------------------------------

console.log(`\nsummary (${kind}, ${data.tickets.toLocaleString('en')} tickets stored before the run):`);
for (const line of summary) console.log(`  ${line}`);

await app.close();
if (created.length && process.env.BENCH_KEEP !== '1') {
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`delete from jobs where unique_key = any(array(select 'sla:' || id from unnest(${sql.param(created)}::uuid[]) id))`,
    );
    await tx.execute(sql`delete from tickets where id = any(${sql.param(created)}::uuid[])`);
    await tx.execute(
      sql`delete from customers where brand_id = ${data.brandId} and email like ${`new-${stamp}-%`}`,
    );
  });
}
await database.close();
