import { type Column, type SQL, sql } from 'drizzle-orm';

/**
 * `column = ANY($1)` with the values as one array parameter. Same meaning as `inArray`, but one
 * parameter instead of one per value, which keeps statements over thousands of ids fast to build
 * and send.
 */
export function anyOf(column: Column, values: readonly string[], type: 'uuid' | 'text' = 'uuid'): SQL {
  const param = sql.param(values);
  return type === 'uuid' ? sql`${column} = any(${param}::uuid[])` : sql`${column} = any(${param}::text[])`;
}
