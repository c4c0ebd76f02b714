import { normalizeText } from './text';
import type { StatedFact } from './threeValued';

/**
 * The facts a question states, in the engine's fact schema (advice/facts.ts), for the
 * condition-aware re-ranking of Ask the SOP: "already shipped" sets `po.anyItemShipped`, "no
 * tracking" `tracking.exists`, "tracking hasn't moved in 5 days" `tracking.hoursSinceLastEvent`,
 * "placed 20 min ago" `order.minutesSincePlaced`, "MRR filed" `refund.mrr`, a vendor or
 * marketplace the pack names sets `po.vendor` or `message.marketplace`, and so on. A fact the
 * question does not mention is left out (unknown). The cue words are ordinary support English,
 * not any pack's phrasing; a cue under a negation ("hasn't shipped", "no tracking") states the
 * opposite.
 */

export type StatedFacts = Map<string, StatedFact>;

const NEGATION =
  /\b(not|no|never|none|nothing|without|isnt|isn't|arent|aren't|wasnt|wasn't|hasnt|hasn't|havent|haven't|doesnt|doesn't|dont|don't|didnt|didn't|cant|can't|cannot|couldnt|couldn't|wont|won't|nobody|before|yet to)\b/;

type Said = 'yes' | 'no' | undefined;

/** Whether the text says `cue` (`yes`), says it under a negation (`no`), or does not say it. */
function said(text: string, cue: RegExp): Said {
  const re = new RegExp(cue.source, 'g');
  let result: Said;
  for (const m of text.matchAll(re)) {
    // A negation up to three words before the cue, in the same clause.
    const before =
      text
        .slice(0, m.index)
        .split(/[,.;!?]| but | and /)
        .pop() ?? '';
    const near = before.trim().split(/\s+/).slice(-3).join(' ');
    const negated = NEGATION.test(near);
    if (!negated) return 'yes';
    result = 'no';
  }
  return result;
}

const HOURS: Record<string, number> = { min: 1 / 60, hour: 1, day: 24, week: 168, month: 720 };
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  couple: 2,
  few: 3,
};

type Duration = { hours: number; at: number; business: boolean };

/** Durations in the text ("20 min", "2 hours", "a week", "yesterday"), in hours, with their place. */
function durations(text: string): Duration[] {
  const out: Duration[] = [];
  const num = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')})`;
  const re = new RegExp(
    `\\b(?:(?:over|more than|after|past|outside|beyond|about|like|almost|nearly)(?: the)? )?${num}\\+?(?: of)?\\s*(business |working )?(minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?)\\b`,
    'g',
  );
  for (const m of text.matchAll(re)) {
    const n = NUMBER_WORDS[m[1]!] ?? Number(m[1]);
    const unit = m[3]!.startsWith('mi')
      ? 'min'
      : m[3]!.startsWith('h')
        ? 'hour'
        : m[3]!.startsWith('d')
          ? 'day'
          : m[3]!.startsWith('w')
            ? 'week'
            : 'month';
    const over = /^(over|more than|after|past|outside|beyond)/.test(m[0]) ? 1.2 : 1;
    out.push({ hours: n * HOURS[unit]! * over, at: m.index ?? 0, business: Boolean(m[2]) });
  }
  const relative: [RegExp, number][] = [
    [/\b(just now|few min(ute)?s? ago|moments? ago)\b/, 0.2],
    [/\b(this morning|earlier today)\b/, 4],
    [/\b(yesterday|last night)\b/, 24],
    [/\b(last week)\b/, 168],
    [/\b(last month)\b/, 720],
  ];
  for (const [r, h] of relative) {
    const m = r.exec(text);
    if (m) out.push({ hours: h, at: m.index, business: false });
  }
  return out;
}

/** What a duration measures, from the words around it. */
function durationSubject(text: string, d: Duration): 'tracking' | 'email' | 'reminder' | 'order' {
  const window = text.slice(Math.max(0, d.at - 60), d.at + 40);
  if (/\breminder\b/.test(window)) return 'reminder';
  if (/\b(track\w*|scan\w*|mov(ed|ement|ing)|update[ds]?|updat\w*|stuck|stalled|last event)\b/.test(window))
    return 'tracking';
  if (/\b(e-?mail\w*|mail|asked|reply|replied|respon\w*|pop|proof)\b/.test(window)) return 'email';
  return 'order';
}

export type StatedFactsOptions = {
  /** The pack's known vendor names (vendors.yaml), lower-case. */
  vendors?: string[];
  /** String literals the pack's conditions compare facts with: fact path → literals. */
  literals?: ReadonlyMap<string, ReadonlySet<string>>;
};

const MARKETPLACES = [
  'ebay',
  'amazon',
  'mydeal',
  'catch',
  'kogan',
  'mysale',
  'grabone',
  'themarket',
  'trademe',
  'google',
];

/** The facts a question states (see the module comment). */
export function statedFacts(question: string, options: StatedFactsOptions = {}): StatedFacts {
  const text = normalizeText(question)
    .replace(/[’`]/g, "'")
    .replace(/\bcx\b|\bcust\b/g, 'customer');
  const facts: StatedFacts = new Map();
  const value = (path: string, v: unknown) => facts.set(path, { value: v });
  const allowed = (path: string, test: (v: unknown) => boolean) => facts.set(path, { allowed: test });

  // --- shipment ------------------------------------------------------------------------------
  const shippedCue =
    /\b(already (been )?(shipped|sent|dispatched|gone)|(has|have|had|was|were|got|is|it's|its) (been )?(shipped|dispatched)|shipped (out|already|yesterday|today)|left the warehouse|(in|on its way|out for) (transit|delivery)|in transit|on (its|the) way|with the (courier|carrier)|dispatched|shipped)\b/;
  const shipped = said(text, shippedCue);
  const notYet =
    /\b(before (it|the order|they|we) (ship|ships|is shipped|gets? (sent|shipped))|not (yet )?(shipped|dispatched|sent out)|hasn'?t (shipped|been shipped|left)|still processing|yet to ship|unshipped)\b/.test(
      text,
    );
  if (notYet || shipped === 'no') {
    value('po.anyItemShipped', false);
    value('po.allItemsShipped', false);
    allowed('po.status', (v) => !['Shipped', 'Delivered', 'Returned'].includes(v as string));
  } else if (shipped === 'yes') {
    value('po.anyItemShipped', true);
  }
  if (
    /\b(all|every|each) (the )?(items?|skus?|things?)( on| in| of)?( the)?( po)? (have |has )?(shipped|been shipped)|everything (has )?shipped\b/.test(
      text,
    )
  ) {
    value('po.allItemsShipped', true);
    value('po.anyItemShipped', true);
  }
  if (/\bout for delivery\b/.test(text)) allowed('tracking.lastStatus', (v) => v === 'out_for_delivery');
  else if (/\bin transit\b/.test(text) && !/\bnot in transit\b/.test(text))
    allowed('tracking.lastStatus', (v) => v === 'in_transit');
  else if (/\b(label (was )?(created|printed|made)|pre-?shipment)\b/.test(text))
    allowed('tracking.lastStatus', (v) => v === 'label_created' || v === 'pre_shipment');

  // --- tracking ------------------------------------------------------------------------------
  const tracking = said(text, /\b(tracking|trackin)\b/);
  if (
    /\b(no|without|hasn'?t got|hasn'?t|doesn'?t have|not got|there'?s no|there is no) (a |any )?tracking\b(?! (movement|update|scan|change|event|activity))/.test(
      text,
    )
  ) {
    value('tracking.exists', false);
    value('tracking.hasEvents', false);
  } else if (tracking === 'yes') {
    value('tracking.exists', true);
  }
  if (
    /\b(last scan\w*|scanned|tracking (updated|moved|shows|says)|updated)\b/.test(text) &&
    !/\bno (scan|update)/.test(text)
  ) {
    value('tracking.hasEvents', true);
    value('tracking.exists', true);
  }
  if (/\bno (carrier )?scans?\b/.test(text)) value('tracking.hasEvents', false);
  const deliveredCue = /\b((says|shows|shown|marked|showing|listed|reads) (as )?delivered|delivered)\b/;
  if (/\b(says|shows|shown|marked|showing|listed|reads) (as )?delivered\b/.test(text))
    value('tracking.delivered', true);
  else if (
    /\b(hasn'?t moved|not moved|no (movement|update)|stuck|stalled|in transit|out for delivery|label created|not (yet )?delivered|never (arrived|delivered|came|got))\b/.test(
      text,
    )
  )
    value('tracking.delivered', false);
  else if (said(text, deliveredCue) === 'yes') value('tracking.delivered', true);
  else if (said(text, deliveredCue) === 'no') value('tracking.delivered', false);
  if (
    /\b(returned to sender|return to sender|\brts\b|bounced back|came back|sent back to (us|sender|the warehouse)|back to sender|returned to (the )?(warehouse|us))\b/.test(
      text,
    )
  )
    value('tracking.returnedToSender', true);
  if (
    /\b(wrong|incorrect|bad|typo\w*|misspel\w*) address\b|customer('s)? (error|fault|mistake)|(put|typed|entered|gave) (a |the )?wrong\b/.test(
      text,
    )
  )
    allowed('tracking.returnReason', (v) => v === 'customer_error');
  else if (
    /\b(courier|carrier|driver)('s)? (error|fault|mistake)|(vendor|warehouse)('s)? (error|fault|mistake)\b/.test(
      text,
    )
  )
    allowed('tracking.returnReason', (v) => v === 'carrier_error' || v === 'vendor_error');
  else if (
    /\b(no idea why|don'?t know why|(nobody|no one) knows why|unknown reason|no reason|reason (is )?unknown)\b/.test(
      text,
    )
  )
    allowed('tracking.returnReason', (v) => v === 'unknown' || v === '');

  // --- durations -----------------------------------------------------------------------------
  for (const d of durations(text)) {
    const subject = durationSubject(text, d);
    if (subject === 'tracking') {
      value('tracking.hoursSinceLastEvent', d.hours);
      value('tracking.daysSinceLastEvent', d.hours / 24);
    } else if (subject === 'email') value('tradeIn.daysSinceEmail', d.hours / 24);
    else if (subject === 'reminder') value('tradeIn.daysSinceReminder', d.hours / 24);
    else {
      value('order.minutesSincePlaced', d.hours * 60);
      value('order.hoursSincePlaced', d.hours);
      value('order.daysSincePlaced', d.hours / 24);
      value(
        'order.businessDaysSincePlaced',
        BigInt(Math.round(d.business ? d.hours / 24 : (d.hours / 24) * (5 / 7))),
      );
    }
  }

  // --- order and PO --------------------------------------------------------------------------
  if (
    /\b(no|without|can'?t find|missing|didn'?t (give|send|include)) (the |an? |their |her |his )?(order (number|no|#|id)|order)\b|\bwhich order\b/.test(
      text,
    )
  )
    value('order.exists', false);
  if (
    /\b(no|without|doesn'?t have (a|any)) po\b|\bno po (linked|attached|associated)|po count (is )?0/.test(
      text,
    )
  )
    value('order.poCount', 0n);
  if (
    /\bsent to (the )?vendor|went to (the )?vendor|with the vendor|(vendor|supplier) (already )?(has|got) (it|the po)\b/.test(
      text,
    )
  ) {
    const s = said(text, /\b(sent|went) to (the )?vendor\b/);
    value('po.sentToVendor', s !== 'no');
  }
  if (
    /\b(no|isn'?t|not|without)( an?| any)? (cancel|cancell?ation) (option|button)|(cancel|cancell?ation) (option|button) (is )?(missing|gone|not (there|available|showing))/.test(
      text,
    )
  )
    value('po.vendorCancelOptionAvailable', false);
  else if (/\b(cancel|cancell?ation) (option|button) (is )?(there|available|showing)\b/.test(text))
    value('po.vendorCancelOptionAvailable', true);
  if (
    /\b(already|was|were|is|been|we|po|got) cancell?ed\b/.test(text) &&
    !/\b(some|one|an?|few) (of the )?(items?|skus?|lines?)\b/.test(text)
  )
    allowed('po.status', (v) => v === 'Canceled');
  if (/\b(some|one|an?|few) (of the )?(items?|skus?|lines?)\b.{0,40}\bcancell?ed\b/.test(text))
    value('po.anyCanceled', true);
  const refunded = said(text, /\b(refunded|shows? (as )?refunded)\b/);
  if (refunded) value('po.refunded', refunded === 'yes');
  if (said(text, /\b(out of stock|oos|sold out|no stock)\b/) === 'yes') value('po.anyOutOfStock', true);
  if (/\bfreight\b|\bashley\b/.test(text)) value('po.freight', true);
  if (/\b(wrong|incorrect|incomplete|bad|missing|invalid) (shipping |delivery )?address|po box\b/.test(text))
    value('order.addressProblems', ['incorrect']);
  else if (
    /\baddress (is|was|looks) (still )?(fine|ok|correct|right|good|valid)\b|none of (those|these|the) (issues|problems)/.test(
      text,
    )
  )
    value('order.addressProblems', []);
  if (
    said(text, /\b(serial|model|part) (number|no|#)s?\b/) === 'no' ||
    /\bmissing (the )?(serial|model|part)\b/.test(text)
  )
    value('order.missingProductInfo', true);
  const categories: string[] = [];
  if (/\b(necklace|ring|rings|bracelet|earrings?|jewell?ery|pendant|chain)\b/.test(text))
    categories.push('jewelry');
  if (/\b(perfume|fragrance|cologne|parfum)\b/.test(text)) categories.push('fragrance');
  if (/\b(designer|handbag|gucci|prada|louis vuitton)\b/.test(text)) categories.push('designer');
  if (categories.length) value('order.itemCategories', categories);

  // --- refund, store credit, MRR -------------------------------------------------------------
  if (/\bmrr\b/.test(text)) {
    if (said(text, /\bprocessed\b/) === 'yes') value('refund.mrr', 'processed');
    else if (/\bmrr\b.{0,30}\b(filed|submitted|in)\b|\b(filed|submitted)\b.{0,15}\bmrr\b/.test(text))
      value('refund.mrr', 'filed');
    else if (/\bno mrr\b/.test(text)) value('refund.mrr', 'none');
    value('refund.exists', true);
  }
  const gotCredit =
    /\b(got|given|received|issued|gave|ended up with|has) (her |him |them |the customer )?(a )?store credit\b/.test(
      text,
    );
  const wantedRefund =
    /\b(want(ed|s)?|expect(ed|ing)?|asked for|wanted) (a |her |his |their |the )?(refund|money back|cash back|money)\b|\binstead of (a )?refund\b/.test(
      text,
    );
  const choseCredit = /\b(chose|picked|selected|asked for|wanted|opted for) (the )?store credit\b/.test(text);
  if (gotCredit) {
    value('refund.kind', 'store_credit');
    value('refund.exists', true);
  }
  if (wantedRefund && !choseCredit) value('refund.expected', 'refund');
  else if (choseCredit) value('refund.expected', 'store_credit');
  if (
    /\b(removal|removing)\b.{0,30}\b(going on|in progress|pending|requested|underway|running)\b|\bremoval of (the |her |his )?store credit\b/.test(
      text,
    ) &&
    !/\bno removal\b/.test(text)
  ) {
    value('refund.kind', 'store_credit');
    value('refund.expected', 'refund');
  }
  if (/\b(previous|existing|old|other|leftover) (store credit )?balance\b/.test(text))
    allowed('customer.storeCreditBalance', (v) => (v as number) > 0);

  // --- trade-in ------------------------------------------------------------------------------
  if (
    /\b(can'?t find|no|couldn'?t find|without)( a| the| any)? (trello )?(card|trade-?in|v-?number|v number)\b/.test(
      text,
    )
  )
    value('tradeIn.exists', false);
  const states: string[] = [];
  if (
    /\b(approv\w*|ok'?d|okayed|accepted)\b/.test(text) &&
    !/\bapprover\b(?!.{0,20}(ok|approv|accept))/.test(text)
  )
    states.push('approved');
  if (/\b(reject\w*|turned down|declined|refused|not valid|fake)\b/.test(text)) states.push('rejected');
  if (/\b(waiting for (a )?response|awaiting (a )?response|waiting on (the )?customer)\b/.test(text))
    states.push('awaiting_response');
  if (
    /\b(sent|replied with|provided|uploaded|got|received)( us)?( a| the| their| his| her)? (pic\w* of the )?(proof|receipt|invoice|pop)\b|\bproof (is )?(with|being checked)\b/.test(
      text,
    )
  )
    states.push('proof_received');
  if (/\b(on hold|held)\b/.test(text) && !states.length) states.push('on_hold');
  if (states.length) allowed('tradeIn.state', (v) => states.includes(v as string));
  const emailed = said(
    text,
    /\b(e-?mailed|sent the (on hold )?(e-?mail|mail|message)|mail went out|asked for (the )?(pop|proof))\b/,
  );
  if (emailed) value('tradeIn.emailSent', emailed === 'yes');
  const reminded = said(
    text,
    /\b(reminder (went out|sent|was sent|already sent)|sent (a |the )?reminder|reminded)\b/,
  );
  if (/\bno reminder\b/.test(text)) value('tradeIn.reminderSent', false);
  else if (reminded) value('tradeIn.reminderSent', reminded === 'yes');

  // --- warranty ------------------------------------------------------------------------------
  const productSecure = said(text, /\bproduct ?secure\b/);
  if (productSecure === 'yes') value('warranty.plan', 'ProductSecure');
  else if (
    productSecure === 'no' ||
    /\b(no|without|didn'?t (buy|get|have|purchase)( a| any)?) (protection |warranty )?plan\b/.test(text)
  )
    allowed('warranty.plan', (v) => v !== 'ProductSecure');
  if (/\b(lost|stolen|theft|dropped|smashed|cracked|spilled|accident\w*)\b/.test(text))
    allowed('warranty.claimReason', (v) => ['loss', 'theft', 'accidental_damage'].includes(v as string));

  // --- channel, sender, vendor, marketplace --------------------------------------------------
  if (/\b(on the (phone|line)|rang|called in|calling|phoned|phone call|voice)\b/.test(text))
    value('message.channel', 'phone');
  else if (/\b(live chat|chat)\b/.test(text)) value('message.channel', 'chat');
  const count = /\b(\d+) (tracking|track)\b/.exec(text);
  if (count) value('message.trackingNumberCount', BigInt(Number(count[1])));
  for (const vendor of options.vendors ?? []) {
    if (new RegExp(`\\b${escapeRegExp(vendor.toLowerCase())}\\b`).test(text)) {
      value('vendor.name', vendor);
      value('vendor.known', true);
    }
  }
  for (const m of MARKETPLACES) {
    if (new RegExp(`\\b${m}\\b`).test(text)) {
      allowed('message.marketplace', (v) => String(v).toLowerCase() === m);
      allowed('order.channel', (v) => String(v).toLowerCase() === m);
    }
  }
  // Any other value a pack's condition compares a fact with that the question names (a vendor
  // like "VFang", a PO status like "Sent to Vendor"), unless a cue above settled the fact.
  for (const [path, literals] of options.literals ?? []) {
    if (facts.has(path) || path === 'intent' || path === 'actor.role' || path.startsWith('message.'))
      continue;
    const namespace = path.split('.')[0]!;
    const named = [...literals].filter((l) => {
      // A value named like its fact's namespace (`refund.kind == "refund"`) is no cue.
      if (l.toLowerCase() === namespace.toLowerCase()) return false;
      const words = l.toLowerCase().replace(/[_-]/g, ' ');
      return (
        words.length >= 3 &&
        said(text.replace(/-/g, ' '), new RegExp(`\\b${escapeRegExp(words)}\\b`)) === 'yes'
      );
    });
    if (named.length) allowed(path, (v) => named.includes(v as string));
  }
  implied(facts);
  return facts;
}

/** What the stated facts imply about others, as the engine derives them (advice/facts.ts). */
function implied(facts: StatedFacts): void {
  const known = (path: string) => facts.get(path);
  const is = (path: string, v: unknown) => {
    const f = known(path);
    return f !== undefined && ('value' in f ? f.value === v : f.allowed(v) && !f.allowed('\u0000other'));
  };
  const any = (prefix: string) =>
    [...facts.keys()].some((k) => k.startsWith(prefix) && !k.endsWith('.exists'));
  // Only one PO status is allowed: what it says about being sent to the vendor.
  const status = known('po.status');
  if (status && !known('po.sentToVendor')) {
    if (is('po.status', 'Processing') && !('allowed' in status && status.allowed('Sent to Vendor')))
      facts.set('po.sentToVendor', { value: false });
    else if (['Sent to Vendor', 'On-Hold'].some((v) => is('po.status', v)) && !is('po.status', 'Processing'))
      facts.set('po.sentToVendor', { value: true });
  }
  if (any('tracking.') && !known('tracking.exists')) {
    const t = known('tracking.hasEvents');
    if (!(t && 'value' in t && t.value === false)) facts.set('tracking.exists', { value: true });
  }
  if ((any('po.') || any('tracking.')) && !known('po.exists')) facts.set('po.exists', { value: true });
  const placed = [...facts.keys()].some((k) => /^order\.[a-zA-Z]+SincePlaced$/.test(k));
  if ((any('po.') || any('tracking.') || placed) && !known('order.exists'))
    facts.set('order.exists', { value: true });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
