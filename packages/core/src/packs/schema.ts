import { z } from 'zod';
import { packActionSchema } from '../advice/actions';
import { CAPABILITY_NAMES } from '../capabilities';
import { REFUND_KINDS, WARRANTY_CLAIM_REASONS } from '../money';
import { PO_STATUSES } from '../scenario';
import { STATUS_CATEGORIES } from '../tickets';

/**
 * The SOP pack format. A pack is a folder of YAML files; their top-level keys together form one
 * document validated by `packSchema`. `pack.yaml` holds the identity, calendar and roles; other
 * files hold the rest (intents.yaml, playbooks.yaml, macros.yaml, ...), each key in one file only.
 */

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, starting with a letter');
const name = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and _');
const text = z.string().min(1, 'must not be empty');
/** Where a rule comes from: the seed sentence, quoted, or "author's choice: why". */
const source = text;
const isoDuration = z
  .string()
  .regex(
    /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/,
    'must be an ISO 8601 duration such as PT24H or P7D',
  );
const expression = z.string().min(1, 'must not be empty');
const roleList = z.array(name).min(1, 'must name at least one role');

export const packRoleSchema = z.strictObject({
  title: text,
  description: z.string().optional(),
  /** External users (a supplier's staff) see only what is assigned to their company. */
  external: z.boolean().default(false),
  capabilities: z.array(z.enum(CAPABILITY_NAMES, { error: 'is not a known capability' })).default([]),
});

const calendarSchema = z.strictObject({
  timezone: z.string().default('UTC'),
  businessDays: z
    .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
    .default(['mon', 'tue', 'wed', 'thu', 'fri']),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')).default([]),
});

const intentSchema = z.strictObject({
  title: text,
  description: z.string().optional(),
  /** Customer (or vendor, supplier...) phrasings the intent classifier learns from. */
  examples: z.array(text).min(3, 'needs at least 3 example phrasings'),
  /** Who sends messages of this intent; the classifier uses it as a feature. */
  from: z
    .array(z.enum(['customer', 'vendor', 'supplier', 'courier', 'warehouse', 'staff']))
    .default(['customer']),
});

const stepSchema = z.strictObject({
  /** A stable id, unique in the pack, that explanations, coverage and SOURCES.md refer to. */
  rule: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be lower-case letters, digits, dots and dashes'),
  /** A condition over the facts; the step applies when it holds. Omitted: always. */
  when: expression.optional(),
  do: z.array(packActionSchema).min(1, 'a step needs at least one action'),
  because: text,
  source,
  /** Stop the playbook after this step when it applied. */
  stop: z.boolean().default(false),
});

const playbookSchema = z.strictObject({
  title: text,
  intents: z.array(z.string()).min(1),
  /** Picks this playbook over others for the same intent when it holds; tried in file order. */
  when: expression.optional(),
  steps: z.array(stepSchema).min(1),
});

const macroSchema = z.strictObject({
  title: z.string().optional(),
  /** The reply text, with placeholders like {{customer.firstName}} or {{order.id}}. */
  body: text,
  source,
});

const vendorPolicySchema = z.strictObject({
  addressChangeAllowed: z.boolean(),
  cancelWholeOrderWhenSkuOutOfStock: z.boolean(),
  /** How a cancellation reaches the vendor: a side conversation, or the vendor's own portal. */
  cancelVia: z.enum(['side_conversation', 'portal']),
  processingDays: z.strictObject({ min: z.number().min(0), max: z.number().min(0) }),
  freight: z.boolean().default(false),
  contactEmail: z.email().optional(),
  source: source.optional(),
});

const vendorsSchema = z.strictObject({
  defaults: vendorPolicySchema,
  list: z.record(z.string(), vendorPolicySchema.partial().extend({ source: source.optional() })).default({}),
});

const queueSchema = z.strictObject({
  title: text,
  kind: z.enum(['queue', 'escalation']),
  description: z.string().optional(),
  source: source.optional(),
});

const processSchema = z.strictObject({
  title: text,
  steps: z.array(text).min(1),
  /** Only roles holding this capability run the process; others see who can. */
  requires: z.enum(CAPABILITY_NAMES).optional(),
  source,
});

const guardrailSchema = z.strictObject({
  rule: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  /** The status the guardrail protects. */
  to: z.enum(PO_STATUSES),
  /** What must hold (over the facts) for the change to be allowed. */
  require: expression,
  message: text,
  source,
});

const purchaseOrdersSchema = z.strictObject({
  statuses: z.array(z.enum(PO_STATUSES)).min(1),
  transitions: z.partialRecord(z.enum(PO_STATUSES), z.array(z.enum(PO_STATUSES))),
  guardrails: z.array(guardrailSchema).default([]),
  source: source.optional(),
});

// Money: refund guardrails and warranty plans (see money.ts).
const refundGuardrailSchema = z.strictObject({
  rule: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  /** The refund kinds the guardrail applies to. */
  kinds: z.array(z.enum(REFUND_KINDS)).min(1, 'must name at least one refund kind'),
  /** What must hold (over the facts of each PO the refund touches) for the refund to be allowed. */
  require: expression,
  message: text,
  source,
});

const refundsSchema = z.strictObject({
  guardrails: z.array(refundGuardrailSchema).default([]),
  source: source.optional(),
});

const warrantyPlanSchema = z.strictObject({
  title: text,
  /** What the plan covers, in words shown with a refused claim. */
  covers: text,
  /** The manufacturer's warranty, in months from purchase, when the item's own is not given. */
  manufacturerMonths: z.number().int().min(0).default(12),
  /** Months the plan adds after the manufacturer's warranty ends. */
  extendsManufacturerMonths: z.number().int().min(0),
  /** Claim reasons the plan does not cover; such a claim is refused. */
  excludes: z.array(z.enum(WARRANTY_CLAIM_REASONS)).default([]),
  source,
});

const ticketStatusSchema = z.strictObject({
  title: text,
  /** What the status means to SLA clocks and lists, whatever the pack calls it. */
  category: z.enum(STATUS_CATEGORIES, { error: `must be one of: ${STATUS_CATEGORIES.join(', ')}` }),
  description: z.string().optional(),
});

const ticketsSchema = z.strictObject({
  statuses: z.record(name, ticketStatusSchema),
  /** The status of a new ticket; omitted: the first status of category open. */
  initial: name.optional(),
  /** The statuses each status may move to; omitted: the default rule by category (see tickets.ts). */
  transitions: z.partialRecord(name, z.array(name)).optional(),
  source: source.optional(),
});

const fieldSchema = z.strictObject({
  type: z.enum([
    'text',
    'long_text',
    'number',
    'money',
    'date',
    'boolean',
    'choice',
    'url',
    'sku',
    'order',
    'po',
  ]),
  required: z.boolean().default(false),
  options: z.array(z.string()).optional(),
  label: z.string().optional(),
});

/**
 * Raises a record of this type by itself when `count` records of type `from` with the same values
 * of the `match` fields are logged within `within` (by the records' own time). `fill` gives the new
 * record's field values; in text, `{summary}` is what matched and `{records}` lists the records.
 */
const trackerTrendSchema = z.strictObject({
  from: name,
  match: z.array(name).min(1, 'must name at least one field'),
  count: z.int().min(2, 'must be at least 2'),
  within: isoDuration,
  fill: z.record(name, z.union([z.string(), z.number(), z.boolean()])).default({}),
  source,
});

const trackerSchema = z
  .strictObject({
    title: text,
    description: z.string().optional(),
    fields: z.record(name, fieldSchema),
    states: z.array(text).min(2),
    /** The states each state may move to; omitted: any state may move to any other. */
    transitions: z.record(text, z.array(text)).optional(),
    /** States where the record needs nothing more; omitted: the last state. */
    final: z.array(text).optional(),
    /** Roles that log new records, see them, and move them between states (resolve). */
    log: roleList,
    read: roleList,
    resolve: roleList,
    /**
     * A post to a channel of the pack for every new record: the channel's template by name, with
     * the record's fields and `type`, `number`, `state`, `by` as placeholders.
     */
    notify: z.strictObject({ channel: text, template: name }).optional(),
    trend: trackerTrendSchema.optional(),
    source,
  })
  .superRefine((tracker, ctx) => {
    const states = new Set(tracker.states);
    const checkState = (state: string, path: (string | number)[]) => {
      if (!states.has(state))
        ctx.addIssue({ code: 'custom', path, message: `"${state}" is not one of the states` });
    };
    for (const [from, tos] of Object.entries(tracker.transitions ?? {})) {
      checkState(from, ['transitions', from]);
      tos.forEach((to, i) => {
        checkState(to, ['transitions', from, i]);
      });
    }
    tracker.final?.forEach((state, i) => {
      checkState(state, ['final', i]);
    });
    for (const key of ['log', 'resolve'] as const) {
      tracker[key].forEach((role, i) => {
        if (!tracker.read.includes(role))
          ctx.addIssue({ code: 'custom', path: [key, i], message: `"${role}" must also be in read` });
      });
    }
    for (const [field, def] of Object.entries(tracker.fields)) {
      if (def.type === 'choice' && !def.options?.length)
        ctx.addIssue({
          code: 'custom',
          path: ['fields', field, 'options'],
          message: 'a choice needs options',
        });
    }
  });

/**
 * A condition a card must meet to enter a column: the card's linked approval request (of `approval`
 * type) is in one of `states`. Evaluated by `checkCardMove`.
 */
const cardConditionSchema = z.strictObject({
  approval: name,
  states: z.array(name).min(1),
  /** Shown when the move is refused. */
  message: z.string().optional(),
});

const boardSchema = z.strictObject({
  title: text,
  columns: z.array(text).min(2),
  /** Conditions to enter a column (key: the column). */
  enter: z.record(text, cardConditionSchema).default({}),
  /**
   * Timers started when a card enters a column (key: the column). When one runs out and the card
   * is still there, `comment` is written on the card (`{{today:DD-MM-YYYY}}` is the day it ran
   * out), `post` goes to a channel, and `then` starts the next timer.
   */
  timers: z
    .record(
      text,
      z.strictObject({
        timer: name,
        /**
         * A macro sent as a reply on the card's ticket when the timer runs out (the reminder
         * email); `{{tradeIn.vNumber}}`, `{{tradeIn.sNumber}}` and `{{tradeIn.product}}` come from
         * the card's refs `v_number`, `s_number` and `product`.
         */
        reply: z.strictObject({ macro: text }).optional(),
        comment: z.string().optional(),
        post: z.strictObject({ channel: text, template: name }).optional(),
        // biome-ignore lint/suspicious/noThenProperty: a key of the pack's YAML, never awaited
        then: name.optional(),
        thenComment: z.string().optional(),
        thenPost: z.strictObject({ channel: text, template: name }).optional(),
      }),
    )
    .default({}),
  source,
});

const channelSchema = z.strictObject({
  title: z.string().optional(),
  description: text,
  /** Roles that see the channel's posts in the app; omitted: every member of the brand. */
  notify: roleList.optional(),
  /** Messages posted to the channel, by name: `{{field}}` placeholders, `{{today:DD-MM-YYYY}}`. */
  templates: z.record(name, text).default({}),
  source,
});

const categorySchema = z.strictObject({ description: text, source: source.optional() });

/** What follows a decision, in the decision's transaction. */
const approvalFollowOnSchema = z.union([
  /** Another request that follows from this one (an MRR after a store credit removal). */
  z.strictObject({
    request: name,
    /** The new request's fields: `{{field}}` of this request. */
    fields: z.record(name, z.string()).default({}),
  }),
  /** A post to one of the pack's channels with the request's fields as placeholders. */
  z.strictObject({ post: z.strictObject({ channel: text, template: name }) }),
  /**
   * Logs a record of one of the pack's trackers (the Bugs reports record of a filed bug report),
   * its fields from `{{field}}` of the request; a field that renders empty is left out.
   */
  z.strictObject({
    logRecord: z.strictObject({ tracker: name, fields: z.record(name, z.string()).default({}) }),
  }),
  /** Moves the board cards linked to the request to a column (the column's conditions apply). */
  z.strictObject({ moveCard: z.strictObject({ board: z.string(), column: text }) }),
  /** Freezes the store credit of the request's customer (its ticket's, else its order's). */
  z.strictObject({ freezeStoreCredit: z.literal(true) }),
  /**
   * Carries out the store credit removal this request follows from: removes its amount from the
   * customer's store credit and releases the freeze (an MRR processed after a removal).
   */
  z.strictObject({ removeStoreCredit: z.literal(true) }),
]);

/** A step that moves a request from some states to another, taken by `by` (default: `decide`). */
export const approvalStepSchema = z.strictObject({
  title: text,
  from: z.array(name).min(1),
  to: name,
  by: roleList.optional(),
  /**
   * A capability that also lets a role take the step (a brand's custom role holding it). Default:
   * the type's decide capability for steps taken by the deciders, none for steps with their own `by`.
   */
  requires: z.enum(CAPABILITY_NAMES, { error: 'is not a known capability' }).optional(),
  /** Whether the step needs a note (a reason for a denial, the lead's note on an MRR). */
  note: z.enum(['required', 'optional']).default('optional'),
  // biome-ignore lint/suspicious/noThenProperty: a key of the pack's YAML, never awaited
  then: z.array(approvalFollowOnSchema).default([]),
  /** Shown to the requester once the step is taken (e.g. "10-15 business days"). */
  notice: z.string().optional(),
});

const approvalSchema = z.strictObject({
  title: text,
  description: z.string().optional(),
  request: roleList,
  decide: roleList,
  /**
   * Capabilities that let a role request or decide besides the roles named above (a brand's custom
   * roles). Default: `approval.file.<type>` and `approval.decide.<type>` when the catalogue has them.
   */
  capabilities: z
    .strictObject({
      request: z.enum(CAPABILITY_NAMES, { error: 'is not a known capability' }).optional(),
      decide: z.enum(CAPABILITY_NAMES, { error: 'is not a known capability' }).optional(),
    })
    .optional(),
  /** Roles that may see the requests besides requesters and deciders (ASL and SA on MRRs). */
  view: z.array(name).default([]),
  fields: z.record(name, fieldSchema).default({}),
  /** The request's states; the first is where a new request starts. */
  states: z.array(name).min(2).default(['requested', 'approved', 'denied']),
  /** States a request is open in (deduplication looks at these); default the first. */
  open: z.array(name).optional(),
  /** Default: approve (note optional) and deny (reason required) from the first state. */
  steps: z.record(name, approvalStepSchema).optional(),
  /** Fields whose values identify a request: a second open one with the same values is refused. */
  dedupe: z.array(name).optional(),
  /** Shown to the requester when filing (e.g. how long the removal takes). */
  notice: z.string().optional(),
  /** A pool of codes this type refills (coupon codes): leads are told when it runs low. */
  pool: z
    .strictObject({
      lowAt: z.number().int().nonnegative(),
      post: z.strictObject({ channel: text, template: name }).optional(),
    })
    .optional(),
  source,
});

/**
 * The brand's cancellation window: roles with `order.cancel` cancel an order themselves within
 * `window` of it being placed; after that only an `exception` request for the order in one of its
 * `states` (an approved HPER) allows it. Packs without it have no window.
 */
const cancellationSchema = z.strictObject({
  window: isoDuration,
  /** The rule a refused cancellation names (`details.rule` of the 422). */
  rule: text,
  exception: z.strictObject({
    approval: name,
    /** The request's field holding the order number. */
    field: name,
    states: z.array(name).min(1),
  }),
  /** Why it is refused and what to do instead (file the exception). */
  message: text,
  source,
});

const timerSchema = z.strictObject({ after: isoDuration, description: text, source });

const quizSchema = z.strictObject({
  categories: z.array(text).min(1),
  questions: z.array(
    z.strictObject({
      category: text,
      points: z.number().int().positive(),
      question: text,
      answer: text,
      /** The rule of the pack the question trains, when there is one. */
      rule: z.string().optional(),
    }),
  ),
});

export const packSchema = z.strictObject({
  id: slug,
  name: text,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 1.0.0'),
  description: text,
  /** The seed document the pack is built from. */
  source: text,
  calendar: calendarSchema.default({
    timezone: 'UTC',
    businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    holidays: [],
  }),
  /** Below this confidence the inferred intent is `unknown` and the agent is asked. */
  intentThreshold: z.number().min(0).max(1).default(0.5),
  roles: z
    .record(name, packRoleSchema)
    .refine((roles) => 'admin' in roles, 'a pack must define an admin role')
    .refine((roles) => 'agent' in roles, 'a pack must define an agent role'),
  intents: z.record(name, intentSchema).default({}),
  playbooks: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), playbookSchema).default({}),
  macros: z.record(text, macroSchema).default({}),
  vendors: vendorsSchema.optional(),
  queues: z.record(text, queueSchema).default({}),
  processes: z.record(text, processSchema).default({}),
  purchaseOrders: purchaseOrdersSchema.optional(),
  /** Ticket statuses; omitted: `DEFAULT_TICKET_STATUSES`. */
  tickets: ticketsSchema.optional(),
  timers: z.record(name, timerSchema).default({}),
  trackers: z.record(name, trackerSchema).default({}),
  boards: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), boardSchema).default({}),
  channels: z.record(text, channelSchema).default({}),
  categories: z.record(text, categorySchema).default({}),
  approvals: z.record(name, approvalSchema).default({}),
  cancellation: cancellationSchema.optional(),
  /** Rules a refund must keep (e.g. what a returned-to-sender order may be refunded). */
  refunds: refundsSchema.optional(),
  /** Warranty plans sold with items, by the name the store sells them under. */
  warrantyPlans: z.record(text, warrantyPlanSchema).default({}),
  quiz: quizSchema.optional(),
  /**
   * Optional: the pack's own jargon for Ask the SOP, a term → the other words agents use for it
   * (`HPER: [high priority exception request]`). Added to the support lexicon in core.
   */
  glossary: z.record(text, z.array(text)).optional(),
});

export type PackDefinition = z.infer<typeof packSchema>;
export type PackManifest = PackDefinition;
export type PackRole = z.infer<typeof packRoleSchema>;
export type PackStep = z.infer<typeof stepSchema>;
export type PackPlaybook = z.infer<typeof playbookSchema>;
export type VendorPolicyDefinition = z.infer<typeof vendorPolicySchema>;
export type PackTickets = z.infer<typeof ticketsSchema>;
export type PackTicketStatus = z.infer<typeof ticketStatusSchema>;
export type PackCalendar = PackDefinition['calendar'];
export type PackApproval = z.infer<typeof approvalSchema>;
export type PackApprovalStep = z.infer<typeof approvalStepSchema>;
export type PackApprovalFollowOn = z.infer<typeof approvalFollowOnSchema>;
export type PackBoard = z.infer<typeof boardSchema>;
export type PackCancellation = z.infer<typeof cancellationSchema>;
export type PackChannel = z.infer<typeof channelSchema>;
