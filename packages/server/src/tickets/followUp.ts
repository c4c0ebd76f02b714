import { durationHours, ticketWorkflow } from '@casebook/core';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../audit';
import type { Deps, RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { brands, tickets } from '../db/schema';
import { errors } from '../errors';
import { defineJob } from '../jobs/define';
import { enqueue, rescheduleJob } from '../jobs/queue';
import { type BrandEnv, saveTicket, type TicketRow, updateTicket } from './commands';
import { brandEnv } from './env';
import { recordEvent } from './events';
import { checkTicketSla } from './sla';

/** The job that brings a ticket back when a follow-up is due. */
export const FOLLOW_UP_JOB = 'ticket.follow_up';

const followUpPayload = z.object({ ticketId: z.uuid(), reason: z.string(), after: z.string() });
type FollowUpPayload = z.infer<typeof followUpPayload>;

/** The one pending follow-up of a ticket for one reason (an SOP rule or a macro name). */
export const followUpKey = (ticketId: string, reason: string) => `followup:${ticketId}:${reason}`;

/**
 * Schedules a timer that brings the ticket back after `after` (an ISO 8601 duration such as `P5D`),
 * in the caller's transaction, so it exists exactly when the change that asked for it commits.
 * One pending follow-up per ticket and reason: asking again moves it to the new time.
 *
 * @example await scheduleFollowUp(tx, ctx, env, ticket, 'P5D', 'lost.wait-follow-up')
 */
export async function scheduleFollowUp(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  ticket: Pick<TicketRow, 'id' | 'brandId' | 'version'>,
  after: string,
  reason: string,
): Promise<{ dueAt: Date; rescheduled: boolean }> {
  const hours = durationHours(after);
  if (hours === null || hours <= 0) {
    throw errors.field('after', `"${after}" is not an ISO 8601 duration such as P5D or PT24H`);
  }
  const dueAt = new Date(ctx.now.getTime() + hours * 3_600_000);
  const uniqueKey = followUpKey(ticket.id, reason);
  const payload: FollowUpPayload = { ticketId: ticket.id, reason, after };
  const created = await enqueue(
    tx,
    { kind: FOLLOW_UP_JOB, brandId: env.brandId, payload, runAt: dueAt, uniqueKey },
    ctx.now,
  );
  const rescheduled = created === null && (await rescheduleJob(tx, uniqueKey, dueAt));
  const data = { after, dueAt: dueAt.toISOString(), reason, rescheduled };
  await recordEvent(tx, ctx, ticket, 'follow_up_scheduled', data);
  await audit(tx, ctx, {
    brandId: env.brandId,
    entityType: 'ticket',
    entityId: ticket.id,
    action: 'schedule_follow_up',
    after: data,
  });
  return { dueAt, rescheduled };
}

/** The ticket's brand environment, for jobs that run outside any request. */
async function jobEnv(tx: Queryable, deps: Deps, brandId: string) {
  const [brand] = await tx.select().from(brands).where(eq(brands.id, brandId));
  return brand ? brandEnv(tx, deps, brand) : null;
}

/**
 * A follow-up that came due: a ticket waiting on the customer (pending) or a third party (on hold)
 * goes back to the workflow's initial open status, so it is worked again; every due follow-up is
 * in the ticket's history (`follow_up_due`). Solved, closed and merged tickets are left alone.
 * Runs in the claiming transaction, so it happens exactly once.
 */
export const followUpJob = defineJob<FollowUpPayload>(FOLLOW_UP_JOB, {
  mode: 'transaction',
  parse: (payload) => followUpPayload.parse(payload),
  async run({ tx, payload, now, deps }) {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, payload.ticketId)).for('update');
    if (!ticket || ticket.mergedIntoId) return;
    const env = await jobEnv(tx, deps, ticket.brandId);
    if (!env) return;
    const ctx: RequestContext = { actor: { kind: 'system', name: 'follow-up' }, now };
    const workflow = ticketWorkflow(env.pack);
    const category = workflow.category(ticket.status);
    if (category === 'solved' || category === 'closed') return;
    let reopenTo: string | undefined;
    if (category === 'pending' || category === 'on_hold') {
      reopenTo = workflow.canMove(ticket.status, workflow.initial)
        ? workflow.initial
        : workflow.next(ticket.status).find((s) => workflow.category(s) === 'open');
    }
    const reopened = reopenTo ? await updateTicket(tx, ctx, env, ticket.id, { status: reopenTo }) : ticket;
    // Back to the top of its queue: the follow-up sorts with the SLA targets until an agent acts.
    const saved = await saveTicket(tx, ctx, env, reopened, { followUpDueAt: now });
    await recordEvent(tx, ctx, saved, 'follow_up_due', {
      reason: payload.reason,
      after: payload.after,
      reopened: Boolean(reopenTo),
      from: ticket.status,
      to: saved.status,
    });
  },
});

/** The SLA timer `refreshSla` schedules: re-evaluates one ticket's SLA state when it is due. */
export const slaCheckJob = defineJob<{ ticketId: string }>('sla.check', {
  mode: 'transaction',
  parse: (payload) => z.object({ ticketId: z.uuid() }).parse(payload),
  async run({ tx, payload, now, deps }) {
    const [ticket] = await tx
      .select({ brandId: tickets.brandId })
      .from(tickets)
      .where(eq(tickets.id, payload.ticketId));
    if (!ticket) return;
    const env = await jobEnv(tx, deps, ticket.brandId);
    if (!env) return;
    await checkTicketSla(tx, { actor: { kind: 'system', name: 'sla' }, now }, env, payload.ticketId);
  },
});
