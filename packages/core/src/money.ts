import type { Facts } from './advice/facts';
import type { GuardActor, GuardViolation } from './advice/guardrails';
import type { Pack } from './packs/load';

/**
 * The money side of an order, as pure rules: refund kinds and the pack's refund guardrails, and
 * warranty plans (their coverage period and exclusions). The server stores the records; the
 * decisions about them are made here, from the pack's data and the order's facts.
 */

/** What a refund gives back: everything still refundable, the items' cost only, or the shipping only. */
export const REFUND_KINDS = ['full', 'item_cost', 'shipping_only'] as const;
export type RefundKind = (typeof REFUND_KINDS)[number];

/** The refund kind an advised `credit` action amounts to, so the same refund guardrails judge both. */
export function refundKindOfCredit(basis: string): RefundKind {
  return basis === 'order_total' ? 'full' : basis === 'shipping_cost' ? 'shipping_only' : 'item_cost';
}

/** Why a customer claims on a warranty plan (the same names as the scenario's `warranty.claimReason`). */
export const WARRANTY_CLAIM_REASONS = ['defect', 'loss', 'theft', 'accidental_damage'] as const;
export type WarrantyClaimReason = (typeof WARRANTY_CLAIM_REASONS)[number];

/**
 * Whether a refund of this kind may be issued on facts of the order (one purchase order's facts
 * at a time): the actor must hold `refund.issue`, and every refund guardrail of the pack that
 * names the kind must hold. The API refuses a refund with any violation.
 */
export function checkRefund(
  pack: Pack,
  facts: Facts,
  refund: { kind: RefundKind; actor: GuardActor },
): GuardViolation[] {
  const violations: GuardViolation[] = [];
  if (![...refund.actor.capabilities].includes('refund.issue')) {
    violations.push({
      rule: 'refund.issue',
      message: `The ${refund.actor.role} role may not issue refunds.`,
    });
  }
  for (const guard of pack.manifest.refunds?.guardrails ?? []) {
    if (!guard.kinds.includes(refund.kind)) continue;
    if (!pack.conditions.get(guard.require)!.evaluate(facts)) {
      violations.push({ rule: guard.rule, message: guard.message });
    }
  }
  return violations;
}

/** A plan's coverage for one item: from the purchase to the end of the manufacturer's warranty plus the plan's extension. */
export type WarrantyPeriod = { startsAt: Date; manufacturerEndsAt: Date; endsAt: Date };

/**
 * The period a plan of the pack covers an item bought at `purchasedAt`. The manufacturer's warranty
 * lasts `manufacturerMonths` (the plan's default when not given); the plan extends it by its own
 * months. Months are calendar months in UTC (the 31st of a shorter month is its last day).
 */
export function warrantyPeriod(
  pack: Pack,
  planName: string,
  purchasedAt: Date,
  manufacturerMonths?: number,
): WarrantyPeriod | null {
  const plan = pack.manifest.warrantyPlans[planName];
  if (!plan) return null;
  const manufacturerEndsAt = addMonths(purchasedAt, manufacturerMonths ?? plan.manufacturerMonths);
  return {
    startsAt: purchasedAt,
    manufacturerEndsAt,
    endsAt: addMonths(manufacturerEndsAt, plan.extendsManufacturerMonths),
  };
}

/**
 * Whether a claim on a plan may be filed: the reason must not be one the plan excludes, and the
 * claim must fall inside the plan's period. Each refusal names the rule and says why.
 */
export function checkWarrantyClaim(
  pack: Pack,
  planName: string,
  claim: { reason: WarrantyClaimReason; at: Date; period: { startsAt: Date; endsAt: Date } },
): GuardViolation[] {
  const plan = pack.manifest.warrantyPlans[planName];
  if (!plan)
    return [{ rule: 'warranty.plans', message: `"${planName}" is not a warranty plan of this brand.` }];
  const violations: GuardViolation[] = [];
  if (plan.excludes.includes(claim.reason)) {
    violations.push({
      rule: 'warranty.excluded-reason',
      message: `${plan.title} does not cover ${claim.reason.replace(/_/g, ' ')}. It covers ${plan.covers}`,
    });
  }
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (claim.at < claim.period.startsAt || claim.at > claim.period.endsAt) {
    violations.push({
      rule: 'warranty.outside-period',
      message: `The claim is outside the plan’s period (${day(claim.period.startsAt)} to ${day(claim.period.endsAt)}).`,
    });
  }
  return violations;
}

function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}
