import { z } from 'zod';

/**
 * The closed action vocabulary of the advice contract. Each type lists the keys it must carry and
 * the values they may take; a pack may add keys of its own (strings, numbers, booleans), never new
 * types or new meanings.
 */
export const ACTION_KEYS = {
  check: {
    what: [
      'tracking_status',
      'claim_eligibility',
      'po_refunded',
      'canceled_pos_skus',
      'address',
      'vendor_cancel_option',
      'proof_of_purchase',
    ],
  },
  send_macro: { macro: null },
  contact: {
    who: ['customer', 'vendor', 'supplier', 'approver', 'leadership', 'carrier'],
    purpose: [
      'address_confirmation',
      'pickup_instructions',
      'support_details',
      'proof_of_purchase',
      'shipment_confirmation',
      'resolution',
      'feedback',
      'payment',
    ],
  },
  side_conversation: { with: ['vendor', 'supplier', 'carrier'] },
  set_po_status: { status: null },
  escalate: { queue: null },
  add_note: { on: ['ticket', 'po', 'order', 'card'] },
  log_record: {
    record: [
      'out_of_stock',
      'processing_delay',
      'request',
      'item_issue',
      'incorrect_address',
      'pickup_rts',
      'incident',
      'chargeback',
      'fraud_risk',
      'refund',
      'reshipment',
      'store_credit',
      'carrier_claim',
      'bug_report',
    ],
  },
  request_approval: {
    approval: [
      'hper',
      'store_credit_removal',
      'mrr',
      'proof_of_purchase',
      'rma',
      'bug_report',
      'coupon_codes',
    ],
  },
  start_process: { process: null },
  file_claim: { with: ['carrier', 'vendor'] },
  cancel: { scope: ['order', 'po', 'items'] },
  credit: { basis: ['item_cost', 'shipping_cost', 'order_total'] },
  follow_up: { after: null },
  move_card: { column: null },
  notify: { channel: null },
  categorize: { category: null },
  inform: { text: null },
} as const satisfies Record<string, Record<string, readonly string[] | null>>;

export type ActionType = keyof typeof ACTION_KEYS;
export const ACTION_TYPES = Object.keys(ACTION_KEYS) as ActionType[];

/** An action as the engine returns it: `{ type, ...keys }`. */
export type Action = { type: ActionType } & Record<string, string | number | boolean>;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** An action in a pack: the contract's keys, checked per type, plus `requires` (a capability). */
export const packActionSchema = z
  .object({ type: z.enum(ACTION_TYPES, { error: `must be one of: ${ACTION_TYPES.join(', ')}` }) })
  .catchall(scalar)
  .superRefine((action, ctx) => {
    const keys = ACTION_KEYS[action.type as ActionType];
    if (!keys) return;
    for (const [key, allowed] of Object.entries(keys)) {
      const value = action[key];
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `a ${action.type} action needs "${key}"` });
      } else if (allowed && !(allowed as readonly string[]).includes(String(value))) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `"${value}" is not a ${action.type} ${key}; use one of: ${allowed.join(', ')}`,
        });
      }
    }
    const purpose = action.purpose;
    if (action.type === 'side_conversation' && purpose !== undefined) {
      const purposes: readonly string[] = ACTION_KEYS.contact.purpose;
      if (!purposes.includes(String(purpose))) {
        ctx.addIssue({
          code: 'custom',
          path: ['purpose'],
          message: `"${purpose}" is not a purpose; use one of: ${purposes.join(', ')}`,
        });
      }
    }
  });

export type PackAction = z.infer<typeof packActionSchema>;

const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2212]/g;
const QUOTES: [RegExp, string][] = [
  [/[\u2018\u2019\u201A\u201B]/g, "'"],
  [/[\u201C\u201D\u201E\u201F]/g, '"'],
];

/** The contract's normalisation for matching: case folded, dashes and quotes straightened, spaces collapsed. */
export function normalize(value: string | number | boolean): string {
  let s = String(value).toLowerCase().replace(DASHES, '-');
  for (const [re, to] of QUOTES) s = s.replace(re, to);
  return s.replace(/\s+/g, ' ').trim();
}

/** Whether a matcher `{ type, ...keys }` matches an action, per the contract. */
export function matches(matcher: { type: string } & Record<string, unknown>, action: Action): boolean {
  if (matcher.type !== action.type) return false;
  for (const [key, value] of Object.entries(matcher)) {
    if (key === 'type') continue;
    const actual = action[key];
    if (actual === undefined || normalize(actual) !== normalize(value as string)) return false;
  }
  return true;
}
