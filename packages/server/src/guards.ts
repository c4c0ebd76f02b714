import type { GuardViolation } from '@casebook/core';
import { errors } from './errors';

/**
 * Refuses a change that breaks a rule of the brand's SOP pack: 422 `guardrail_violation`, the
 * first rule's id in `details.rule`, every broken rule in `details.violations`, and the pack's own
 * wording in the message. Every path that changes a guarded thing (routes, macro actions, imports,
 * approval decisions) calls it with the core's check for that change.
 */
export function enforceGuardrails(violations: GuardViolation[]): void {
  if (violations.length === 0) return;
  const error = errors.guardrail(violations[0]!.rule, violations.map((v) => v.message).join(' '));
  Object.assign(error.details ?? {}, { violations });
  throw error;
}
