/**
 * The closed catalogue of capabilities. A role (defined by a brand's SOP pack, or by a brand admin)
 * is a named set of these; every route checks one of them through the server's policy layer.
 *
 * A capability is added here in the same change as the route or rule that enforces it, so every
 * name in this list is enforced somewhere and has a refusal test.
 */
export const CAPABILITIES = {
  'brand.settings.manage': 'Change the brand’s name and settings.',
  'members.manage': 'Add people to the brand, change their role, remove them.',
  'roles.manage': 'Create, change and delete the brand’s custom roles.',
  'api_tokens.manage': 'Create and revoke the brand’s API tokens for integrations.',
  'audit.read': 'Read the brand’s audit log.',
  'orders.import': 'Create orders with their purchase orders (integrations, imports).',
  'shipments.manage': 'Add shipments with tracking numbers to purchase orders.',
  'tickets.work':
    'See and work the brand’s tickets: reply, note, change status, assign, merge, side conversations.',
  'helpdesk.manage': 'Configure the helpdesk: macros, queues, SLA policies, shared views and email.',
  'training.take':
    'Play the brand’s training quizzes, see one’s own scores and certification, and ask the SOP.',
  'training.manage':
    'Lead training: see everyone’s scores, override a judged answer, and require certification before agents work the brand’s tickets.',
  'worklog.log':
    'Log one’s own work: the automatic time on tickets, the start/stop timer and manual entries, and correct them before they are locked.',
  'worklog.review':
    'Review the team’s timesheets: see and correct anyone’s work log in the brand, and lock entries.',
  'reports.read':
    'Read the brand’s reports (volume, handle time, backlog, SLA attainment, approvals, trackers, SOP adherence) and export them as CSV.',
  'reshipments.create': 'Reship items of an order: a new purchase order for them, with the reason.',
  'warranty.manage': 'Record warranty plans sold with order items and file claims on them.',
} as const satisfies Record<string, string>;

/**
 * Capabilities that SOP steps require (an action with `requires:` in a pack). The advice engine
 * moves such an action to `blocked` for a role without it, naming who may; the routes that carry
 * the action out (orders, approvals, trackers) check the same capability.
 */
export const SOP_CAPABILITIES = {
  'po.set_status': 'Change a purchase order’s status.',
  'order.cancel': 'Cancel an order, a PO or items of it.',
  'refund.issue': 'Refund or credit a customer.',
  'mrr.process': 'Process a manual refund request (put the refund through).',
  'mrr.file': 'File a manual refund request.',
  'approval.file.hper': 'File a high priority exception request (HPER).',
  'approval.file.store_credit_removal': 'File a store credit removal once it is approved.',
  'approval.file.bug_report': 'File a bug report with the bugs team.',
  'approval.decide.hper': 'Decide whether an HPER is necessary.',
  'approval.decide.store_credit_removal': 'Approve or deny a store credit removal.',
  'approval.decide.proof_of_purchase': 'Approve or reject a proof of purchase.',
  'approval.decide.rma': 'Approve an RMA request.',
  'coupon_codes.manage': 'Create new coupon codes for the pool.',
  'tracker.chargeback.log': 'Log chargebacks and high fraud risk orders.',
  'tracker.out_of_stock.log': 'Log out-of-stock orders (the supplier).',
  'tracker.incorrect_address.log':
    'Log orders whose address needs the customer’s confirmation (the supplier).',
  'tracker.pickup_rts.log': 'Log orders for customer pickup or returned to sender (the supplier).',
  'supplier.direct': 'Direct the supplier: give sourcing alternatives, chase delays.',
  'tracker.processing_delay.log': 'Log orders at risk of a processing delay.',
  'board.card.move': 'Move cards on the brand’s boards.',
} as const satisfies Record<string, string>;

export type RouteCapability = keyof typeof CAPABILITIES;
export type SopCapability = keyof typeof SOP_CAPABILITIES;
export type Capability = RouteCapability | SopCapability;

/** Capabilities enforced by API routes (each has a refusal test in the server). */
export const ROUTE_CAPABILITY_NAMES = Object.keys(CAPABILITIES) as RouteCapability[];
export const SOP_CAPABILITY_NAMES = Object.keys(SOP_CAPABILITIES) as SopCapability[];
export const CAPABILITY_NAMES = [...ROUTE_CAPABILITY_NAMES, ...SOP_CAPABILITY_NAMES] as Capability[];
export const CAPABILITY_DESCRIPTIONS: Record<Capability, string> = { ...CAPABILITIES, ...SOP_CAPABILITIES };

/** Narrows a string to a known capability name. */
export function isCapability(name: string): name is Capability {
  return Object.hasOwn(CAPABILITY_DESCRIPTIONS, name);
}
