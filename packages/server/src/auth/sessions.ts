import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { UserActor } from '../context';
import type { Queryable } from '../db/client';
import { sessions, users } from '../db/schema';
import { newToken, tokenHash } from './secrets';

/** A session lasts this long after its last use. */
export const SESSION_IDLE_MS = 14 * 24 * 60 * 60 * 1000;
/** Last-seen times are written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const SESSION_COOKIE = 'cb_session';

export async function createSession(
  db: Queryable,
  secret: string,
  userId: string,
  now: Date,
  meta: { ip?: string; userAgent?: string },
): Promise<{ token: string; sessionId: string; csrfToken: string }> {
  const token = newToken();
  const csrfToken = newToken();
  const [row] = await db
    .insert(sessions)
    .values({
      tokenHash: tokenHash(secret, token),
      userId,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 400) ?? null,
    })
    .returning({ id: sessions.id });
  return { token, sessionId: row!.id, csrfToken };
}

/** The signed-in user behind a session cookie, or null when the session is unknown, ended or expired. */
export async function resolveSession(
  db: Queryable,
  secret: string,
  token: string,
  now: Date,
): Promise<UserActor | null> {
  const [row] = await db
    .select({
      sessionId: sessions.id,
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      userId: users.id,
      email: users.email,
      name: users.name,
      isOrgAdmin: users.isOrgAdmin,
      // Read with the session, so the supplier fence needs no query of its own.
      external: sql<boolean>`exists (select 1 from memberships m join roles r on r.id = m.role_id
        where m.user_id = ${users.id} and r.external)`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash(secret, token)),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, now),
        isNull(users.disabledAt),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) })
      .where(eq(sessions.id, row.sessionId));
  }
  return {
    kind: 'user',
    userId: row.userId,
    email: row.email,
    name: row.name,
    isOrgAdmin: row.isOrgAdmin,
    sessionId: row.sessionId,
    csrfToken: row.csrfToken,
    external: row.external,
  };
}

export async function endSession(db: Queryable, sessionId: string, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ endedAt: now })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.endedAt)));
}

/** Ends every session of a user except `keepSessionId` (or all of them when it is null). */
export async function endOtherSessions(
  db: Queryable,
  userId: string,
  keepSessionId: string | null,
  now: Date,
): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ endedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.endedAt),
        keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return ended.length;
}
