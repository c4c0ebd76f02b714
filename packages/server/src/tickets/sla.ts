import { type BusinessHours, computeSlaDue, slaState, ticketWorkflow } from '@casebook/core';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { prepared } from '../db/prepared';
import { slaPolicies, tickets } from '../db/schema';
import { cancelJobs, type NewJob, schedule } from '../jobs/queue';
import type { BrandEnv, TicketRow } from './commands';
import { recordEvent } from './events';

export type SlaPolicyRow = typeof slaPolicies.$inferSelect;

/** The policy a ticket is measured against: the first (by position) that covers its priority. */
export async function policyFor(
  tx: Queryable,
  brandId: string,
  priority: string,
): Promise<SlaPolicyRow | null> {
  const policies = await prepared(tx, 'sla_policies_of_brand', () =>
    tx
      .select()
      .from(slaPolicies)
      .where(eq(slaPolicies.brandId, sql.placeholder('brandId')))
      .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt)),
  ).execute({ brandId });
  return choosePolicy(policies, priority);
}

/** Of a brand's policies in order, the one that covers a priority. */
export function choosePolicy(policies: SlaPolicyRow[], priority: string): SlaPolicyRow | null {
  return policies.find((p) => p.priorities.length === 0 || p.priorities.includes(priority)) ?? null;
}

const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

type SlaFields = Pick<
  TicketRow,
  'slaPolicyId' | 'firstResponseDueAt' | 'nextResponseDueAt' | 'resolutionDueAt' | 'slaDueAt' | 'slaState'
>;

/** A ticket's SLA targets under a policy (none without one), and the state they are in now. */
export function slaFields(
  env: BrandEnv,
  policy: SlaPolicyRow | null,
  ticket: Pick<
    TicketRow,
    | 'status'
    | 'createdAt'
    | 'firstRespondedAt'
    | 'lastCustomerMessageAt'
    | 'lastAgentReplyAt'
    | 'followUpDueAt'
  >,
  now: Date,
): { fields: SlaFields; dueAt: Date | null; warnMinutes: number } {
  const category = ticketWorkflow(env.pack).category(ticket.status) ?? 'open';
  const due = policy
    ? computeSlaDue(
        {
          firstResponseMinutes: policy.firstResponseMinutes,
          nextResponseMinutes: policy.nextResponseMinutes,
          resolutionMinutes: policy.resolutionMinutes,
          warnMinutes: policy.warnMinutes,
          businessHours: policy.businessHours as BusinessHours | null,
        },
        {
          createdAt: ticket.createdAt,
          firstRespondedAt: ticket.firstRespondedAt,
          lastCustomerMessageAt: ticket.lastCustomerMessageAt,
          lastAgentReplyAt: ticket.lastAgentReplyAt,
          statusCategory: category,
        },
      )
    : { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null, dueAt: null };
  const warnMinutes = policy?.warnMinutes ?? 0;
  // Lists sort by `slaDueAt`: the earliest SLA target, or a follow-up that came due and brought the
  // ticket back (it is not an SLA target, so it never counts as a breach).
  const sortDue =
    ticket.followUpDueAt && (!due.dueAt || ticket.followUpDueAt < due.dueAt)
      ? ticket.followUpDueAt
      : due.dueAt;
  return {
    fields: {
      slaPolicyId: policy?.id ?? null,
      firstResponseDueAt: due.firstResponseDueAt,
      nextResponseDueAt: due.nextResponseDueAt,
      resolutionDueAt: due.resolutionDueAt,
      slaDueAt: sortDue,
      slaState: slaState(due.dueAt, warnMinutes, now),
    },
    dueAt: due.dueAt,
    warnMinutes,
  };
}

/**
 * Recomputes a ticket's SLA targets after a change (message, status, priority) and schedules the
 * SLA job for the next moment something happens: the warning, or the breach. One pending job per
 * ticket; a new schedule replaces the old.
 */
export async function refreshSla(
  tx: Queryable,
  ctx: RequestContext,
  env: BrandEnv,
  ticket: TicketRow,
): Promise<TicketRow> {
  const policy = await policyFor(tx, ticket.brandId, ticket.priority);
  const { fields, dueAt, warnMinutes } = slaFields(env, policy, ticket, ctx.now);
  const changed =
    ticket.slaPolicyId !== fields.slaPolicyId ||
    !same(ticket.firstResponseDueAt, fields.firstResponseDueAt) ||
    !same(ticket.nextResponseDueAt, fields.nextResponseDueAt) ||
    !same(ticket.resolutionDueAt, fields.resolutionDueAt) ||
    !same(ticket.slaDueAt, fields.slaDueAt) ||
    ticket.slaState !== fields.slaState;
  if (!changed) return ticket;
  const [saved] = (await tx.update(tickets).set(fields).where(eq(tickets.id, ticket.id)).returning()) as [
    TicketRow,
  ];
  if (fields.slaState !== ticket.slaState && fields.slaState !== 'ok') {
    await recordEvent(tx, ctx, saved, fields.slaState === 'breached' ? 'sla_breached' : 'sla_warning', {
      dueAt: dueAt?.toISOString() ?? null,
    });
  }
  const job = slaCheckJob(ctx, saved, dueAt, warnMinutes);
  if (job) await schedule(tx, { ...job, uniqueKey: `sla:${ticket.id}` }, ctx.now);
  else await cancelJobs(tx, { uniqueKey: `sla:${ticket.id}` });
  return saved;
}

/** The SLA job a ticket needs: at the warning, or at the breach; none when nothing is due. */
export function slaCheckJob(
  ctx: RequestContext,
  ticket: Pick<TicketRow, 'id' | 'brandId' | 'slaState'>,
  dueAt: Date | null,
  warnMinutes: number,
): NewJob | null {
  if (!dueAt || ticket.slaState === 'breached') return null;
  const warnAt = new Date(dueAt.getTime() - warnMinutes * 60_000);
  const runAt = ticket.slaState === 'ok' && warnAt > ctx.now ? warnAt : dueAt;
  return {
    kind: 'sla.check',
    brandId: ticket.brandId,
    payload: { ticketId: ticket.id },
    runAt,
    uniqueKey: `sla:${ticket.id}`,
  };
}

/** The SLA job: re-evaluates one ticket's state at the time it was scheduled for. */
export async function checkTicketSla(tx: Queryable, ctx: RequestContext, env: BrandEnv, ticketId: string) {
  const [ticket] = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.brandId, env.brandId)))
    .for('update');
  if (!ticket) return;
  await refreshSla(tx, ctx, env, { ...ticket, slaState: ticket.slaState });
}
