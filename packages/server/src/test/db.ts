import fs from 'node:fs';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../db/client';

let shared: Promise<Database> | undefined;

/**
 * The database for the current test file: the run's PostgreSQL database when TEST_DATABASE_URL is
 * set, otherwise a copy of the migrated embedded template. Tests isolate themselves by creating
 * their own brand (see factories.ts), never by emptying tables.
 */
export function testDatabase(): Promise<Database> {
  shared ??= (async () => {
    const url = inject('testDatabaseUrl');
    if (url) return openDatabase({ kind: 'postgres', url, poolSize: 4 });
    const template = fs.readFileSync(inject('embeddedTemplate'));
    return openDatabase({ kind: 'embedded', loadDataDir: new Blob([template]) });
  })();
  return shared;
}

/** A fresh, unmigrated embedded or server database, for tests of migrations themselves. */
export async function emptyDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const url = inject('testDatabaseUrl');
  if (!url) {
    const database = await openDatabase({ kind: 'embedded' });
    return { database, drop: () => database.close() };
  }
  const pg = (await import('pg')).default;
  const name = `casebook_empty_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const own = new URL(url);
  own.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: own.toString(), poolSize: 2 });
  return {
    database,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
