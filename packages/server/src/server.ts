import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { provisionAllBrands } from './commands/provisionHelpdesk';
import type { Config } from './config';
import { type Clock, type Deps, systemClock } from './context';
import { type Database, openDatabase } from './db/client';
import { runMigrations } from './db/migrate';
import { databaseIsEmpty, demoLoginLines, seedDemo } from './demo';
import { type SmtpReceiver, startSmtpReceiver } from './email/smtpReceiver';
import { buildJobRegistry } from './jobs/registry';
import { Worker } from './jobs/worker';
import { loadPacks } from './packs';

/** Opens the configured database: a PostgreSQL server when DATABASE_URL is set, else the embedded one. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : openDatabase({ kind: 'embedded', dataDir: path.join(config.dataDir, 'pglite') });
}

export type Running = {
  app: FastifyInstance;
  deps: Deps;
  url: string;
  /** The background job worker, when `config.worker` is on. */
  worker: Worker | undefined;
  /** The inbound SMTP receiver, when `config.smtpPort` is set. */
  smtp: SmtpReceiver | undefined;
  close(): Promise<void>;
};

/**
 * Starts Casebook: database, migrations, packs, demo data on first start, the HTTP server, then
 * the job worker (unless `config.worker` is off) and the SMTP receiver (when `config.smtpPort` is set).
 * `log` receives the lines meant for the person who started it.
 */
export async function startServer(
  config: Config,
  options: { clock?: Clock; log?: (line: string) => void; logger?: boolean; database?: Database } = {},
): Promise<Running> {
  const log = options.log ?? ((line: string) => console.log(line));
  const packs = loadPacks(config.packsDir);
  const database = options.database ?? (await openConfiguredDatabase(config));
  await runMigrations(database);
  const deps: Deps = { database, config, clock: options.clock ?? systemClock, packs };
  await provisionAllBrands(database.db, packs, config.mailDomain, deps.clock());
  if (config.demo && (await databaseIsEmpty(database.db))) {
    const created = await seedDemo(database.db, packs, deps.clock, config.mailDomain);
    log(`Created the demo: ${created.brands} brands, ${created.users} accounts.`);
    for (const line of demoLoginLines()) log(line);
  }
  const app = await buildApp(deps, { logger: options.logger ?? false });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  log(`Casebook is serving ${url} (database: ${database.kind}, ${database.location})`);
  const worker = config.worker ? new Worker(deps, buildJobRegistry(deps)) : undefined;
  let smtp: SmtpReceiver | undefined;
  try {
    await worker?.start();
    if (config.smtpPort !== undefined) {
      try {
        smtp = await startSmtpReceiver(deps, { host: config.smtpHost, port: config.smtpPort });
        log(`Receiving mail by SMTP on ${config.smtpHost}:${smtp.port}`);
      } catch (error) {
        // Outside production a busy port (say, a second local instance) should not stop the app.
        if (config.env === 'production' || (error as { code?: string }).code !== 'EADDRINUSE') throw error;
        log(`Not receiving mail by SMTP: port ${config.smtpPort} is in use (set CASEBOOK_SMTP_PORT).`);
      }
    }
  } catch (error) {
    await worker?.stop();
    await app.close();
    if (!options.database) await database.close();
    throw error;
  }
  return {
    app,
    deps,
    url,
    worker,
    smtp,
    async close() {
      await smtp?.close();
      await app.close();
      await worker?.stop();
      if (!options.database) await database.close();
    },
  };
}
