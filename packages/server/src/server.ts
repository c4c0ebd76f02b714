import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { Config } from './config';
import { type Clock, type Deps, systemClock } from './context';
import { type Database, openDatabase } from './db/client';
import { runMigrations } from './db/migrate';
import { databaseIsEmpty, demoLoginLines, seedDemo } from './demo';
import { loadPacks } from './packs';

/** Opens the configured database: a PostgreSQL server when DATABASE_URL is set, else the embedded one. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : openDatabase({ kind: 'embedded', dataDir: path.join(config.dataDir, 'pglite') });
}

export type Running = { app: FastifyInstance; deps: Deps; url: string; close(): Promise<void> };

/**
 * Starts Casebook: database, migrations, packs, demo data on first start, then the HTTP server.
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
  if (config.demo && (await databaseIsEmpty(database.db))) {
    const created = await seedDemo(database.db, packs, deps.clock);
    log(`Created the demo: ${created.brands} brands, ${created.users} accounts.`);
    for (const line of demoLoginLines()) log(line);
  }
  const app = await buildApp(deps, { logger: options.logger ?? false });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  log(`Casebook is serving ${url} (database: ${database.kind}, ${database.location})`);
  return {
    app,
    deps,
    url,
    async close() {
      await app.close();
      if (!options.database) await database.close();
    },
  };
}
