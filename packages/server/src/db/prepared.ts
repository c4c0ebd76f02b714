import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import type { Queryable } from './client';

/**
 * Prepared statements for the hot paths (authentication, brand access, opening a ticket). A query
 * is built in Node once, with `sql.placeholder()` for its values, and runs as a named statement:
 * PostgreSQL parses and plans it once per connection instead of on every call (the embedded
 * database ignores the name). Values bound to placeholders skip the query layer's column mapping,
 * so callers pass them as the driver takes them (JSON as a string, arrays as arrays).
 */

type Compiled = { query: { sql: string; params: unknown[] }; fields: unknown; joinsNotNullableMap: unknown };
type PreparedInternals = {
  getQuery(): { sql: string; params: unknown[] };
  fields: unknown;
  joinsNotNullableMap: unknown;
};
type Session = {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: unknown,
    name: string,
    arrayMode: boolean,
  ): { execute(values?: Record<string, unknown>): Promise<unknown>; joinsNotNullableMap?: unknown };
};
type Dialect = { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };

const internals = (db: Queryable) => db as unknown as { session: Session; dialect: Dialect };

const selects = new Map<string, Compiled>();

/**
 * A select built by the query builder, prepared under `name` (unique to this query) and bound to
 * the caller's connection or transaction: `prepared(tx, 'x', () => tx.select()…).execute({ … })`.
 */
export function prepared<P>(db: Queryable, name: string, build: () => { prepare(name: string): P }): P {
  let compiled = selects.get(name);
  if (!compiled) {
    const query = build().prepare(name) as unknown as PreparedInternals;
    compiled = {
      query: query.getQuery(),
      fields: query.fields,
      joinsNotNullableMap: query.joinsNotNullableMap,
    };
    selects.set(name, compiled);
  }
  const query = internals(db).session.prepareQuery(compiled.query, compiled.fields, name, true);
  query.joinsNotNullableMap = compiled.joinsNotNullableMap;
  return query as P;
}

const statements = new Map<string, { query: { sql: string; params: unknown[] }; name: string }>();

/**
 * Runs a statement written with `sql` and placeholders; `shape` names the statement's text (built
 * by `build` the first time), so a caller whose statement takes several forms gives each its own.
 * Returns the driver's result (`rowsOf` reads its rows).
 */
export async function runPrepared(
  db: Queryable,
  shape: string,
  build: () => SQL,
  values: Record<string, unknown>,
): Promise<unknown> {
  let statement = statements.get(shape);
  if (!statement) {
    const query = internals(db).dialect.sqlToQuery(build());
    const name = `cb_${createHash('sha1').update(query.sql).digest('base64url').slice(0, 24)}`;
    statement = { query, name };
    statements.set(shape, statement);
  }
  return internals(db)
    .session.prepareQuery(statement.query, undefined, statement.name, false)
    .execute(values);
}
