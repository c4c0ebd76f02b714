import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import {
  type ListenOptions,
  type NotificationHandler,
  pgliteListeners,
  serverListeners,
  type Unlisten,
} from './notify';
import * as schema from './schema';

export type Schema = typeof schema;

/** The query layer, the same type for the embedded database and a PostgreSQL server. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

export type DatabaseKind = 'embedded' | 'postgres';

export type Database = {
  db: Db;
  kind: DatabaseKind;
  /** Where the data lives: the embedded data directory, or the server URL without its password. */
  location: string;
  /**
   * Calls `handler` with the payload of every notification on `channel` (see `notify` in
   * notify.ts), from any app instance, after the sender's transaction commits. Resolves once
   * listening; the returned function stops this handler. Many channels and handlers may share one
   * database: a server database uses one dedicated connection for all of them, reconnecting if
   * it drops (see `onReconnect`).
   */
  listen(channel: string, handler: NotificationHandler, options?: ListenOptions): Promise<Unlisten>;
  close(): Promise<void>;
};

export type OpenOptions =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'embedded'; dataDir?: string; loadDataDir?: Blob | File };

/**
 * Opens the database: a PostgreSQL server when a URL is given, otherwise the embedded PostgreSQL
 * (PGlite) stored in `dataDir` (or in memory when no directory is given, for tests).
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // Fail fast with a clear message when the server cannot be reached.
    const client = await pool.connect();
    client.release();
    const url = new URL(options.url);
    url.password = '';
    const listeners = serverListeners(options.url);
    return {
      db: drizzleNodePg(pool, { schema }) as unknown as Db,
      kind: 'postgres',
      location: url.toString(),
      listen: (channel, handler, listenOptions) => listeners.listen(channel, handler, listenOptions),
      async close() {
        await listeners.close();
        await pool.end();
      },
    };
  }
  if (options.dataDir) fs.mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  const client = await PGlite.create(
    options.dataDir,
    options.loadDataDir ? { loadDataDir: options.loadDataDir } : {},
  );
  const listeners = pgliteListeners(client);
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: 'embedded',
    location: options.dataDir ? path.resolve(options.dataDir) : 'memory',
    listen: (channel, handler, listenOptions) => listeners.listen(channel, handler, listenOptions),
    async close() {
      await listeners.close();
      await client.close();
    },
  };
}

/** The raw PGlite client behind an embedded database, for dumping a test template. */
export function pgliteOf(database: Database): PGlite | undefined {
  const client = (database.db as unknown as { $client?: unknown }).$client;
  return client instanceof PGlite ? client : undefined;
}
