import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database } from './client';

export const migrationsFolder = path.join(import.meta.dirname, 'migrations');

type Journal = { entries: { tag: string; when: number }[] };

function journal(): Journal {
  return JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal;
}

/** Applies every migration not yet applied. The same SQL files serve both database kinds. */
export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    // biome-ignore lint/suspicious/noExplicitAny: both migrators take their own driver's database type
    await migrateNodePg(database.db as any, { migrationsFolder });
  } else {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    await migratePglite(database.db as any, { migrationsFolder });
  }
}

export type MigrationState = { available: number; applied: number; pending: string[]; latest: string | null };

/** How many of the shipped migrations the database has applied, and which are pending. */
export async function migrationState(database: Database): Promise<MigrationState> {
  const entries = journal().entries;
  let appliedAt: number[] = [];
  try {
    const result = (await database.db.execute(
      sql`select created_at from drizzle.__drizzle_migrations order by created_at`,
    )) as unknown as { rows: { created_at: string | number }[] };
    appliedAt = result.rows.map((r) => Number(r.created_at));
  } catch {
    appliedAt = [];
  }
  const applied = new Set(appliedAt);
  const pending = entries.filter((e) => !applied.has(e.when)).map((e) => e.tag);
  const done = entries.filter((e) => applied.has(e.when));
  return {
    available: entries.length,
    applied: done.length,
    pending,
    latest: done.at(-1)?.tag ?? null,
  };
}
