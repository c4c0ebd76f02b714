import type { Pack } from '@casebook/core';
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { notificationReads, notifications } from '../db/schema';
import type { BrandAccess } from '../policies';

/** The pack channels whose posts the caller's role sees in the app. */
export function visibleChannels(pack: Pack, access: BrandAccess): string[] {
  return Object.entries(pack.manifest.channels)
    .filter(([, c]) => !c.notify || c.notify.includes(access.role.name))
    .map(([name]) => name);
}

export async function listNotifications(
  db: Queryable,
  brandId: string,
  channels: string[],
  userId: string | null,
  options: { unread?: boolean | undefined; before?: number | undefined; limit: number },
) {
  if (!channels.length) return [];
  return db
    .select({
      id: notifications.id,
      channel: notifications.channel,
      text: notifications.text,
      link: notifications.link,
      createdAt: notifications.createdAt,
      readAt: notificationReads.readAt,
    })
    .from(notifications)
    .leftJoin(
      notificationReads,
      and(
        eq(notificationReads.notificationId, notifications.id),
        userId ? eq(notificationReads.userId, userId) : sql`false`,
      ),
    )
    .where(
      and(
        eq(notifications.brandId, brandId),
        inArray(notifications.channel, channels),
        options.unread ? isNull(notificationReads.readAt) : undefined,
        options.before ? lt(notifications.id, options.before) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(options.limit);
}

export async function unreadCount(db: Queryable, brandId: string, channels: string[], userId: string | null) {
  if (!channels.length) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .leftJoin(
      notificationReads,
      and(
        eq(notificationReads.notificationId, notifications.id),
        userId ? eq(notificationReads.userId, userId) : sql`false`,
      ),
    )
    .where(
      and(
        eq(notifications.brandId, brandId),
        inArray(notifications.channel, channels),
        isNull(notificationReads.readAt),
      ),
    );
  return row?.n ?? 0;
}

/** Marks notifications read for a user: the given ids, or all the user sees. Returns how many. */
export async function markRead(
  tx: Queryable,
  brandId: string,
  channels: string[],
  userId: string,
  ids: number[] | 'all',
  now: Date,
): Promise<number> {
  if (!channels.length) return 0;
  const targets = tx
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.brandId, brandId),
        inArray(notifications.channel, channels),
        ids === 'all' ? undefined : inArray(notifications.id, ids.length ? ids : [-1]),
      ),
    );
  const rows = await tx
    .insert(notificationReads)
    .select(
      tx
        .select({
          notificationId: notifications.id,
          userId: sql`${userId}::uuid`.as('user_id'),
          readAt: sql`${now.toISOString()}::timestamptz`.as('read_at'),
        })
        .from(notifications)
        .where(inArray(notifications.id, targets)),
    )
    .onConflictDoNothing()
    .returning({ id: notificationReads.notificationId });
  return rows.length;
}
