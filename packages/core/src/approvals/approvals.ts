import { isCapability } from '../capabilities';
import {
  approvalStepSchema,
  type PackApproval,
  type PackApprovalStep,
  type PackBoard,
} from '../packs/schema';

/** The steps of an approval type: the pack's, or approve and deny (a reason required) from the first state. */
export function approvalSteps(type: PackApproval): Record<string, PackApprovalStep> {
  if (type.steps) return type.steps;
  const [first] = type.states;
  const approved = type.states.includes('approved') ? 'approved' : type.states[1]!;
  const denied = type.states.includes('denied') ? 'denied' : type.states[type.states.length - 1]!;
  return {
    approve: approvalStepSchema.parse({ title: 'Approve', from: [first], to: approved }),
    deny: approvalStepSchema.parse({ title: 'Deny', from: [first], to: denied, note: 'required' }),
  };
}

/** The states a request of this type is open in (waiting for someone). */
export function openStates(type: PackApproval): string[] {
  return type.open ?? [type.states[0]!];
}

/** Who may take a step: its own `by`, else the type's deciders. */
export function stepDeciders(type: PackApproval, step: PackApprovalStep): string[] {
  return step.by ?? type.decide;
}

/**
 * The capabilities that let a role request or decide a type besides the roles the pack names (a
 * brand's custom roles are made of capabilities): the type's own `capabilities`, else
 * `approval.file.<type>` and `approval.decide.<type>` when the catalogue has them.
 */
export function approvalCapabilities(
  typeName: string,
  type: PackApproval,
): { request: string | null; decide: string | null } {
  const known = (name: string) => (isCapability(name) ? name : null);
  return {
    request: type.capabilities?.request ?? known(`approval.file.${typeName}`),
    decide: type.capabilities?.decide ?? known(`approval.decide.${typeName}`),
  };
}

/** The capability that also lets a role take a step: its own `requires`, else the type's decide one for the deciders' steps. */
export function stepCapability(typeName: string, type: PackApproval, step: PackApprovalStep): string | null {
  if (step.requires) return step.requires;
  return step.by ? null : approvalCapabilities(typeName, type).decide;
}

/** Who acts on a request: their role's name and capabilities, and whether they requested it. */
export type ApprovalActor = { role: string; capabilities: Iterable<string>; isRequester: boolean };

const holds = (actor: Pick<ApprovalActor, 'capabilities'>, capability: string | null) =>
  capability !== null && [...actor.capabilities].includes(capability);

const whoMay = (roles: string[], capability: string | null) =>
  capability ? `${roles.join(', ')} (or a role with ${capability})` : roles.join(', ');

/** Why an actor may not request a type, or null when they may: a requesting role or the request capability. */
export function requestRefusal(
  typeName: string,
  type: PackApproval,
  actor: Pick<ApprovalActor, 'role' | 'capabilities'>,
): string | null {
  const capability = approvalCapabilities(typeName, type).request;
  if (type.request.includes(actor.role) || holds(actor, capability)) return null;
  return `may not request a ${type.title}; ${whoMay(type.request, capability)} may.`;
}

/** Why an actor may not take a step now, or null when they may. */
export function stepRefusal(
  typeName: string,
  type: PackApproval,
  stepName: string,
  state: string,
  actor: ApprovalActor,
): string | null {
  const step = approvalSteps(type)[stepName];
  if (!step) return `"${stepName}" is not a step of ${type.title}`;
  if (!step.from.includes(state)) return `${step.title} is not possible while the request is ${state}`;
  const by = stepDeciders(type, step);
  const capability = stepCapability(typeName, type, step);
  if (!by.includes(actor.role) && !holds(actor, capability))
    return `Only ${whoMay(by, capability)} may ${step.title.toLowerCase()} a ${type.title}`;
  if (actor.isRequester) return 'Nobody decides their own request: another person must';
  return null;
}

/**
 * Whether a role may see requests of this type: those who may request it, decide it or take one
 * of its steps (by role or capability), and the type's `view` roles.
 */
export function canViewApprovals(
  typeName: string,
  type: PackApproval,
  actor: Pick<ApprovalActor, 'role' | 'capabilities'>,
): boolean {
  if (type.view.includes(actor.role) || type.decide.includes(actor.role)) return true;
  if (requestRefusal(typeName, type, actor) === null) return true;
  if (holds(actor, approvalCapabilities(typeName, type).decide)) return true;
  return Object.values(approvalSteps(type)).some(
    (s) => stepDeciders(type, s).includes(actor.role) || holds(actor, stepCapability(typeName, type, s)),
  );
}

export type FieldProblemLite = { field: string; problem: string };

const MONEY = /^\d+(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks a request's fields against the type: required ones present, values of the field's type,
 * choices among the options, no unknown fields. Each problem names the field (`fields.<name>`).
 */
export function validateApprovalFields(
  type: PackApproval,
  fields: Readonly<Record<string, unknown>>,
): FieldProblemLite[] {
  const problems: FieldProblemLite[] = [];
  for (const key of Object.keys(fields)) {
    if (!Object.hasOwn(type.fields, key))
      problems.push({ field: `fields.${key}`, problem: `is not a field of ${type.title}` });
  }
  for (const [name, def] of Object.entries(type.fields)) {
    const value = fields[name];
    const label = def.label ?? name;
    const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    if (blank) {
      if (def.required) problems.push({ field: `fields.${name}`, problem: `${label} is required` });
      continue;
    }
    const text = String(value).trim();
    const bad = (problem: string) =>
      problems.push({ field: `fields.${name}`, problem: `${label} ${problem}` });
    switch (def.type) {
      case 'number':
        if (typeof value === 'boolean' || !Number.isFinite(Number(text))) bad('must be a number');
        break;
      case 'money':
        if (!MONEY.test(text)) bad('must be an amount such as 25.00');
        break;
      case 'date':
        if (!DATE.test(text) || Number.isNaN(Date.parse(text))) bad('must be a date such as 2026-11-25');
        break;
      case 'boolean':
        if (typeof value !== 'boolean') bad('must be true or false');
        break;
      case 'choice':
        if (!(def.options ?? []).includes(text)) bad(`must be one of: ${(def.options ?? []).join(', ')}`);
        break;
      case 'url':
        if (!/^https?:\/\/\S+$/i.test(text)) bad('must be a link starting with http:// or https://');
        break;
      default:
        if (typeof value !== 'string') bad('must be text');
        else if (text.length > 10_000) bad('must be at most 10000 characters');
    }
  }
  return problems;
}

/** The deduplication key of a request: the type and its `dedupe` fields, normalised; null when not deduplicated. */
export function approvalDedupeKey(
  typeName: string,
  type: PackApproval,
  fields: Readonly<Record<string, unknown>>,
): string | null {
  if (!type.dedupe?.length) return null;
  const parts = type.dedupe.map((f) =>
    String(fields[f] ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim(),
  );
  return `${typeName}:${parts.join('|')}`;
}

/** What a card's move depends on: the approval requests linked to it. */
export type CardFacts = { approvals: { type: string; state: string }[] };

/** Why a card may not enter a column of the board, or null when it may. */
export function checkCardMove(board: PackBoard, column: string, facts: CardFacts): string | null {
  if (!board.columns.includes(column)) return `"${column}" is not a column of ${board.title}`;
  const condition = board.enter[column];
  if (!condition) return null;
  const met = facts.approvals.some(
    (a) => a.type === condition.approval && condition.states.includes(a.state),
  );
  if (met) return null;
  return (
    condition.message ??
    `A card enters "${column}" only once its ${condition.approval.replaceAll('_', ' ')} is ${condition.states.join(' or ')}`
  );
}
