import type { PurchaseOrder, Scenario } from '../scenario';
import { type BusinessCalendar, businessDaysBetween, hoursBetween } from '../time';

/**
 * The typed facts every SOP condition reads. Each namespace is one variable of the expression
 * language; each field has a CEL type. A condition that names a fact not listed here, or uses one
 * with the wrong type, is refused when the pack loads.
 *
 * Counts and whole days are `int` (write `order.poCount == 0`); hours and fractional days are
 * `double` (compare them with `>=`/`<=`, e.g. `tracking.hoursSinceLastEvent >= 24`).
 *
 * Every fact is always present: absent parts of a case read as `exists == false`, empty strings,
 * zero counts and empty lists, so conditions never fail on missing data.
 */
export const FACT_SCHEMA = {
  intent: 'string',
  actor: { role: 'string' },
  message: {
    exists: 'bool',
    channel: 'string',
    from: 'string',
    subject: 'string',
    body: 'string',
    marketplace: 'string',
    /** Tracking numbers pasted in the body (carrier-style codes of 8+ letters and digits). */
    trackingNumberCount: 'int',
    /** PO ids of the order that the message names. */
    mentionedPoIds: 'list<string>',
  },
  customer: { exists: 'bool', storeCreditBalance: 'double' },
  order: {
    exists: 'bool',
    id: 'string',
    channel: 'string',
    minutesSincePlaced: 'double',
    hoursSincePlaced: 'double',
    daysSincePlaced: 'double',
    businessDaysSincePlaced: 'int',
    itemCategories: 'list<string>',
    itemCount: 'int',
    /** Some item is known to lack its serial, model or part number. */
    missingProductInfo: 'bool',
    hasAddress: 'bool',
    addressProblems: 'list<string>',
    shippingCost: 'double',
    poCount: 'int',
    /** Every PO of the order has shipped every item. */
    allPosShipped: 'bool',
  },
  /** The purchase order the case is about: the one the message names, else the first open one. */
  po: {
    exists: 'bool',
    id: 'string',
    vendor: 'string',
    status: 'string',
    refunded: 'bool',
    sentToVendor: 'bool',
    hoursSinceSentToVendor: 'double',
    vendorCancelOptionAvailable: 'bool',
    freight: 'bool',
    allItemsShipped: 'bool',
    anyItemShipped: 'bool',
    anyOutOfStock: 'bool',
    anyCanceled: 'bool',
  },
  /** The newest shipment of that PO, by its latest tracking event. */
  tracking: {
    exists: 'bool',
    carrier: 'string',
    hasEvents: 'bool',
    lastStatus: 'string',
    hoursSinceLastEvent: 'double',
    daysSinceLastEvent: 'double',
    delivered: 'bool',
    returnedToSender: 'bool',
    returnReason: 'string',
  },
  /** The pack's policies for the PO's vendor (its defaults when the vendor is not listed). */
  vendor: {
    known: 'bool',
    name: 'string',
    addressChangeAllowed: 'bool',
    cancelWholeOrderWhenSkuOutOfStock: 'bool',
    cancelVia: 'string',
    processingDaysMin: 'int',
    processingDaysMax: 'int',
  },
  warranty: { exists: 'bool', plan: 'string', claimReason: 'string', daysSincePurchase: 'double' },
  refund: { exists: 'bool', kind: 'string', expected: 'string', mrr: 'string' },
  tradeIn: {
    exists: 'bool',
    vNumber: 'string',
    sNumber: 'string',
    state: 'string',
    condition: 'string',
    product: 'string',
    emailSent: 'bool',
    daysSinceEmail: 'double',
    reminderSent: 'bool',
    daysSinceReminder: 'double',
  },
} as const;

export type VendorPolicy = {
  addressChangeAllowed: boolean;
  cancelWholeOrderWhenSkuOutOfStock: boolean;
  cancelVia: string;
  processingDays: { min: number; max: number };
};

export type Facts = Record<string, unknown> & { intent: string };

const TRACKING_NUMBER = /\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,30}\b|\b\d{12,22}\b/g;

/** Picks the PO the case is about: one the message names, else the first not canceled, else the first. */
export function primaryPurchaseOrder(pos: PurchaseOrder[], mentioned: string[]): PurchaseOrder | undefined {
  return pos.find((p) => mentioned.includes(p.id)) ?? pos.find((p) => p.status !== 'Canceled') ?? pos[0];
}

/** Derives the facts of a scenario at `now`; `vendorPolicy` looks a vendor up in the pack. */
export function deriveFacts(
  scenario: Scenario,
  now: Date,
  intent: string,
  calendar: BusinessCalendar,
  vendorPolicy: (vendor: string) => { known: boolean; policy: VendorPolicy },
): Facts {
  const { message, order, customer, warranty, refund, tradeIn } = scenario;
  const body = message ? `${message.subject ?? ''}\n${message.body}` : '';
  const pos = order?.purchaseOrders ?? [];
  const mentionedPoIds = pos.map((p) => p.id).filter((id) => body.includes(id));
  const po = primaryPurchaseOrder(pos, mentionedPoIds);
  const trackingNumbers = new Set(
    (body.toUpperCase().match(TRACKING_NUMBER) ?? []).filter((t) => !mentionedPoIds.includes(t)),
  );
  const hours = (iso: string | undefined) => (iso ? hoursBetween(new Date(iso), now) : 0);

  const items = po?.items ?? [];
  const shipped = (i: (typeof items)[number]) => (i.shippedQty ?? 0) >= i.qty;
  const shipment = po ? latestShipment(po) : undefined;
  const lastEvent = shipment ? newestEvent(shipment.events) : undefined;
  const vendor = vendorPolicy(po?.vendor ?? '');

  return {
    intent,
    actor: { role: scenario.actor?.role ?? 'agent' },
    message: {
      exists: Boolean(message),
      channel: message?.channel ?? '',
      from: message?.from ?? '',
      subject: message?.subject ?? '',
      body: message?.body ?? '',
      marketplace: message?.marketplace ?? '',
      trackingNumberCount: BigInt(trackingNumbers.size),
      mentionedPoIds,
    },
    customer: { exists: Boolean(customer), storeCreditBalance: customer?.storeCreditBalance ?? 0 },
    order: {
      exists: Boolean(order),
      id: order?.id ?? '',
      channel: order?.channel ?? '',
      minutesSincePlaced: hours(order?.placedAt) * 60,
      hoursSincePlaced: hours(order?.placedAt),
      daysSincePlaced: hours(order?.placedAt) / 24,
      businessDaysSincePlaced: BigInt(
        order ? businessDaysBetween(new Date(order.placedAt), now, calendar) : 0,
      ),
      itemCategories: [
        ...new Set((order?.items ?? []).map((i) => i.category).filter((c): c is string => !!c)),
      ],
      itemCount: BigInt(order?.items.length ?? 0),
      missingProductInfo: (order?.items ?? []).some(
        (i) => i.hasSerialNumber === false || i.hasModelNumber === false || i.hasPartNumber === false,
      ),
      hasAddress: Boolean(order?.shippingAddress),
      addressProblems: order?.shippingAddress?.problems ?? [],
      shippingCost: order?.shippingCost ?? 0,
      poCount: BigInt(pos.length),
      allPosShipped: pos.length > 0 && pos.every((p) => p.items.every(shipped)),
    },
    po: {
      exists: Boolean(po),
      id: po?.id ?? '',
      vendor: po?.vendor ?? '',
      status: po?.status ?? '',
      refunded: po?.refunded ?? false,
      sentToVendor: Boolean(po && (po.sentToVendorAt || po.status !== 'Processing')),
      hoursSinceSentToVendor: hours(po?.sentToVendorAt),
      vendorCancelOptionAvailable: po?.vendorCancelOptionAvailable ?? true,
      freight: po?.freight ?? false,
      allItemsShipped: items.length > 0 && items.every(shipped),
      anyItemShipped: items.some((i) => (i.shippedQty ?? 0) > 0),
      anyOutOfStock: items.some((i) => i.outOfStock === true),
      anyCanceled: items.some((i) => i.canceled === true),
    },
    tracking: {
      exists: Boolean(shipment),
      carrier: shipment?.carrier ?? '',
      hasEvents: Boolean(lastEvent),
      lastStatus: lastEvent?.status ?? '',
      hoursSinceLastEvent: hours(lastEvent?.at),
      daysSinceLastEvent: hours(lastEvent?.at) / 24,
      delivered: Boolean(shipment?.events.some((e) => e.status === 'delivered')),
      returnedToSender: Boolean(shipment?.returnedToSender || lastEvent?.status === 'returned'),
      returnReason: shipment?.returnedToSender?.reason ?? '',
    },
    vendor: {
      known: vendor.known,
      name: po?.vendor ?? '',
      addressChangeAllowed: vendor.policy.addressChangeAllowed,
      cancelWholeOrderWhenSkuOutOfStock: vendor.policy.cancelWholeOrderWhenSkuOutOfStock,
      cancelVia: vendor.policy.cancelVia,
      processingDaysMin: BigInt(Math.round(vendor.policy.processingDays.min)),
      processingDaysMax: BigInt(Math.round(vendor.policy.processingDays.max)),
    },
    warranty: {
      exists: Boolean(warranty),
      plan: warranty?.plan ?? '',
      claimReason: warranty?.claimReason ?? '',
      daysSincePurchase: hours(warranty?.purchasedAt) / 24,
    },
    refund: {
      exists: Boolean(refund),
      kind: refund?.kind ?? '',
      expected: refund?.expected ?? '',
      mrr: refund?.mrr ?? (refund ? 'none' : ''),
    },
    tradeIn: {
      exists: Boolean(tradeIn),
      vNumber: tradeIn?.vNumber ?? '',
      sNumber: tradeIn?.sNumber ?? '',
      state: tradeIn?.state ?? '',
      condition: tradeIn?.condition ?? '',
      product: tradeIn?.product ?? '',
      emailSent: Boolean(tradeIn?.emailSentAt),
      daysSinceEmail: hours(tradeIn?.emailSentAt) / 24,
      reminderSent: Boolean(tradeIn?.reminderSentAt),
      daysSinceReminder: hours(tradeIn?.reminderSentAt) / 24,
    },
  };
}

type Shipment = PurchaseOrder['shipments'][number];

function newestEvent(events: Shipment['events']): Shipment['events'][number] | undefined {
  let newest: Shipment['events'][number] | undefined;
  for (const e of events) if (!newest || Date.parse(e.at) >= Date.parse(newest.at)) newest = e;
  return newest;
}

/** The shipment whose newest tracking event is the most recent (a shipment with no events counts as oldest). */
function latestShipment(po: PurchaseOrder): Shipment | undefined {
  let best: Shipment | undefined;
  let bestAt = -Infinity;
  for (const s of po.shipments) {
    const e = newestEvent(s.events);
    const at = e ? Date.parse(e.at) : -1;
    if (!best || at > bestAt) {
      best = s;
      bestAt = at;
    }
  }
  return best;
}
