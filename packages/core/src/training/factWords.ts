/**
 * Plain words for the advice facts (packages/core/src/advice/facts.ts), as an agent would say that
 * a fact holds: `po.anyItemShipped` is "shipped", `tracking.exists` is "tracking number",
 * `order.addressProblems` is "address problem: incorrect, incomplete, PO box". Ask the SOP adds
 * them to a step's condition words, so a question in an agent's words can meet a condition
 * written over facts. They describe the engine's fact schema, not any pack.
 */
export const FACT_WORDS: Readonly<Record<string, string>> = {
  'message.trackingNumberCount': 'tracking numbers sent',
  'customer.exists': 'customer',
  'customer.storeCreditBalance': 'store credit balance on the account',
  'order.exists': 'order number',
  'order.minutesSincePlaced': 'placed ago',
  'order.hoursSincePlaced': 'placed ago',
  'order.daysSincePlaced': 'placed ago old',
  'order.businessDaysSincePlaced': 'placed business days ago',
  'order.itemCategories': 'item category',
  'order.missingProductInfo': 'missing serial model part number',
  'order.hasAddress': 'address',
  'order.addressProblems': 'address problem incorrect incomplete po box',
  'order.poCount': 'po',
  'order.allPosShipped': 'everything shipped',
  'po.exists': 'po',
  'po.refunded': 'refunded',
  'po.sentToVendor': 'sent to vendor',
  'po.hoursSinceSentToVendor': 'since sent to vendor',
  'po.vendorCancelOptionAvailable': 'cancel option button',
  'po.freight': 'freight',
  'po.allItemsShipped': 'every item shipped',
  'po.anyItemShipped': 'shipped',
  'po.anyOutOfStock': 'out of stock',
  'po.anyCanceled': 'item canceled',
  'tracking.exists': 'tracking number',
  'tracking.hasEvents': 'tracking scan',
  'tracking.hoursSinceLastEvent': 'last scan moved update',
  'tracking.daysSinceLastEvent': 'last scan moved update',
  'tracking.delivered': 'delivered',
  'tracking.returnedToSender': 'returned to sender',
  'tracking.returnReason': 'reason why returned',
  'vendor.addressChangeAllowed': 'address change allowed',
  'vendor.cancelWholeOrderWhenSkuOutOfStock': 'whole order canceled',
  'warranty.exists': 'warranty',
  'warranty.claimReason': 'claim reason',
  'refund.exists': 'refund',
  'tradeIn.exists': 'trade-in card',
  'tradeIn.emailSent': 'emailed',
  'tradeIn.daysSinceEmail': 'since email',
  'tradeIn.reminderSent': 'reminder sent',
  'tradeIn.daysSinceReminder': 'since reminder',
};

/** The plain words of the facts a condition atom names. */
export function factWords(atom: string): string {
  const out: string[] = [];
  for (const m of atom.matchAll(
    /\b(message|customer|order|po|tracking|vendor|warranty|refund|tradeIn)\.([A-Za-z]+)/g,
  )) {
    const words = FACT_WORDS[`${m[1]}.${m[2]}`];
    if (words) out.push(words);
  }
  return out.join(' ');
}
