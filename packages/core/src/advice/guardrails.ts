import type { Pack } from '../packs/load';
import { durationHours } from '../time';
import type { Facts } from './facts';

export type GuardViolation = { rule: string; message: string };

/** Who asks for a change: their role's name (for messages) and its capabilities. */
export type GuardActor = { role: string; capabilities: Iterable<string> };

/** The actor for a role of the pack itself (scenarios name pack roles); custom roles pass their own. */
export function packRoleActor(pack: Pack, role: string): GuardActor {
  return {
    role: pack.manifest.roles[role]?.title ?? role,
    capabilities: pack.manifest.roles[role]?.capabilities ?? [],
  };
}

/**
 * Whether a purchase order may move from one status to another under the pack: the transition
 * must be one the pack allows, the actor must hold `po.set_status`, and every guardrail on the
 * target status must hold for the PO's facts. The API refuses a change with any violation; the
 * advice engine never suggests one.
 */
export function checkPoStatusChange(
  pack: Pack,
  facts: Facts,
  change: { from: string; to: string; actor: GuardActor },
): GuardViolation[] {
  const po = pack.manifest.purchaseOrders;
  if (!po)
    return [
      { rule: 'po.statuses', message: `The ${pack.manifest.name} pack defines no purchase order statuses.` },
    ];
  const violations: GuardViolation[] = [];
  if (![...change.actor.capabilities].includes('po.set_status')) {
    violations.push({
      rule: 'po.set_status',
      message: `The ${change.actor.role} role may not change PO statuses.`,
    });
  }
  const transitions = po.transitions as Partial<Record<string, string[]>>;
  const next = transitions[change.from] ?? [];
  if (!(po.statuses as string[]).includes(change.to)) {
    violations.push({ rule: 'po.statuses', message: `"${change.to}" is not a PO status of this brand.` });
  } else if (change.from !== change.to && !next.includes(change.to)) {
    violations.push({
      rule: 'po.transitions',
      message: `A PO cannot go from ${change.from} to ${change.to}; from ${change.from} it may go to ${next.join(', ') || 'nothing'}.`,
    });
  }
  for (const guard of po.guardrails) {
    if (guard.to !== change.to) continue;
    if (!pack.conditions.get(guard.require)!.evaluate(facts))
      violations.push({ rule: guard.rule, message: guard.message });
  }
  return violations;
}

/**
 * Whether an actor may decide an approval type of the pack: a role the pack names as deciding it,
 * or one holding the capability `approval.decide.<type>`.
 */
export function checkApprovalDecision(
  pack: Pack,
  approval: string,
  actor: { roleName: string; capabilities: Iterable<string> },
): GuardViolation[] {
  const def = pack.manifest.approvals[approval];
  if (!def) return [{ rule: 'approvals', message: `"${approval}" is not an approval type of this brand.` }];
  if (
    !def.decide.includes(actor.roleName) &&
    ![...actor.capabilities].includes(`approval.decide.${approval}`)
  ) {
    const who = def.decide.map((r) => pack.manifest.roles[r]?.title ?? r).join(', ');
    return [{ rule: `approvals.${approval}.decide`, message: `Only ${who} may decide ${def.title}.` }];
  }
  return [];
}

/**
 * Whether an actor may cancel an order (or POs or items of it) now: they must hold `order.cancel`,
 * and under a pack with a cancellation window an order placed longer ago than the window needs its
 * exception (an approved HPER) first. The API refuses a cancellation with any violation.
 */
export function checkOrderCancel(
  pack: Pack,
  change: { minutesSincePlaced: number; exceptionApproved: boolean; actor: GuardActor },
): GuardViolation[] {
  const violations: GuardViolation[] = [];
  if (![...change.actor.capabilities].includes('order.cancel'))
    violations.push({
      rule: 'order.cancel',
      message: `The ${change.actor.role} role may not cancel orders.`,
    });
  const rule = pack.manifest.cancellation;
  if (rule && !change.exceptionApproved) {
    const windowMinutes = (durationHours(rule.window) ?? 0) * 60;
    if (change.minutesSincePlaced > windowMinutes)
      violations.push({
        rule: rule.rule,
        message: `${rule.message} The order was placed ${Math.floor(change.minutesSincePlaced)} minutes ago; the window is ${Math.round(windowMinutes)} minutes.`,
      });
  }
  return violations;
}
