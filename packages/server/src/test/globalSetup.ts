import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, pgliteOf } from '../db/client';
import { runMigrations } from '../db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PostgreSQL database for this run, when TEST_DATABASE_URL is set. */
    testDatabaseUrl: string;
    /** A migrated embedded database, dumped to a file that each test file loads. */
    embeddedTemplate: string;
  }
}

/**
 * Prepares one migrated database for the whole run. With TEST_DATABASE_URL, a fresh database is
 * created on that server (and dropped afterwards); otherwise an embedded template is made once,
 * because creating an embedded database takes seconds and copying the template well under one.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `casebook_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
    await runMigrations(database);
    await database.close();
    project.provide('testDatabaseUrl', url.toString());
    project.provide('embeddedTemplate', '');
    return async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  const database = await openDatabase({ kind: 'embedded' });
  await runMigrations(database);
  const dump = await pgliteOf(database)!.dumpDataDir('none');
  await database.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-test-'));
  const file = path.join(dir, 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('testDatabaseUrl', '');
  project.provide('embeddedTemplate', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
