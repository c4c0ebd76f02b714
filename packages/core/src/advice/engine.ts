import { refundKindOfCredit } from '../money';
import type { Pack } from '../packs/load';
import type { PackPlaybook, PackStep } from '../packs/schema';
import type { Scenario } from '../scenario';
import { type BusinessCalendar, formatDate } from '../time';
import type { Action } from './actions';
import { deriveFacts, type Facts, type VendorPolicy } from './facts';

export type AdviceResult = {
  scenario?: string;
  pack: string;
  packVersion: string;
  intent: { name: string; confidence: number; source: 'given' | 'inferred' };
  playbook: { id: string; title: string } | null;
  actions: Action[];
  blocked: { action: Action; reason: string }[];
  explanation: { action: number; rule: string; because: string }[];
};

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The brand calendar of a pack, in the form time arithmetic wants. */
export function packCalendar(pack: Pack): BusinessCalendar {
  const c = pack.manifest.calendar;
  return {
    timezone: c.timezone,
    businessDays: c.businessDays.map((d) => WEEKDAYS.indexOf(d) + 1),
    holidays: c.holidays,
  };
}

/** The pack's policy for a vendor: its own entry over the pack's defaults. */
export function vendorPolicy(pack: Pack, vendor: string): { known: boolean; policy: VendorPolicy } {
  const vendors = pack.manifest.vendors;
  const fallback: VendorPolicy = {
    addressChangeAllowed: true,
    cancelWholeOrderWhenSkuOutOfStock: false,
    cancelVia: 'side_conversation',
    processingDays: { min: 0, max: 0 },
  };
  if (!vendors) return { known: false, policy: fallback };
  const entry = Object.entries(vendors.list).find(
    ([name]) => name.toLowerCase() === vendor.toLowerCase(),
  )?.[1];
  return { known: Boolean(entry), policy: { ...vendors.defaults, ...entry } as VendorPolicy };
}

/** The intent of a case: the given one, else the classifier's, else `unknown` below the pack's threshold. */
export function inferIntent(pack: Pack, scenario: Scenario): AdviceResult['intent'] {
  if (scenario.intent) return { name: scenario.intent, confidence: 1, source: 'given' };
  const message = scenario.message;
  if (!message) return { name: 'unknown', confidence: 0, source: 'inferred' };
  const prediction = pack.classifier.predict(`${message.subject ?? ''} ${message.body}`, {
    from: message.from,
    channel: message.channel,
  });
  const confident = prediction.confidence >= pack.manifest.intentThreshold;
  return {
    name: confident ? prediction.intent : 'unknown',
    confidence: Math.round(prediction.confidence * 1000) / 1000,
    source: 'inferred',
  };
}

/**
 * What the SOP requires next for a case, and why. Pure and deterministic: the same pack and
 * scenario give the same result; time comes only from `scenario.now`.
 */
/**
 * Who the advice is for, when the caller knows more than the scenario's pack role name: a
 * brand-made role has its own title and capabilities, which decide what is blocked.
 */
export type AdviceActor = { title: string; capabilities: Iterable<string> };

export function advise(pack: Pack, scenario: Scenario, actor?: AdviceActor): AdviceResult {
  return trace(pack, scenario, actor).result;
}

/** The advice together with the rules that applied (including those whose actions were all blocked). */
export function trace(
  pack: Pack,
  scenario: Scenario,
  actor?: AdviceActor,
): { result: AdviceResult; applied: string[] } {
  const applied: string[] = [];
  const now = new Date(scenario.now);
  const intent = inferIntent(pack, scenario);
  const facts = deriveFacts(scenario, now, intent.name, packCalendar(pack), (v) => vendorPolicy(pack, v));
  const result: AdviceResult = {
    ...(scenario.id ? { scenario: scenario.id } : {}),
    pack: pack.manifest.id,
    packVersion: pack.manifest.version,
    intent,
    playbook: null,
    actions: [],
    blocked: [],
    explanation: [],
  };

  const holds = (expression: string | undefined) =>
    expression === undefined || pack.conditions.get(expression)!.evaluate(facts);
  const entry = playbooksFor(pack, intent.name).find(([, p]) => holds(p.when));
  if (!entry) return { result, applied };
  const [playbookId, playbook] = entry;
  result.playbook = { id: playbookId, title: playbook.title };

  const role = scenario.actor?.role ?? 'agent';
  const held = new Set<string>(actor ? actor.capabilities : (pack.manifest.roles[role]?.capabilities ?? []));
  const roleTitle = actor?.title ?? pack.manifest.roles[role]?.title ?? role;
  const guardrails = pack.manifest.purchaseOrders?.guardrails ?? [];
  const refundGuardrails = pack.manifest.refunds?.guardrails ?? [];
  const ctx = renderContext(scenario, facts, now, pack);

  for (const step of playbook.steps) {
    if (!holds(step.when)) continue;
    applied.push(step.rule);
    const because = explain(step.because, step.when, pack, facts);
    for (const prepared of preparedActions(pack, step)) {
      const { requires } = prepared;
      const action = prepared.templated ? render(prepared.action, ctx) : prepared.action;
      const broken =
        action.type === 'set_po_status'
          ? guardrails.find((g) => g.to === action.status && !holds(g.require))
          : action.type === 'credit'
            ? refundGuardrails.find(
                (g) => g.kinds.includes(refundKindOfCredit(String(action.basis))) && !holds(g.require),
              )
            : undefined;
      if (broken) {
        applied.push(broken.rule);
        result.explanation.push({
          action: result.actions.length,
          rule: broken.rule,
          because: explain(broken.message, broken.require, pack, facts),
        });
        result.actions.push({ type: 'inform', text: `Not yet: ${broken.message}` });
        continue;
      }
      if (requires !== undefined && !held.has(String(requires) as never)) {
        result.blocked.push({
          action: { ...action },
          reason: blockedReason(pack, roleTitle, String(requires)),
        });
        continue;
      }
      result.explanation.push({ action: result.actions.length, rule: step.rule, because });
      result.actions.push(prepared.templated ? action : { ...action });
    }
    if (step.stop) break;
  }
  return { result, applied };
}

type PreparedAction = { action: Action; requires: string | undefined; templated: boolean };
const prepared = new WeakMap<PackStep, PreparedAction[]>();
const byIntent = new WeakMap<Pack, Map<string, [string, PackPlaybook][]>>();

/** The playbooks of an intent, in file order; computed once per pack. */
function playbooksFor(pack: Pack, intent: string): [string, PackPlaybook][] {
  let index = byIntent.get(pack);
  if (!index) {
    index = new Map();
    for (const entry of Object.entries(pack.manifest.playbooks)) {
      for (const name of entry[1].intents) index.set(name, [...(index.get(name) ?? []), entry]);
    }
    byIntent.set(pack, index);
  }
  return index.get(intent) ?? [];
}

/**
 * A step's actions as the engine returns them, with `requires` taken out (a named process that
 * only some roles run carries its requirement to every step that starts it); computed once per step.
 */
function preparedActions(pack: Pack, step: PackStep): PreparedAction[] {
  let list = prepared.get(step);
  if (!list) {
    list = step.do.map((packAction) => {
      const { requires: own, ...rest } = packAction;
      const requires =
        own ??
        (packAction.type === 'start_process'
          ? pack.manifest.processes[String(packAction.process)]?.requires
          : undefined);
      const templated = Object.values(rest).some((v) => typeof v === 'string' && v.includes('{{'));
      return {
        action: rest as Action,
        requires: requires === undefined ? undefined : String(requires),
        templated,
      };
    });
    prepared.set(step, list);
  }
  return list;
}

function blockedReason(pack: Pack, title: string, capability: string): string {
  const holders = Object.entries(pack.manifest.roles)
    .filter(([, r]) => (r.capabilities as string[]).includes(capability))
    .map(([name, r]) => `${r.title} (${name})`);
  return `${title} may not do this (needs "${capability}"); ${holders.length ? `done by: ${holders.join(', ')}` : 'no role of this pack may'}.`;
}

/** The rule's reason with the fact values its condition read, so an agent sees why it applies. */
function explain(because: string, when: string | undefined, pack: Pack, facts: Facts): string {
  if (!when) return because;
  const reads = pack.conditions.get(when)?.reads ?? [];
  if (reads.length === 0) return because;
  const values = reads.map((path) => `${path} = ${JSON.stringify(readFact(facts, path))}`);
  return `${because} (${values.join(', ')})`;
}

function readFact(facts: Facts, path: string): unknown {
  let value: unknown = facts;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  if (typeof value === 'bigint') return Number(value);
  return typeof value === 'number' ? Math.round(value * 100) / 100 : value;
}

type RenderContext = { facts: Facts; now: Date; timezone: string };

function renderContext(_scenario: Scenario, facts: Facts, now: Date, pack: Pack): RenderContext {
  return { facts, now, timezone: pack.manifest.calendar.timezone };
}

/** Fills `{{fact.path}}` and `{{today:DD-MM-YYYY}}` placeholders in an action's text values. */
function render(action: Action, ctx: RenderContext): Action {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(action)) {
    out[key] =
      typeof value === 'string' && value.includes('{{')
        ? value.replace(/\{\{\s*([\w.]+)(?::([^}]+))?\s*\}\}/g, (_, path: string, format?: string) =>
            path === 'today'
              ? formatDate(ctx.now, (format ?? 'YYYY-MM-DD').trim(), ctx.timezone)
              : String(readFact(ctx.facts, path) ?? ''),
          )
        : value;
  }
  return out as Action;
}
