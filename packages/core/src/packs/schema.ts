import { z } from 'zod';
import { packActionSchema } from '../advice/actions';
import { CAPABILITY_NAMES } from '../capabilities';
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

const trackerSchema = z.strictObject({
  title: text,
  description: z.string().optional(),
  fields: z.record(name, fieldSchema),
  states: z.array(text).min(2),
  log: roleList,
  read: roleList,
  resolve: roleList,
  source,
});

const boardSchema = z.strictObject({
  title: text,
  columns: z.array(text).min(2),
  source,
});

const channelSchema = z.strictObject({ title: z.string().optional(), description: text, source });

const categorySchema = z.strictObject({ description: text, source: source.optional() });

const approvalSchema = z.strictObject({
  title: text,
  description: z.string().optional(),
  request: roleList,
  decide: roleList,
  fields: z.record(name, fieldSchema).default({}),
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
  quiz: quizSchema.optional(),
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
