import { eq } from 'drizzle-orm';
import { audit } from '../audit';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { endOtherSessions } from '../auth/sessions';
import type { RequestContext, UserActor } from '../context';
import type { Queryable } from '../db/client';
import { users } from '../db/schema';
import { errors } from '../errors';

/** A signed-in user changes their password; every other session of theirs ends. */
export async function changePassword(
  tx: Queryable,
  ctx: RequestContext & { actor: UserActor },
  input: { currentPassword: string; newPassword: string },
): Promise<{ endedSessions: number }> {
  const [user] = await tx.select().from(users).where(eq(users.id, ctx.actor.userId)).for('update');
  if (!user) throw errors.unauthenticated();
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw errors.field('currentPassword', 'is not your current password');
  }
  if (input.currentPassword === input.newPassword) {
    throw errors.field('newPassword', 'must differ from the current password');
  }
  await tx
    .update(users)
    .set({
      passwordHash: await hashPassword(input.newPassword),
      passwordChangedAt: ctx.now,
      updatedAt: ctx.now,
    })
    .where(eq(users.id, user.id));
  const endedSessions = await endOtherSessions(tx, user.id, ctx.actor.sessionId, ctx.now);
  await audit(tx, ctx, {
    brandId: null,
    entityType: 'user',
    entityId: user.id,
    action: 'change_password',
    after: { endedSessions },
  });
  return { endedSessions };
}
