/**
 * Helpdesk benchmark data: fills one brand with N tickets (default 1,000,000), their messages
 * (one each, some with two or three), customers (N / 5, each with a customer_emails row), spread
 * over six queues and the pack's statuses, created over the last two years. Set-based SQL
 * (`insert … select … from generate_series`) in chunks, one transaction per chunk, so it works the
 * same on the embedded database and on a PostgreSQL server.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/casebook_bench npx tsx bench/helpdeskData.ts [tickets]
 *   npx tsx bench/helpdeskData.ts 100000     # embedded, in $BENCH_DATA_DIR (default: a folder in /tmp)
 *
 * The brand's slug names its size (`bench-1m`, `bench-100k`, …): a finished brand is reused, a
 * brand whose generation was interrupted (its name still ends in "(generating)") is resumed at the
 * first missing chunk. Message text is support vocabulary: a few hundred words drawn from a
 * Zipf-like distribution, plus order numbers and tracking numbers (unique terms), towns (rare),
 * product names (medium) and carriers (common), so search sees common and rare terms.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Pack, ticketWorkflow } from '@casebook/core';
import { eq, sql } from 'drizzle-orm';
import { hashPassword } from '../packages/server/src/auth/passwords';
import { createBrand } from '../packages/server/src/commands/createBrand';
import { createUser } from '../packages/server/src/commands/createUser';
import { grantMembership, roleByName } from '../packages/server/src/commands/members';
import type { RequestContext } from '../packages/server/src/context';
import { type Database, openDatabase } from '../packages/server/src/db/client';
import { runMigrations } from '../packages/server/src/db/migrate';
import { brands, queues, slaPolicies } from '../packages/server/src/db/schema';
import { rowsOf } from '../packages/server/src/tickets/commands';

export const BENCH_PACK = 'marketplace-dropship';
/** Queues the brand gets on top of the pack's own (two in marketplace-dropship): six in all. */
export const EXTRA_QUEUES = ['General', 'Shipping', 'Returns', 'Billing'];
const AGENTS = 10;
const GENERATING = ' (generating)';

export type HelpdeskDataOptions = {
  tickets: number;
  /** Customers to spread the tickets over (default tickets / 5, at least 10). */
  customers?: number;
  /** Tickets per transaction (default 100,000). */
  chunk?: number;
  log?: (line: string) => void;
};

export type HelpdeskData = {
  brandId: string;
  slug: string;
  tickets: number;
  messages: number;
  customers: number;
  /** Queue names, in the order tickets are weighted towards (the first gets the most). */
  queues: string[];
  /** Whether this call generated (some of) the data, rather than finding it ready. */
  generated: boolean;
};

/** How many customers the generator spreads `tickets` tickets over by default. */
export const defaultCustomers = (tickets: number) => Math.max(10, Math.floor(tickets / 5));

/** 1000000 → "1m", 100000 → "100k", 1234 → "1234". */
export function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/** Content words of support mail, most frequent first (rank 1 is the most common). */
const WORDS = `order item package delivery refund tracking shipping received help return still arrived
  days week update number email address damaged wrong cancel replacement charged payment box missing
  account store customer service support product quality exchange credit late delayed carrier label
  size color invoice receipt discount code price shipment status website phone card bank statement
  broken defective warranty problem issue question information contact reply response waiting
  urgent asap today tomorrow yesterday monday friday weekend morning evening hours month
  refunded returned cancelled canceled shipped delivered processing pending confirmed confirmation
  purchase bought ordered paid checkout cart promo coupon sale gift voucher balance
  door porch mailbox neighbor building apartment office signature pickup locker driver courier
  warehouse vendor seller supplier marketplace listing description photo picture screenshot video
  scratched dented cracked leaking torn stained dirty used opened unopened sealed packaging wrapping
  manual instructions assembly parts screws pieces battery charger cable adapter remote
  fit small large tight loose fabric material leather wood metal plastic glass
  expected estimated promised guaranteed express standard overnight ground priority economy
  tracking-page link login password reset subscription membership unsubscribe newsletter
  frustrated disappointed upset unhappy happy satisfied grateful appreciate sorry apologize
  fraud unauthorized dispute chargeback paypal klarna afterpay installment
  address-change apartment-number zip postcode street city country province state
  international customs duties tax import border clearance
  stuck lost stolen misdelivered returned-to-sender undeliverable exception attempt
  available stock backorder preorder restock inventory sold-out discontinued
  review rating feedback complaint escalate manager supervisor
  instead different another second third again twice already never
  pictures attached attachment file document form request claim case ticket reference
  quickly soon possible resolve resolution solution fix sort
  weeks months hour minute
  laptop headphones sofa mattress blender vacuum television monitor keyboard camera
  jacket shoes dress shirt jeans boots sneakers coat sweater hoodie
  chair table desk lamp shelf cabinet dresser bed frame rug curtains
  phone-case charger-cable earbuds smartwatch tablet speaker router printer
  kitchen bathroom bedroom garden outdoor patio grill
  birthday wedding christmas holiday anniversary present
  compensation goodwill partial full amount difference overcharged double
  shipping-fee restocking-fee fee cost free
  prepaid return-label dropoff drop-off ups-store post-office
  weight dimensions heavy oversized freight pallet curbside
  appointment schedule reschedule window time-slot
  notification text sms message call voicemail
  noise smell vibration overheating flickering`
  .split(/\s+/)
  .filter(Boolean);

/** Words the English configuration drops; they make fragments read like sentences. */
const STOPWORDS = 'i my the a is was it to and not have has but of for on in me this that we you your'.split(
  ' ',
);

const PRODUCTS =
  `Dyson V11 vacuum|Dyson V15 Detect|Samsung Galaxy Buds|Samsung Frame TV|Sony WH-1000XM5 headphones|
  Apple AirPods Pro|Apple Watch Series 9|iPad Air|MacBook Air|Bose QuietComfort earbuds|
  KitchenAid stand mixer|Ninja blender|Instant Pot Duo|Keurig coffee maker|Nespresso Vertuo|
  Vitamix E310|Breville espresso machine|Cuisinart food processor|Le Creuset dutch oven|
  Ashley sectional sofa|Ashley recliner|Ashley dining set|Casper mattress|Purple mattress|
  Tempur-Pedic pillow|IKEA Kallax shelf|Herman Miller Aeron chair|Secretlab gaming chair|
  Weber Spirit grill|Traeger pellet grill|Roomba j7|Shark robot vacuum|Bissell carpet cleaner|
  Nintendo Switch OLED|PlayStation 5|Xbox Series X|Meta Quest 3|Logitech MX Master mouse|
  Razer BlackWidow keyboard|Dell UltraSharp monitor|LG OLED C3|TCL Roku TV|Canon EOS R50|
  GoPro Hero 12|Fitbit Charge 6|Garmin Forerunner 265|Kindle Paperwhite|Ring video doorbell|
  Nest thermostat|Philips Hue starter kit|Sonos Era 100|JBL Flip 6|Anker power bank|
  Nike Air Max 90|Adidas Ultraboost|New Balance 990|Converse Chuck Taylor|Dr. Martens boots|
  Levi's 501 jeans|North Face puffer jacket|Patagonia fleece|Columbia rain jacket|Carhartt hoodie|
  Ray-Ban Wayfarer|Fossil leather watch|Samsonite carry-on|Osprey backpack|Yeti Rambler tumbler|
  Hydro Flask bottle|Stanley Quencher|Lodge cast iron skillet|Calphalon cookware set|OXO storage set|
  Graco stroller|Britax car seat|Fisher-Price play mat|LEGO Star Wars set|Barbie Dreamhouse|
  Peloton bike|Bowflex dumbbells|Theragun massager|Oral-B electric toothbrush|Philips Sonicare|
  Revlon hair dryer|Dyson Airwrap|Cricut Maker|Brother sewing machine|HP LaserJet printer|
  Epson EcoTank printer|Netgear Orbi router|TP-Link mesh wifi|Seagate external drive|SanDisk memory card|
  Samsung T7 SSD|WD Black SSD|Corsair RAM kit|ASUS ROG laptop|Lenovo ThinkPad|
  Microsoft Surface Pro|Chromebook Duet|Blink outdoor camera|Arlo Pro camera|Eufy security camera|
  Rug Doctor|Bona floor mop|Honeywell air purifier|Levoit humidifier|De'Longhi space heater|
  Lasko tower fan|GE window air conditioner|Frigidaire mini fridge|Whirlpool dishwasher|LG washing machine`
    .split('|')
    .map((p) => p.trim())
    .filter(Boolean);

/** Carriers, most frequent first. */
const CARRIERS = [
  'UPS',
  'FedEx',
  'USPS',
  'DHL',
  'OnTrac',
  'LaserShip',
  'Amazon Logistics',
  'Canada Post',
  'Royal Mail',
];

const SUBJECTS = [
  'Where is my order {order}?',
  'Order {order} not arrived yet',
  'Refund request for {product}',
  '{product} arrived damaged',
  'Wrong item received in order {order}',
  'Tracking not updating ({carrier})',
  'Please cancel order {order}',
  'Change shipping address for {order}',
  'Missing part: {product}',
  'Return label for {product}',
  '{carrier} says delivered but nothing here',
  'Charged twice for order {order}',
  'Question about {product} warranty',
  'Exchange {product} for a different size',
  'When will {product} be back in stock?',
  'Package stuck in transit with {carrier}',
  'Discount code did not apply to {order}',
  'Damaged box, {product} scratched',
  'Need invoice for order {order}',
  'Still waiting for my refund ({order})',
  '{product} stopped working',
  'Delivery appointment for {product}',
  'Complaint about {carrier} driver',
  'Order {order} shows processing for a week',
];

const GREETINGS = ['Hi,', 'Hello,', 'Hi there,', 'Good morning,', 'Hello team,', 'Dear support,', 'Hey,', ''];
const SIGNOFFS = [
  'Thanks,',
  'Thank you,',
  'Regards,',
  'Best,',
  'Cheers,',
  'Kind regards,',
  'Thanks in advance,',
];
const FIRST_NAMES =
  `James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan
  Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra
  Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy
  George Melissa Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob
  Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott
  Nicole Brandon Helen Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick
  Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry Heather Tyler Diane Aaron Ruth Jose Julie Adam Olivia
  Nathan Joyce Henry Virginia Douglas Victoria Zachary Kelly Peter Lauren Kyle Christina Ethan Joan Walter Evelyn`
    .split(/\s+/)
    .filter(Boolean);
const LAST_NAMES =
  `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
  Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis
  Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera
  Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart
  Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox
  Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders
  Patel Myers Long Ross Foster Jimenez`
    .split(/\s+/)
    .filter(Boolean);
const DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example', 'inbox.example'];
/** Towns a few first messages name for delivery: rare words (each in about 0.1% of tickets). */
const TOWNS = [
  ...new Set(
    `Tallahassee Albuquerque Chattanooga Kalamazoo Tuscaloosa Schenectady Poughkeepsie Ypsilanti Walla Wichita
  Sacramento Spokane Boise Missoula Cheyenne Fargo Duluth Dubuque Peoria Champaign Bloomington Muncie Evansville Lexington
  Knoxville Asheville Charleston Savannah Pensacola Gainesville Sarasota Lakeland Mobile Biloxi Shreveport Lafayette
  Beaumont Amarillo Lubbock Midland Abilene Waco Killeen Laredo Brownsville Tucson Flagstaff Prescott Yuma Henderson
  Reno Eugene Medford Bellingham Yakima Olympia Tacoma Anchorage Fairbanks Juneau Honolulu Hilo Provo Ogden Pueblo
  Boulder Greeley Cheyenne Casper Rapid Sioux Lincoln Omaha Topeka Wichita Joplin Springfield Columbia Jefferson
  Rochester Syracuse Buffalo Ithaca Albany Scranton Allentown Erie Harrisburg Lancaster Worcester Lowell Providence
  Hartford Stamford Burlington Portland Bangor Concord Manchester Nashua Trenton Camden Dover Wilmington Annapolis`
      .split(/\s+/)
      .filter(Boolean),
  ),
];
const TAGS = [
  'vip',
  'refund',
  'damaged',
  'wismo',
  'address-change',
  'fraud-check',
  'warranty',
  'marketplace',
];

/** A small seeded generator (mulberry32), so the fragments are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A rank in 0..n-1 with P(k) ≈ 1/(k+1) (Zipf, s = 1): the log-uniform trick. */
function zipf(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(random() * Math.log(n + 1))) - 1);
}

/**
 * Sentence fragments of 4–12 words (content words by Zipf rank, stop words between them). Messages
 * are made of several fragments picked at random, so word frequencies stay Zipf-like while the
 * database builds a million texts from a few thousand pieces.
 */
export function fragments(count = 4000, seed = 42): string[] {
  const random = seeded(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 4 + Math.floor(random() * 9);
    const words: string[] = [];
    for (let w = 0; w < length; w++) {
      if (random() < 0.35) words.push(STOPWORDS[Math.floor(random() * STOPWORDS.length)]!);
      words.push(WORDS[zipf(random, WORDS.length)]!);
    }
    const text = words.join(' ');
    out.push(`${text[0]!.toUpperCase()}${text.slice(1)}.`);
  }
  return out;
}

/** Vocabulary for benchmarks that query the data: words by rank, products and carriers. */
export const vocabulary = { words: WORDS, products: PRODUCTS, carriers: CARRIERS, towns: TOWNS } as const;

/** The name of generated customer k (1-based), the same formula the SQL uses. */
export function customerName(k: number): { first: string; last: string } {
  return {
    first: FIRST_NAMES[k % FIRST_NAMES.length]!,
    last: LAST_NAMES[Math.floor(k / FIRST_NAMES.length) % LAST_NAMES.length]!,
  };
}

/** The email address of generated customer k (1-based), the same formula the SQL uses. */
export function customerEmail(k: number): string {
  const { first, last } = customerName(k);
  return `${first.toLowerCase()}.${last.toLowerCase()}${k}@${DOMAINS[k % DOMAINS.length]}`;
}

/** The order number generated ticket i (1-based) names: a rare search term. */
export function orderNumber(i: number): string {
  return `#${40_000_000 + i}`;
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

/** A deterministic UUID of the given text that is a valid version 4 UUID (the API checks ids strictly). */
const uuidOf = (text: ReturnType<typeof sql>) =>
  sql`overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;

const one = async <T>(db: Database['db'], query: ReturnType<typeof sql>) =>
  rowsOf<T>(await db.execute(query))[0]!;

/**
 * Finds or fills the brand `bench-<size>` with `options.tickets` tickets, on the given database
 * (migrated). Returns at once when the brand is already complete.
 */
export async function ensureHelpdeskData(
  database: Database,
  pack: Pack,
  options: HelpdeskDataOptions,
): Promise<HelpdeskData> {
  const log = options.log ?? ((line: string) => console.log(line));
  const total = options.tickets;
  const customerCount = options.customers ?? defaultCustomers(total);
  const chunk = options.chunk ?? 100_000;
  const slug = `bench-${sizeLabel(total)}`;
  const title = `Bench ${sizeLabel(total).toUpperCase()}`;
  const { db } = database;
  const ctx: RequestContext = { actor: { kind: 'system', name: 'bench' }, now: new Date() };

  let [brand] = await db.select().from(brands).where(eq(brands.slug, slug));
  if (!brand) {
    brand = await db.transaction(async (tx) => {
      const created = await createBrand(tx, ctx, { name: `${title}${GENERATING}`, slug, pack });
      await tx
        .insert(queues)
        .values(
          EXTRA_QUEUES.map((name) => ({
            brandId: created.brand.id,
            name,
            title: name,
            source: 'custom' as const,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })),
        )
        .onConflictDoNothing();
      const hash = await hashPassword('bench-password-123');
      const agent = await roleByName(tx, created.brand.id, 'agent');
      for (let a = 1; a <= AGENTS; a++) {
        const { first, last } = customerName(a * 7);
        const user = await createUser(
          tx,
          ctx,
          { email: `agent${a}@${slug}.bench.example`, name: `${first} ${last}`, password: 'unused-password' },
          hash,
        );
        await grantMembership(tx, ctx, created.brand.id, user, agent);
      }
      return created.brand;
    });
  }
  const brandId = brand.id;
  const queueRows = await db.select().from(queues).where(eq(queues.brandId, brandId)).orderBy(queues.name);
  // The bench's queues first, in EXTRA_QUEUES order: they get most tickets, the pack's escalation buckets fewer.
  const rank = (name: string) =>
    EXTRA_QUEUES.includes(name) ? EXTRA_QUEUES.indexOf(name) : EXTRA_QUEUES.length;
  const queueList = queueRows.sort((a, b) => rank(a.name) - rank(b.name));

  const counts = async () =>
    one<{ tickets: number; messages: number; customers: number }>(
      db,
      sql`select (select count(*)::int from tickets where brand_id = ${brandId}) as tickets,
        (select count(*)::int from messages where brand_id = ${brandId}) as messages,
        (select count(*)::int from customers where brand_id = ${brandId}) as customers`,
    );
  const ready = {
    brandId,
    slug,
    queues: queueList.map((q) => q.name),
  };
  if (!brand.name.endsWith(GENERATING)) {
    return { ...ready, ...(await counts()), generated: false };
  }

  const started = performance.now();
  let done = await counts();
  log(
    `generating ${slug} on the ${database.kind} database: ${total.toLocaleString('en')} tickets, ${customerCount.toLocaleString('en')} customers` +
      (done.tickets || done.customers
        ? ` (resuming at ${done.customers} customers, ${done.tickets} tickets)`
        : ''),
  );

  // Customers: one row each and their address in customer_emails.
  const names = sql`(select ${sql.param(FIRST_NAMES)}::text[] as fa, ${sql.param(LAST_NAMES)}::text[] as la, ${sql.param(DOMAINS)}::text[] as da)`;
  for (let start = done.customers + 1; start <= customerCount; start += chunk) {
    const end = Math.min(customerCount, start + chunk - 1);
    const t = performance.now();
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into customers (id, brand_id, name, email, created_at, updated_at)
        select ${uuidOf(sql`${brandId}::text || ':c:' || k`)}, ${brandId}::uuid,
          fa[1 + k % ${FIRST_NAMES.length}] || ' ' || la[1 + (k / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}],
          lower(fa[1 + k % ${FIRST_NAMES.length}]) || '.' || lower(la[1 + (k / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}])
            || k || '@' || da[1 + k % ${DOMAINS.length}],
          now() - interval '730 days' * random(), now()
        from generate_series(${start}::int, ${end}::int) k, ${names} n`);
      await tx.execute(sql`
        insert into customer_emails (brand_id, email, customer_id)
        select brand_id, email, id from customers
        where brand_id = ${brandId} and id = any(array(
          select ${uuidOf(sql`${brandId}::text || ':c:' || k`)} from generate_series(${start}::int, ${end}::int) k))`);
    });
    const seconds = (performance.now() - t) / 1000;
    const n = end - start + 1;
    log(
      `  customers ${end.toLocaleString('en')}/${customerCount.toLocaleString('en')}: ${n} in ${seconds.toFixed(1)} s = ${Math.round((2 * n) / seconds).toLocaleString('en')} rows/s`,
    );
  }

  // Tickets with their messages, history, audit entries and SLA timers.
  const workflow = ticketWorkflow(pack);
  const byCategory = (category: string) =>
    workflow.statuses.filter((s) => s.category === category).map((s) => s.name);
  const policies = await db
    .select()
    .from(slaPolicies)
    .where(eq(slaPolicies.brandId, brandId))
    .orderBy(slaPolicies.position);
  const urgentPolicy = policies.find((p) => p.priorities.includes('urgent')) ?? policies[0];
  const standardPolicy = policies.find((p) => p.priorities.length === 0) ?? policies.at(-1);
  const agents = rowsOf<{ id: string; name: string }>(
    await db.execute(sql`select u.id, u.name from memberships m join users u on u.id = m.user_id
      where m.brand_id = ${brandId} and u.email like 'agent%' order by u.email`),
  );
  const frags = fragments();
  const lists = sql`(select
    ${sql.param(frags)}::text[] as fr, ${sql.param(PRODUCTS)}::text[] as pr, ${sql.param(CARRIERS)}::text[] as ca,
    ${sql.param(SUBJECTS)}::text[] as su, ${sql.param(GREETINGS)}::text[] as gr, ${sql.param(SIGNOFFS)}::text[] as so,
    ${sql.param(FIRST_NAMES)}::text[] as fa, ${sql.param(LAST_NAMES)}::text[] as la, ${sql.param(DOMAINS)}::text[] as da,
    ${sql.param(TAGS)}::text[] as tg, ${sql.param(TOWNS)}::text[] as tw, ${sql.param(queueList.map((q) => q.id))}::uuid[] as qu,
    ${sql.param(agents.map((a) => a.id))}::uuid[] as ag, ${sql.param(agents.map((a) => a.name))}::text[] as an,
    ${sql.param(byCategory('open'))}::text[] as st_open, ${sql.param(byCategory('pending'))}::text[] as st_pending,
    ${sql.param(byCategory('on_hold'))}::text[] as st_hold, ${sql.param(byCategory('solved'))}::text[] as st_solved,
    ${sql.param(byCategory('closed'))}::text[] as st_closed)`;
  const pick = (array: string, count: number) => sql.raw(`${array}[1 + floor(random() * ${count})::int]`);
  const frag = pick('fr', frags.length);
  const product = pick('pr', PRODUCTS.length);
  const F = FIRST_NAMES.length;
  const L = LAST_NAMES.length;

  for (let start = done.tickets + 1; start <= total; start += chunk) {
    const end = Math.min(total, start + chunk - 1);
    const t = performance.now();
    const messageCount = await db.transaction(async (tx) => {
      // The chunk's tickets with every random choice made once, so messages agree with tickets.
      await tx.execute(sql`
        create temp table bench_chunk on commit drop as
        with r as (
          select i, random() as r_status, random() as r_age, random() as r_queue, random() as r_assign,
            random() as r_prio, random() as r_chan, random() as r_tag, random() as r_msgs, random() as r_sla,
            1 + floor(random() * ${customerCount})::int as cust,
            1 + floor(power(random(), 1.5) * ${PRODUCTS.length})::int as prod,
            1 + floor(random() * ${SUBJECTS.length})::int as subj,
            1 + floor(power(random(), 2) * ${CARRIERS.length})::int as car
          from generate_series(${start}::int, ${end}::int) i
        ), c as (
          select r.*, ${uuidOf(sql`${brandId}::text || ':t:' || i`)} as id,
            case when r_status < 0.10 then 'open' when r_status < 0.16 then 'pending'
              when r_status < 0.20 then 'on_hold' when r_status < 0.35 then 'solved' else 'closed' end as category,
            case when r_msgs < 0.65 then 1 when r_msgs < 0.90 then 2 else 3 end as n_msgs
          from r
        ), d as (
          select c.*,
            category in ('open', 'pending', 'on_hold') as active,
            case when r_status < 0.20 then now() - interval '21 days' * r_age
              else now() - interval '1 day' - interval '729 days' * r_age end as created_at
          from c
        )
        select d.*,
          ${uuidOf(sql`${brandId}::text || ':c:' || cust`)} as customer_id,
          fa[1 + cust % ${F}] as first_name,
          fa[1 + cust % ${F}] || ' ' || la[1 + (cust / ${F}) % ${L}] as customer_name,
          lower(fa[1 + cust % ${F}]) || '.' || lower(la[1 + (cust / ${F}) % ${L}]) || cust || '@' || da[1 + cust % ${DOMAINS.length}]
            as customer_email,
          pr[prod] as product, ca[car] as carrier,
          '#' || (40000000 + i)::text as order_no,
          upper(substr(md5(id::text || 'trk'), 1, 18)) as tracking,
          replace(replace(replace(su[subj], '{order}', '#' || (40000000 + i)::text), '{product}', pr[prod]), '{carrier}', ca[car])
            as subject,
          case category
            when 'open' then st_open[1 + floor(r_sla * cardinality(st_open))::int]
            when 'pending' then st_pending[1 + floor(r_sla * cardinality(st_pending))::int]
            when 'on_hold' then st_hold[1 + floor(r_sla * cardinality(st_hold))::int]
            when 'solved' then st_solved[1 + floor(r_sla * cardinality(st_solved))::int]
            else st_closed[1 + floor(r_sla * cardinality(st_closed))::int] end as status,
          case when r_prio < 0.10 then 'low' when r_prio < 0.80 then 'normal' when r_prio < 0.95 then 'high' else 'urgent' end
            as priority,
          case when r_queue < 0.05 then null else qu[1 + floor(power((r_queue - 0.05) / 0.95, 1.6) * cardinality(qu))::int] end
            as queue_id,
          case when r_assign < 0.7 or not active then ag[1 + floor(r_assign / 0.7 * cardinality(ag))::int % cardinality(ag)] end
            as assignee_id,
          an[1 + floor(r_assign * cardinality(an))::int] as agent_name,
          case when r_chan < 0.70 then 'email' when r_chan < 0.85 then 'web_form' when r_chan < 0.93 then 'chat'
            when r_chan < 0.97 then 'api' else 'phone' end as channel,
          case when r_tag < 0.15 then array[tg[1 + floor(r_tag / 0.15 * cardinality(tg))::int]] else '{}'::text[] end as tags,
          case when active then created_at + interval '1 hour' * (1 + 119 * r_sla) end as sla_due_at,
          least(now(), created_at + interval '11 hours') as reply_at,
          least(now(), created_at + interval '22 hours') as third_at
        from d, ${lists} l`);
      await tx.execute(sql`
        insert into tickets (id, brand_id, token, customer_id, channel, subject, status, active, priority,
          assignee_id, queue_id, tags, sla_policy_id, first_response_due_at, sla_due_at, sla_state,
          first_responded_at, last_customer_message_at, last_agent_reply_at, solved_at, created_at, updated_at)
        select id, ${brandId}::uuid, substr(md5(id::text || 'token'), 1, 16), customer_id, channel, subject, status,
          active, priority, assignee_id, queue_id, tags,
          case when priority in ('urgent', 'high') then ${urgentPolicy?.id ?? null}::uuid else ${standardPolicy?.id ?? null}::uuid end,
          sla_due_at, sla_due_at,
          case when sla_due_at is null or sla_due_at > now() + interval '1 hour' then 'ok'
            when sla_due_at > now() then 'warning' else 'breached' end,
          case when n_msgs >= 2 then reply_at end,
          case when n_msgs = 3 then third_at else created_at end,
          case when n_msgs >= 2 then reply_at end,
          case when not active then case when n_msgs = 3 then third_at when n_msgs = 2 then reply_at else created_at end
            + interval '1 hour' end,
          created_at,
          case when n_msgs = 3 then third_at when n_msgs = 2 then reply_at else created_at end
        from bench_chunk`);
      await tx.execute(sql`
        insert into messages (brand_id, ticket_id, kind, direction, author_type, author_user_id, from_name,
          from_address, subject, body_text, created_at)
        select ${brandId}::uuid, c.id, 'reply',
          case when k = 2 then 'out' else 'in' end,
          case when k = 2 then 'agent' else 'customer' end,
          case when k = 2 then coalesce(c.assignee_id, ag[1]) end,
          case when k = 2 then c.agent_name else c.customer_name end,
          case when k = 2 then null else c.customer_email end,
          case when k = 1 then c.subject else 'Re: ' || c.subject end,
          case k
            when 1 then concat_ws(' ', ${pick('gr', GREETINGS.length)}, ${frag}, 'My order', c.order_no, 'with the', c.product,
              ${frag}, ${frag}, 'It was shipped with', c.carrier, ${frag}, ${frag},
              case when random() < 0.1 then 'Please deliver it to my address in ' || ${pick('tw', TOWNS.length)} || '.' end,
              ${pick('so', SIGNOFFS.length)}, c.first_name)
            when 2 then concat_ws(' ', 'Hi', c.first_name || ',', 'thank you for contacting us about order', c.order_no || '.',
              ${frag}, ${frag}, 'The', c.carrier, 'tracking number is', c.tracking || '.', ${frag}, ${frag},
              'Best regards,', c.agent_name)
            else concat_ws(' ', ${pick('gr', GREETINGS.length)}, ${frag}, ${frag}, 'The', ${product}, ${frag}, ${frag},
              ${pick('so', SIGNOFFS.length)}, c.first_name)
          end,
          case k when 1 then c.created_at when 2 then c.reply_at else c.third_at end
        from bench_chunk c cross join lateral generate_series(1, c.n_msgs) k, ${lists} l`);
      await tx.execute(sql`
        insert into ticket_events (brand_id, ticket_id, kind, actor_label, data, at)
        select ${brandId}::uuid, id, 'created', 'system:bench', jsonb_build_object('channel', channel, 'status', 'open'), created_at
        from bench_chunk
        union all
        select ${brandId}::uuid, id, 'status', 'system:bench', jsonb_build_object('from', 'open', 'to', status),
          created_at + interval '2 hours'
        from bench_chunk where category <> 'open'`);
      await tx.execute(sql`
        insert into audit_log (brand_id, actor_type, actor_label, entity_type, entity_id, action, after, at)
        select ${brandId}::uuid, 'system', 'system:bench', 'ticket', t.id::text, 'create',
          jsonb_build_object('id', t.id, 'number', t.number, 'subject', t.subject, 'status', t.status,
            'priority', t.priority, 'queueId', t.queue_id, 'customerId', t.customer_id, 'slaDueAt', t.sla_due_at),
          t.created_at
        from tickets t where t.id in (select id from bench_chunk)`);
      await tx.execute(sql`
        insert into jobs (brand_id, kind, payload, unique_key, run_at, created_at)
        select ${brandId}::uuid, 'sla.check', jsonb_build_object('ticketId', id), 'sla:' || id,
          sla_due_at - interval '1 hour', created_at
        from bench_chunk where active and sla_due_at > now()`);
      return (
        await one<{ n: number }>(
          tx as unknown as Database['db'],
          sql`select sum(n_msgs)::int as n from bench_chunk`,
        )
      ).n;
    });
    const seconds = (performance.now() - t) / 1000;
    const n = end - start + 1;
    const elapsed = (performance.now() - started) / 1000;
    log(
      `  tickets ${end.toLocaleString('en')}/${total.toLocaleString('en')} (${Math.round((100 * end) / total)}%): ${n} tickets + ${messageCount} messages in ${seconds.toFixed(1)} s = ${Math.round(n / seconds).toLocaleString('en')} tickets/s, ${Math.round((n * 3 + messageCount) / seconds).toLocaleString('en')} rows/s (${elapsed.toFixed(0)} s so far)`,
    );
  }

  await db.update(brands).set({ name: title }).where(eq(brands.id, brandId));
  const t = performance.now();
  await db.execute(
    sql`vacuum analyze tickets, messages, customers, customer_emails, ticket_events, audit_log, jobs`,
  );
  log(`  vacuum analyze: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  done = await counts();
  const seconds = (performance.now() - started) / 1000;
  log(
    `generated ${slug}: ${done.tickets.toLocaleString('en')} tickets, ${done.messages.toLocaleString('en')} messages, ${done.customers.toLocaleString('en')} customers in ${seconds.toFixed(0)} s`,
  );
  return { ...ready, ...done, generated: true };
}

/** Where the embedded benchmark database of a size lives, so re-runs find it. */
export function embeddedBenchDir(tickets: number): string {
  const root = process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'casebook-bench-helpdesk');
  return path.join(root, `pglite-${sizeLabel(tickets)}`);
}

/** Opens the benchmark database: DATABASE_URL's server, or the embedded one of this size. */
export async function openBenchDatabase(tickets: number): Promise<Database> {
  const url = process.env.DATABASE_URL;
  const database = url
    ? await openDatabase({ kind: 'postgres', url, poolSize: 12 })
    : await openDatabase({ kind: 'embedded', dataDir: embeddedBenchDir(tickets) });
  await runMigrations(database);
  return database;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tickets = Number(process.argv[2] ?? 1_000_000);
  const { loadConfig } = await import('../packages/server/src/config');
  const { loadPacks } = await import('../packages/server/src/packs');
  const packs = loadPacks(loadConfig({ NODE_ENV: 'test', CASEBOOK_DEMO: '0' }).packsDir);
  const database = await openBenchDatabase(tickets);
  console.log(`database: ${database.kind} (${database.location})`);
  const data = await ensureHelpdeskData(database, packs.get(BENCH_PACK)!, { tickets });
  if (!data.generated) {
    console.log(
      `${data.slug} is ready: ${data.tickets.toLocaleString('en')} tickets, ${data.messages.toLocaleString('en')} messages, ${data.customers.toLocaleString('en')} customers`,
    );
  }
  await database.close();
}
