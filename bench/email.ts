/**
 * Inbound mail throughput: emails stored per second through the built-in SMTP receiver on
 * loopback. The senders run in a child process, as other mail servers would, each delivering
 * over one reused connection. Three mails in four open a ticket for a new customer; the fourth
 * answers the sender's previous mail and threads onto its ticket by In-Reply-To. A mail counts
 * once the receiver said 250, which it says only after the transaction committed. Runs on the
 * configured database (DATABASE_URL for PostgreSQL; otherwise an embedded database in a temporary
 * folder).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/email.ts [mails] [senders]
 *
 * Target: at least 200 emails/s.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { postgresCpu, quietMachine } from './machine';

type Job = { port: number; address: string; mails: number; senders: number; stamp: number };

/** The sending side: `senders` connections deliver `mails` mails, then report the time taken. */
async function send(job: Job): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: job.senders }, async (_, k) => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: job.port,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
      });
      let previous: string | undefined;
      for (let i = k; i < job.mails; i += job.senders) {
        const messageId = `<bench-${job.stamp}-${i}@customers.example>`;
        const reply = previous !== undefined && i % 4 === 3;
        await transport.sendMail({
          from: { name: `Customer ${i}`, address: `c${k}-${reply ? 'r' : i}-${job.stamp}@customers.example` },
          to: job.address,
          subject: reply ? 'Re: Where is my order?' : `Where is my order B${i}?`,
          text: `Hello,\n\nmy order has not arrived yet. Could you check where it is?\n\nThanks, customer ${i}`,
          html: `<p>Hello,</p><p>my order has <b>not arrived</b> yet. Could you check where it is?</p><p>Thanks, customer ${i}</p>`,
          messageId,
          ...(reply ? { inReplyTo: previous, references: [previous!] } : {}),
        });
        if (!reply) previous = messageId;
      }
      transport.close();
    }),
  );
  return (performance.now() - start) / 1000;
}

if (process.argv[2] === '--sender') {
  process.once('message', (job: Job) => {
    send(job).then(
      (seconds) => process.send!({ seconds }, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
} else {
  const { createBrand } = await import('../packages/server/src/commands/createBrand');
  const { loadConfig } = await import('../packages/server/src/config');
  const { openDatabase } = await import('../packages/server/src/db/client');
  const { runMigrations } = await import('../packages/server/src/db/migrate');
  const { mailSettings } = await import('../packages/server/src/db/schema');
  const { startSmtpReceiver } = await import('../packages/server/src/email/smtpReceiver');
  const { loadPacks } = await import('../packages/server/src/packs');
  const { TEST_SECRET } = await import('../packages/server/src/test/harness');

  const MAILS = Number(process.argv[2] ?? 2000);
  const SENDERS = Number(process.argv[3] ?? 8);
  const url = process.env.DATABASE_URL;
  const dir = url ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-bench-'));
  const database = url
    ? await openDatabase({ kind: 'postgres', url, poolSize: SENDERS + 2 })
    : await openDatabase({ kind: 'embedded', dataDir: path.join(dir!, 'pglite') });
  await runMigrations(database);
  const config = loadConfig({ NODE_ENV: 'test', CASEBOOK_SECRET: TEST_SECRET, CASEBOOK_DEMO: '0' });
  const packs = loadPacks(config.packsDir);
  const stamp = Date.now();
  const { brand } = await database.db.transaction((tx) =>
    createBrand(
      tx,
      { actor: { kind: 'system', name: 'bench' }, now: new Date() },
      {
        name: `Bench ${stamp}`,
        slug: `bench-${stamp}`,
        pack: packs.get('marketplace-dropship')!,
        mailDomain: config.mailDomain,
      },
    ),
  );
  const [settings] = await database.db.select().from(mailSettings).where(eq(mailSettings.brandId, brand.id));
  const receiver = await startSmtpReceiver({ database, config, clock: () => new Date(), packs });
  console.log(
    `database: ${database.kind}; ${MAILS} mails from ${SENDERS} concurrent senders to ${settings!.address}…`,
  );

  const child = fork(fileURLToPath(import.meta.url), ['--sender'], { execArgv: ['--import', 'tsx'] });
  const load = await quietMachine(Number(process.env.BENCH_QUIET_WAIT ?? 120));
  const cpu = process.cpuUsage();
  const pg = postgresCpu(database);
  const seconds = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { seconds: number }) => resolve(m.seconds));
    child.once('exit', (code) => reject(new Error(`the sender process exited with ${code}`)));
    child.send({
      port: receiver.port,
      address: settings!.address,
      mails: MAILS,
      senders: SENDERS,
      stamp,
    } satisfies Job);
  });
  const used = process.cpuUsage(cpu);
  const pgSeconds = pg === null ? null : postgresCpu(database)! - pg;
  const stored = await database.db.execute(
    sql`select count(*)::int as mails, count(distinct m.ticket_id)::int as tickets from inbound_emails i join messages m on m.id = i.message_id where i.brand_id = ${brand.id}`,
  );
  const { mails, tickets } = (stored as unknown as { rows: { mails: number; tickets: number }[] }).rows[0]!;
  if (mails !== MAILS) throw new Error(`expected ${MAILS} stored mails, found ${mails}`);
  console.log(
    `inbound email: ${MAILS} mails (${tickets} tickets) in ${seconds.toFixed(2)} s = ${Math.round(MAILS / seconds)} emails/s (target 200)`,
  );
  const perMail = (cpuSeconds: number) => `${((cpuSeconds * 1000) / MAILS).toFixed(1)} ms`;
  console.log(
    `  CPU per mail: receiver ${perMail((used.user + used.system) / 1e6)}` +
      (pgSeconds === null ? '' : `, PostgreSQL ${perMail(pgSeconds)}`) +
      ` (the senders run in their own process); ${load}`,
  );
  await receiver.close();
  await database.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
