import { type Action, advise, type Scenario } from '@casebook/core';
import { audit } from '../audit';
import { setPoStatus } from '../commands/setPoStatus';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { adviceOutcomes } from '../db/schema';
import { errors } from '../errors';
import { postNotification } from '../notifications/post';
import type { BrandAccess } from '../policies';
import { brandVendorSettings, packWithVendorSettings } from '../vendors/settings';
import {
  addAgentMessage,
  type BrandEnv,
  checkVersion,
  lockTicket,
  type TicketRow,
  updateTicket,
} from './commands';
import { recordEvent } from './events';
import { scheduleFollowUp } from './followUp';
import {
  applyMacro,
  caseValues,
  findMacro,
  loadTicketCase,
  type RenderedMacro,
  renderWith,
  type TicketCase,
} from './macros';

type Channel = NonNullable<Scenario['message']>['channel'];
type Sender = NonNullable<Scenario['message']>['from'];

/** Ticket channels in the contract's words; an integration's `api` ticket counts as a web form. */
const CHANNELS: Record<string, Channel> = {
  email: 'email',
  web_form: 'web_form',
  api: 'web_form',
  chat: 'chat',
  phone: 'phone',
  social: 'social',
  marketplace: 'marketplace',
};

/** Message authors in the contract's words. */
const SENDERS: Partial<Record<string, Sender>> = {
  customer: 'customer',
  vendor: 'vendor',
  supplier: 'supplier',
  carrier: 'courier',
};

/** The contract's scenario for a loaded case: what the SOP engine sees of the ticket. */
export function caseScenario(c: TicketCase, env: BrandEnv, role: string, now: Date): Scenario {
  const { ticket, message, customer } = c;
  return {
    id: `ticket-${ticket.number}`,
    pack: env.pack.manifest.id,
    now: now.toISOString(),
    actor: { role },
    ...(ticket.intentOverride ? { intent: ticket.intentOverride } : {}),
    ...(message
      ? {
          message: {
            channel: CHANNELS[ticket.channel] ?? 'email',
            from: SENDERS[message.authorType] ?? 'customer',
            subject: message.subject ?? ticket.subject,
            body: message.bodyText,
            receivedAt: message.createdAt.toISOString(),
            ...(ticket.channel === 'marketplace' && c.order ? { marketplace: c.order.order.channel } : {}),
          },
        }
      : {}),
    ...(customer
      ? {
          customer: {
            id: customer.id,
            ...(customer.name ? { name: customer.name } : {}),
            ...(customer.email ? { email: customer.email } : {}),
            storeCreditBalance: customer.storeCreditCents / 100,
          },
        }
      : {}),
    ...(c.scenarioOrder ? { order: c.scenarioOrder } : {}),
  };
}

/**
 * The advice contract's scenario built from a ticket's real data: its latest message from the
 * customer (or a vendor, supplier or carrier), the customer, the first linked order with its POs,
 * shipments and tracking, and the agent's intent override.
 */
export async function ticketScenario(
  db: Queryable,
  env: BrandEnv,
  ticket: TicketRow,
  role: string,
  now: Date,
): Promise<Scenario> {
  return caseScenario(await loadTicketCase(db, ticket), env, role, now);
}

/** An action the SOP wants done, with the rule behind it; `preview` fills a `send_macro`'s macro. */
export type AdvisedAction = {
  index: number;
  action: Action;
  rule: string;
  because: string;
  preview?: RenderedMacro;
};

/** An action the SOP wants but the caller's role may not do; `reason` names who may. */
export type BlockedAction = { index: number; action: Action; reason: string };

/**
 * The advice panel: the engine's result for the ticket, each action numbered (blocked actions are
 * numbered after the others) with its rule and reason, and the facts it was computed from.
 */
export type TicketAdvice = {
  pack: string;
  packVersion: string;
  intent: { name: string; title: string | null; confidence?: number; inferred: boolean; overridden: boolean };
  playbook: { id: string; title: string } | null;
  actions: AdvisedAction[];
  blocked: BlockedAction[];
  /** The scenario the engine was given. */
  scenario: Scenario;
  /** Where the scenario's facts come from. */
  sources: { messageId: string | null; orderId: string | null; poId: string | null };
};

/**
 * What the SOP requires next on a ticket, and why, computed from fresh data through the same
 * engine as the CLI and POST /advice. `role` is the caller's role in the brand.
 */
export async function ticketAdvice(
  db: Queryable,
  env: BrandEnv,
  ticket: TicketRow,
  role: { name: string; title: string; capabilities: Iterable<string> },
  now: Date,
  agent: { name: string } | null,
): Promise<TicketAdvice> {
  const [c, vendorSettings] = await Promise.all([
    loadTicketCase(db, ticket),
    brandVendorSettings(db, env.brandId),
  ]);
  // The brand's own vendor settings (vendor admin) override the pack's defaults.
  const brandEnv: BrandEnv = { ...env, pack: packWithVendorSettings(env.pack, vendorSettings) };
  const scenario = caseScenario(c, brandEnv, role.name, now);
  // The caller's own capabilities decide what is blocked, so brand-made roles are judged right too.
  const result = advise(brandEnv.pack, scenario, { title: role.title, capabilities: role.capabilities });
  const values = result.actions.some((a) => a.type === 'send_macro')
    ? caseValues(c, brandEnv.pack, agent)
    : {};
  const actions: AdvisedAction[] = [];
  for (const [index, action] of result.actions.entries()) {
    const why = result.explanation.find((e) => e.action === index);
    const entry: AdvisedAction = { index, action, rule: why?.rule ?? '', because: why?.because ?? '' };
    if (action.type === 'send_macro') {
      entry.preview = renderWith(await findMacro(db, env, String(action.macro)), values);
    }
    actions.push(entry);
  }
  const intent = result.intent;
  return {
    pack: result.pack,
    packVersion: result.packVersion,
    intent: {
      name: intent.name,
      title: env.pack.manifest.intents[intent.name]?.title ?? null,
      ...(intent.source === 'inferred' ? { confidence: intent.confidence } : {}),
      inferred: intent.source === 'inferred',
      overridden: Boolean(ticket.intentOverride),
    },
    playbook: result.playbook,
    actions,
    blocked: result.blocked.map((b, i) => ({
      index: result.actions.length + i,
      action: b.action,
      reason: b.reason,
    })),
    scenario,
    sources: {
      messageId: c.message?.id ?? null,
      orderId: c.order?.order.id ?? null,
      poId: c.po?.po.id ?? null,
    },
  };
}

/** Where the UI goes for an advised action Casebook does not carry out itself. */
const NEXT_VIEW: Partial<Record<Action['type'], string>> = {
  check: 'order',
  contact: 'reply',
  side_conversation: 'side_conversation',
  log_record: 'tracker',
  request_approval: 'approval',
  start_process: 'process',
  file_claim: 'claim',
  cancel: 'order',
  credit: 'order',
  move_card: 'board',
  notify: 'channel',
  inform: 'none',
};

/** Contacting the customer is a reply; anyone else is reached in a side conversation. */
const nextView = (action: Action) =>
  action.type === 'contact' && action.who !== 'customer'
    ? 'side_conversation'
    : (NEXT_VIEW[action.type] ?? 'none');

export type ApplyAdviceInput = {
  index: number;
  /** The rule the caller saw at `index`; a different one now means the advice changed (409). */
  rule?: string | undefined;
  version?: number | undefined;
  /** For `send_macro`: the agent's edited text. */
  body?: string | undefined;
};

export type ApplyAdviceResult =
  | { applied: true; type: Action['type']; rule: string }
  | { applied: false; type: Action['type']; rule: string; next: { view: string; action: Action } };

/**
 * Carries out one advised action on a ticket, in the caller's transaction, after recomputing the
 * advice from fresh data: `send_macro` (a reply, refused while a placeholder is unfilled),
 * `set_po_status` (on the case's PO, through the pack's guardrails), `escalate`, `follow_up`,
 * `add_note`, `categorize` and `notify` (a post to the pack's channel); each records a `followed` outcome. Other actions only tell the UI
 * what to open. A blocked action is forbidden (403 naming who may); a stale index is a conflict.
 */
export async function applyAdvice(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  env: BrandEnv,
  ticketId: string,
  author: { userId: string | null; name: string },
  input: ApplyAdviceInput,
): Promise<ApplyAdviceResult> {
  const ticket = await lockTicket(tx, env.brandId, ticketId);
  checkVersion(ticket, input.version);
  if (ticket.mergedIntoId)
    throw errors.conflict('This ticket was merged into another; work the other ticket.');
  const advice = await ticketAdvice(tx, env, ticket, access.role, ctx.now, author);
  const blocked = advice.blocked.find((b) => b.index === input.index);
  if (blocked) throw errors.forbidden(blocked.reason);
  const entry = advice.actions.find((a) => a.index === input.index);
  if (!entry) {
    throw errors.conflict('The advice changed since you loaded it: there is no such action now; reload it.', {
      current: advice.actions.map((a) => ({ index: a.index, rule: a.rule, type: a.action.type })),
    });
  }
  if (input.rule === undefined)
    throw errors.field('rule', 'is required: the rule of the action, as the advice showed it');
  if (input.rule !== entry.rule) {
    throw errors.conflict(
      `The advice changed since you loaded it: action ${entry.index} now comes from rule "${entry.rule}", not "${input.rule}"; reload it.`,
      { current: { index: entry.index, rule: entry.rule, action: entry.action } },
    );
  }
  const { action, rule } = entry;
  switch (action.type) {
    case 'send_macro':
      await applyMacro(tx, ctx, access, env, ticket.id, author, {
        macro: String(action.macro),
        body: input.body,
      });
      break;
    case 'set_po_status':
      if (!advice.sources.poId) throw errors.conflict('This ticket has no linked order with a PO to change.');
      await setPoStatus(tx, ctx, access, env.pack, advice.sources.poId, {
        status: String(action.status),
        reason: `SOP rule ${rule} on ticket #${ticket.number}`,
      });
      break;
    case 'escalate':
      await updateTicket(tx, ctx, env, ticket.id, { queue: String(action.queue) });
      break;
    case 'follow_up':
      await scheduleFollowUp(tx, ctx, env, ticket, String(action.after), rule);
      break;
    case 'add_note':
      await addAgentMessage(tx, ctx, env, ticket.id, author, {
        kind: 'note',
        body: typeof action.text === 'string' && action.text.trim() ? action.text : entry.because,
      });
      break;
    case 'categorize':
      await updateTicket(tx, ctx, env, ticket.id, { category: String(action.category) });
      break;
    case 'notify':
      await postNotification(
        tx,
        {
          brandId: env.brandId,
          channel: String(action.channel),
          template: 'advice',
          text: typeof action.text === 'string' && action.text.trim() ? action.text : entry.because,
          link: `/brands/${env.brandId}/tickets/${ticket.id}`,
        },
        { now: ctx.now, pack: env.pack },
      );
      break;
    default:
      return {
        applied: false,
        type: action.type,
        rule,
        next: { view: nextView(action), action },
      };
  }
  await recordOutcome(tx, ctx, ticket, { rule, intent: advice.intent.name, action, outcome: 'followed' });
  return { applied: true, type: action.type, rule };
}

/** Every rule id of the pack: its playbook steps and its PO guardrails. */
function packRules(env: BrandEnv): Set<string> {
  const rules = new Set<string>();
  for (const playbook of Object.values(env.pack.manifest.playbooks))
    for (const s of playbook.steps) rules.add(s.rule);
  for (const g of env.pack.manifest.purchaseOrders?.guardrails ?? []) rules.add(g.rule);
  return rules;
}

export type OverrideAdviceInput = {
  /** The intent the ticket is about, over the inferred one; null goes back to inference. */
  intent?: string | null | undefined;
  /** A rule whose advice the agent chose not to follow. */
  rule?: string | undefined;
  note?: string | undefined;
  version?: number | undefined;
};

/**
 * The agent goes another way than the advice: sets (or clears) the ticket's intent override, and/or
 * records an `overridden` outcome for a rule, with the action that rule advised and the agent's
 * note in the ticket's history.
 */
export async function overrideAdvice(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  env: BrandEnv,
  ticketId: string,
  author: { userId: string | null; name: string },
  input: OverrideAdviceInput,
): Promise<void> {
  let ticket = await lockTicket(tx, env.brandId, ticketId);
  checkVersion(ticket, input.version);
  const intents = env.pack.manifest.intents;
  if (input.intent && !Object.hasOwn(intents, input.intent)) {
    throw errors.field(
      'intent',
      `"${input.intent}" is not an intent of this brand's pack (${Object.keys(intents).join(', ')})`,
    );
  }
  if (input.rule !== undefined && !packRules(env).has(input.rule)) {
    throw errors.field('rule', `"${input.rule}" is not a rule of this brand's pack`);
  }
  if (input.rule !== undefined) {
    const before = await ticketAdvice(tx, env, ticket, access.role, ctx.now, author);
    const advised = before.actions.find((a) => a.rule === input.rule)?.action ?? null;
    await recordOutcome(tx, ctx, ticket, {
      rule: input.rule,
      intent: before.intent.name,
      action: advised,
      outcome: 'overridden',
    });
  }
  if (input.intent !== undefined) {
    ticket = await updateTicket(tx, ctx, env, ticket.id, { intentOverride: input.intent });
  }
  await recordEvent(tx, ctx, ticket, 'advice_overridden', {
    rule: input.rule ?? null,
    ...(input.intent === undefined ? {} : { intent: input.intent }),
    note: input.note ?? null,
  });
}

async function recordOutcome(
  tx: Queryable,
  ctx: RequestContext,
  ticket: TicketRow,
  outcome: { rule: string; intent: string; action: Action | null; outcome: 'followed' | 'overridden' },
): Promise<void> {
  await tx.insert(adviceOutcomes).values({
    brandId: ticket.brandId,
    ticketId: ticket.id,
    userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    rule: outcome.rule,
    intent: outcome.intent,
    action: outcome.action,
    outcome: outcome.outcome,
    at: ctx.now,
  });
  await audit(tx, ctx, {
    brandId: ticket.brandId,
    entityType: 'ticket',
    entityId: ticket.id,
    action: `advice_${outcome.outcome}`,
    after: { rule: outcome.rule, intent: outcome.intent, action: outcome.action },
  });
  if (outcome.outcome === 'followed') {
    await recordEvent(tx, ctx, ticket, 'advice_followed', {
      rule: outcome.rule,
      type: outcome.action?.type ?? null,
    });
  }
}
