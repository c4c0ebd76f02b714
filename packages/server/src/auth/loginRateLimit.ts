import { and, count, eq, gt } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { loginAttempts } from '../db/schema';

/** Failed sign-ins allowed per email, and per client address, within the window. */
export const LOGIN_LIMITS = { perEmail: 5, perIp: 30, windowMs: 15 * 60 * 1000 } as const;

/**
 * Seconds until another attempt is allowed, or 0 when one is allowed now. Counted in the database,
 * so the limit holds across several app instances.
 */
export async function loginRetryAfter(db: Queryable, email: string, ip: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - LOGIN_LIMITS.windowMs);
  const failed = (column: typeof loginAttempts.email | typeof loginAttempts.ip, value: string) =>
    db
      .select({ n: count() })
      .from(loginAttempts)
      .where(and(eq(column, value), eq(loginAttempts.succeeded, false), gt(loginAttempts.at, since)));
  const [[byEmail], [byIp]] = await Promise.all([
    failed(loginAttempts.email, email),
    failed(loginAttempts.ip, ip),
  ]);
  if ((byEmail?.n ?? 0) >= LOGIN_LIMITS.perEmail || (byIp?.n ?? 0) >= LOGIN_LIMITS.perIp) {
    return Math.ceil(LOGIN_LIMITS.windowMs / 1000);
  }
  return 0;
}

export async function recordLoginAttempt(
  db: Queryable,
  email: string,
  ip: string,
  succeeded: boolean,
  now: Date,
) {
  await db.insert(loginAttempts).values({ email, ip, succeeded, at: now });
}
