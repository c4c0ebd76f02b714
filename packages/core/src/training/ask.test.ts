import { describe, expect, it } from 'vitest';
import { compileCondition } from '../advice/expressions';
import { fixturePack } from '../test/fixturePack';
import { askSop, type SopAnswer } from './ask';
import { compileLexicon, lexiconTerms, SUPPORT_LEXICON } from './lexicon';
import { roleNames, statedRole } from './roles';
import { statedFacts } from './statedFacts';
import { stem } from './text';
import { conditionSupport, evaluatePartial, type StatedFact } from './threeValued';

/** The fixture pack with playbooks written for ranking: paraphrases, roles, negations. */
const pack = fixturePack({
  'playbooks.yaml': `playbooks:
  cancel:
    title: Customer asks to cancel
    intents: [cancel_order]
    steps:
      - rule: cancel.ask-lead
        when: '!(actor.role in ["lead"])'
        do: [{ type: escalate, queue: post-ship }]
        because: A late cancellation is an exception that only a lead may file; bring it to them.
        source: seed
      - rule: cancel.lead-files
        when: actor.role in ["lead"]
        do: [{ type: inform, text: File the exception form. }]
        because: A late cancellation is an exception that the lead files.
        source: seed
  lost:
    title: Package lost or stolen
    intents: [lost_or_stolen]
    steps:
      - rule: lost.stolen-claim
        do: [{ type: check, what: tracking_status }]
        because: A stolen parcel needs a carrier claim once the tracking shows it delivered.
        source: seed
      - rule: lost.no-tracking
        when: '!tracking.exists'
        do: [{ type: contact, who: vendor, purpose: shipment_confirmation }]
        because: Ask the vendor how it shipped.
        source: seed
      - rule: lost.recent
        when: tracking.hasEvents && tracking.daysSinceLastEvent <= 5.0
        do: [{ type: send_macro, macro: "#CL – Lost in Transit Wait" }]
        because: It moved recently.
        source: seed
  vendor-cancel:
    title: Vendor confirmed
    intents: [vendor_cancellation_confirmed]
    steps:
      - rule: vendor.refund-timing
        do: [{ type: check, what: po_refunded }, { type: set_po_status, status: Canceled }]
        because: The refund reaches the customer's bank within 5 business days of the cancellation.
        source: seed
`,
  'other.yaml': `channels:
  "#team": { description: Team channel, source: seed }
queues:
  post-ship: { title: Post-ship team, kind: escalation, description: Post-ship team, source: seed }
purchaseOrders:
  statuses: [Processing, Sent to Vendor, On-Hold, Shipped, Canceled]
  transitions:
    Processing: [Sent to Vendor, Canceled]
    Sent to Vendor: [On-Hold, Shipped]
    On-Hold: [Canceled, Sent to Vendor]
`,
});

describe('the support lexicon', () => {
  const lexicon = compileLexicon(SUPPORT_LEXICON);

  it('reads the words agents use for one thing as one term, phrases included', () => {
    expect(lexiconTerms('pkg', lexicon)).toEqual(lexiconTerms('parcel', lexicon));
    expect(lexiconTerms('shipments', lexicon)).toEqual(lexiconTerms('package', lexicon));
    expect(lexiconTerms('wants their money back', lexicon)).toEqual(lexiconTerms('wants a refund', lexicon));
    expect(lexiconTerms('no POP', lexicon)).toEqual(lexiconTerms('no proof of purchase', lexicon));
    // The longest phrase wins: "returned to sender" is one concept, not a return.
    expect(lexiconTerms('it was returned to sender', lexicon)).toEqual(['rts']);
    expect(lexiconTerms('the item is out of stock', lexicon)).toEqual(['item', 'outofstock']);
  });

  it('drops the frame of a question and keeps its subject', () => {
    expect(lexiconTerms('what happens now, the customer wants to cancel', lexicon)).toEqual([
      'customer',
      'cancel',
    ]);
  });
});

describe('stemming', () => {
  it('gives a word and its inflections one stem', () => {
    expect(stem('ordered')).toBe(stem('order'));
    expect(stem('orders')).toBe(stem('order'));
    expect(stem('delivered')).toBe(stem('deliver'));
    expect(stem('cancellation')).toBe(stem('cancelled'));
  });

  it('keeps the person who does a thing apart from the thing done', () => {
    expect(stem('approver')).not.toBe(stem('approved'));
    expect(stem('tracker')).not.toBe(stem('tracking'));
  });
});

describe('the role the asker names', () => {
  const names = roleNames({
    agent: { title: 'Agent' },
    lead: { title: 'Lead' },
    asl: { title: 'Assistant Shift Lead' },
  });

  it('recognises the pack’s roles and the usual names of an agent', () => {
    expect(statedRole("I'm an advocate, can I file it?", names)).toEqual({ role: 'agent', negated: false });
    expect(statedRole('as a lead how do I file it', names)).toEqual({ role: 'lead', negated: false });
    expect(statedRole('lead here, what now', names)).toEqual({ role: 'lead', negated: false });
    expect(statedRole('im just an assistant shift lead', names)).toEqual({ role: 'asl', negated: false });
    expect(statedRole("i'm not a lead", names)).toEqual({ role: 'lead', negated: true });
    expect(statedRole('the customer wants to cancel', names)).toBeUndefined();
  });
});

describe('Ask the SOP ranking', () => {
  const first = (q: string) => askSop(pack, q, { limit: 3 })[0]?.rule;

  it('finds a rule through the lexicon when the question shares none of its words', () => {
    // "pkg" is a parcel, "nicked" is stolen.
    expect(first('pkg got nicked off the porch')).toBe('lost.stolen-claim');
    // "money back" is the refund.
    expect(first('when does the cust get the money back after the vendor cancels?')).toBe(
      'vendor.refund-timing',
    );
  });

  it('matches a stemmed form and a misspelt word', () => {
    expect(first('vendor cancelled, how long till refunded')).toBe('vendor.refund-timing');
    expect(first('vendor canceled, how long for the refnud')).toBe('vendor.refund-timing');
  });

  it('puts the step for the asker’s role first', () => {
    expect(first("i'm an agent and the customer wants a late cancellation")).toBe('cancel.ask-lead');
    expect(first('as a lead, customer wants a late cancellation')).toBe('cancel.lead-files');
    expect(first("customer wants a late cancellation and i'm not a lead")).toBe('cancel.ask-lead');
  });

  it('reads the pack’s own jargon through its glossary', () => {
    const playbooks = `playbooks:
  speed:
    title: Customer asks for speed
    intents: [cancel_order]
    steps:
      - rule: speed.file
        do: [{ type: inform, text: Leadership files it. }]
        because: Leadership files the HPER.
        source: seed
      - rule: speed.wait
        do: [{ type: inform, text: Wait. }]
        because: The customer waits for the decision.
        source: seed
`;
    const glossary = 'glossary:\n  HPER: [high priority exception request, rush request]\n';
    const withGlossary = fixturePack({ 'glossary.yaml': glossary, 'playbooks.yaml': playbooks });
    const without = fixturePack({ 'playbooks.yaml': playbooks });
    const score = (p: typeof pack) =>
      askSop(p, 'a rush request came in').find((a) => a.rule === 'speed.file')?.score ?? 0;
    expect(askSop(withGlossary, 'a rush request came in')[0]?.rule).toBe('speed.file');
    // Without the glossary only the intent prior speaks for the rule; with it, its text does too.
    expect(score(withGlossary)).toBeGreaterThan(score(without) + 1);
  });

  it('meets a negated condition with a negation in the question', () => {
    expect(first('package stolen but there is no tracking at all')).toBe('lost.no-tracking');
  });
});

describe('condition-aware re-ranking', () => {
  // Three steps of one playbook that say the same thing and differ only in their conditions.
  const because = 'The customer asks to cancel the order; tell them what happens to it.';
  const notShipped = '!(po.anyItemShipped || po.status in ["Shipped", "Delivered"])';
  const neighbours = fixturePack({
    'playbooks.yaml': `playbooks:
  cancel:
    title: Customer asks to cancel an order
    intents: [cancel_order]
    steps:
      - rule: cancel.too-late
        when: 'po.anyItemShipped || po.status in ["Shipped", "Delivered"]'
        do: [{ type: inform, text: The order can no longer be stopped. }]
        because: "${because}"
        source: seed
      - rule: cancel.in-window
        when: '${notShipped} && order.minutesSincePlaced <= 60.0'
        do: [{ type: inform, text: The order can be stopped. }]
        because: "${because}"
        source: seed
      - rule: cancel.out-of-window
        when: '${notShipped} && order.minutesSincePlaced > 60.0'
        do: [{ type: inform, text: The order can be stopped. }]
        because: "${because}"
        source: seed
`,
  });
  const ranked = (q: string, options = {}) => askSop(neighbours, q, { limit: 3, ...options });

  it('puts first the step whose condition the facts of the question make true', () => {
    const cases: [string, string][] = [
      ['customer wants to cancel but it already shipped', 'cancel.too-late'],
      ['cust wants to cancel, placed 20 min ago, not shipped yet', 'cancel.in-window'],
      ['cust wants to cancel, placed 3 hours ago, hasnt shipped', 'cancel.out-of-window'],
    ];
    for (const [q, rule] of cases) {
      const answers = ranked(q);
      expect(answers[0]?.rule).toBe(rule);
      // The re-ranking is what widens its lead over the neighbours.
      const lead = (a: SopAnswer[]) => a[0]!.score - a[1]!.score;
      expect(lead(answers)).toBeGreaterThan(lead(ranked(q, { rerankDepth: 0 })));
    }
  });

  it('moves a step the question contradicts below one it leaves open', () => {
    // "placed 20 min ago" settles the window but not whether anything shipped: the step whose
    // window it contradicts falls below both others.
    const rules = ranked('customer wants to cancel an order placed 20 min ago').map((a) => a.rule);
    expect(rules.at(-1)).toBe('cancel.out-of-window');
    const without = ranked('customer wants to cancel an order placed 20 min ago', { rerankDepth: 0 });
    const score = (answers: typeof without, rule: string) => answers.find((a) => a.rule === rule)!.score;
    const with_ = ranked('customer wants to cancel an order placed 20 min ago');
    expect(score(with_, 'cancel.out-of-window')).toBeLessThan(score(without, 'cancel.out-of-window'));
  });

  it('changes nothing when the question states no fact the conditions read', () => {
    const q = 'customer wants to cancel the order';
    expect(ranked(q).map((a) => a.score)).toEqual(ranked(q, { rerankDepth: 0 }).map((a) => a.score));
  });
});

describe('conditions on the message text', () => {
  const photos = fixturePack({
    'playbooks.yaml': `playbooks:
  damaged:
    title: Item arrived damaged
    intents: [cancel_order]
    steps:
      - rule: damaged.ask-photos
        when: '!(message.body.lowerAscii().matches("photo|pics?"))'
        do: [{ type: inform, text: Ask for photos. }]
        because: The item arrived damaged; deal with the photos.
        source: seed
      - rule: damaged.log
        when: 'message.body.lowerAscii().matches("photo|pics?")'
        do: [{ type: inform, text: Log it. }]
        because: The item arrived damaged; deal with the photos.
        source: seed
`,
  });
  const first = (q: string) => askSop(photos, q, { limit: 2 })[0]?.rule;

  it('reads the question as the message, except what it says under a negation', () => {
    expect(first('item arrived damaged, customer sent pics')).toBe('damaged.log');
    expect(first('item arrived damaged, no pics yet')).toBe('damaged.ask-photos');
  });
});

describe('three-valued evaluation of a condition', () => {
  const condition = (source: string) => {
    const compiled = compileCondition(source);
    if (!compiled.ok) throw new Error(compiled.message);
    return compiled.condition;
  };
  const when = condition(
    'order.exists && !(po.anyItemShipped || po.status in ["Shipped", "Delivered"]) && order.minutesSincePlaced <= 60.0',
  );

  it('is true or false only when the stated facts settle it, and unknown otherwise', () => {
    const stated = (entries: [string, StatedFact][]) => new Map(entries);
    expect(evaluatePartial(when, stated([]))).toBeUndefined();
    // Shipped contradicts the condition whatever the other facts are.
    expect(evaluatePartial(when, stated([['po.anyItemShipped', { value: true }]]))).toBe(false);
    expect(evaluatePartial(when, stated([['order.minutesSincePlaced', { value: 90 }]]))).toBe(false);
    // Not shipped and recent still leaves the PO status and the order's existence open...
    const recent: [string, StatedFact][] = [
      ['po.anyItemShipped', { value: false }],
      ['order.minutesSincePlaced', { value: 20 }],
    ];
    expect(evaluatePartial(when, stated(recent))).toBeUndefined();
    // ...until they are stated too (a status may be stated as the values it can still take).
    const all = stated([
      ...recent,
      ['order.exists', { value: true }],
      ['po.status', { allowed: (v) => !['Shipped', 'Delivered', 'Returned'].includes(v as string) }],
    ]);
    expect(evaluatePartial(when, all)).toBe(true);
  });

  it('counts the conjuncts the stated facts make true, and refuses a contradicted condition', () => {
    const stated = new Map<string, StatedFact>([['order.minutesSincePlaced', { value: 20 }]]);
    expect(conditionSupport(when, stated)).toBe(1);
    expect(conditionSupport(when, new Map([['po.anyItemShipped', { value: true }]]))).toBe(false);
  });
});

describe('the facts a question states', () => {
  const values = (q: string) =>
    Object.fromEntries([...statedFacts(q)].flatMap(([k, v]) => ('value' in v ? [[k, v.value]] : [])));

  it('reads shipment, tracking and durations, with negations', () => {
    expect(values('it already shipped')).toMatchObject({ 'po.anyItemShipped': true });
    expect(values("it hasn't shipped yet")).toMatchObject({ 'po.anyItemShipped': false });
    expect(values('there is no tracking')).toMatchObject({ 'tracking.exists': false });
    expect(values('tracking hasnt moved in 5 days')).toMatchObject({
      'tracking.hoursSinceLastEvent': 120,
      'tracking.exists': true,
    });
    expect(values('order placed 20 min ago')).toMatchObject({ 'order.minutesSincePlaced': 20 });
    expect(values('tracking says delivered')).toMatchObject({ 'tracking.delivered': true });
  });

  it('leaves out what the question does not say', () => {
    expect(statedFacts('customer wants to cancel').size).toBe(0);
  });
});
