import { STOP_WORDS, stem, words } from './text';

/**
 * A small lexicon of the support domain: words and phrases that agents and SOPs use for the same
 * thing ("parcel", "package", "pkg", "shipment"; "money back" and "refund"; "POP" and "proof of
 * purchase"). Ask the SOP reads both the pack and the question through it, so each group counts
 * as one term. It is ordinary support vocabulary, not any pack's phrasing; a pack adds its own
 * jargon in its optional `glossary` (see docs/packs.md).
 *
 * Each entry is `canonical: variants`; variants may be phrases, and a concept that several words
 * name is one token ("outofstock", "rts"). Matching is on stemmed words, longest phrase first, so
 * "returned to sender" wins over "returned".
 */
export const SUPPORT_LEXICON: Readonly<Record<string, readonly string[]>> = {
  parcel: ['package', 'pkg', 'shipment', 'packet'],
  customer: ['cust', 'cx', 'client', 'buyer', 'shopper', 'consumer'],
  agent: ['advocate', 'csr', 'rep', 'support rep', 'coworker', 'co-worker', 'colleague', 'teammate'],
  lead: ['leadership', 'leader', 'supervisor', 'team lead', 'shift lead'],
  refund: ['money back', 'reimburse', 'reimbursement', 'pay back', 'payback'],
  proofofpurchase: ['proof of purchase', 'pop', 'receipt', 'invoice', 'purchase proof'],
  deliver: ['delivery', 'arrive', 'arrival', 'turned up', 'show up', 'showed up'],
  address: ['addy', 'addr'],
  ship: ['dispatch', 'send out', 'sent out', 'went out', 'left the warehouse'],
  photo: ['picture', 'pic', 'pics', 'image', 'screenshot', 'foto', 'photograph'],
  damaged: ['broken', 'smashed', 'cracked', 'faulty', 'defective', 'busted', 'shattered'],
  incorrect: ['wrong'],
  error: ['mistake', 'fault', 'messed up', 'screwed up', 'at fault', 'by mistake'],
  stolen: ['theft', 'stole', 'nicked', 'robbed'],
  lost: ['loss', 'lose', 'go missing', 'went missing'],
  authentic: ['fake', 'counterfeit', 'knockoff', 'knock-off', 'genuine', 'authenticity'],
  warranty: ['guarantee', 'protection plan', 'extended warranty'],
  email: ['e-mail', 'mail'],
  phone: ['call', 'rang', 'ring', 'phoned', 'voice'],
  voicemail: [
    'voice mail',
    'no answer',
    'unanswered',
    'not answered',
    'rang out',
    'did not pick up',
    'didnt pick up',
  ],
  vendor: ['supplier', 'merchant', 'manufacturer'],
  outofstock: [
    'out of stock',
    'oos',
    'sold out',
    'no stock',
    'unavailable',
    'backorder',
    'backordered',
    'stockout',
  ],
  ordernumber: ['order number', 'order no', 'order id', 'order ref', 'order reference'],
  hold: ['pause', 'on hold', 'onhold', 'held'],
  wismo: [
    'where is my order',
    'wheres my order',
    'where my order',
    'where is my parcel',
    'where is my package',
  ],
  change: ['modify', 'amend', 'edit', 'switch', 'alter'],
  shippingmethod: [
    'shipping method',
    'delivery method',
    'shipping option',
    'shipping speed',
    'express',
    'expedite',
    'expedited',
    'overnight',
    'next day',
    'faster shipping',
    'faster delivery',
    'faster postage',
  ],
  sameday: ['same day', 'same-day'],
  chargeback: ['charge back', 'charge-back', 'dispute'],
  fraud: ['fraudulent', 'scam', 'scammer', 'suspicious'],
  spam: ['junk'],
  negative: ['neg', 'bad', 'poor', 'one star', '1 star'],
  site: ['website', 'web site', 'webpage', 'web page', 'online store'],
  bug: ['glitch', 'glitchy', 'error message', 'crash', 'crashed'],
  sick: ['ill', 'unwell'],
  approve: ['accept', 'sign off', 'signed off', 'green light'],
  reject: ['decline', 'deny', 'refuse', 'turn down', 'turned down', 'knock back'],
  remind: ['reminder', 'chase', 'nudge'],
  return: ['send back', 'send it back', 'rma', 'return authorization'],
  rts: [
    'returned to sender',
    'return to sender',
    'bounced back',
    'came back',
    'went back',
    'sent back to sender',
  ],
  tell: ['inform', 'let know', 'let the customer know', 'update the customer'],
  comment: ['note', 'remark'],
  macro: ['template', 'canned response', 'canned reply', 'snippet', 'saved reply'],
  escalate: ['pass on', 'hand over', 'hand off', 'kick up', 'bump up', 'raise'],
  manage: ['handle', 'deal with', 'take care of', 'look after', 'responsible'],
  spreadsheet: ['sheet', 'excel', 'gsheet', 'google sheet'],
  hour: ['hr', 'hrs'],
  minute: ['min', 'mins'],
  week: ['wk', 'wks'],
  business: ['biz'],
  cancel: ['cancellation', 'call off', 'void'],
  track: ['tracking number', 'tracking info', 'tracking no', 'trackin'],
  stock: ['restock', 'inventory', 'back in stock'],
};

/**
 * Words of a question's frame rather than its subject ("what happens now", "who do I go to",
 * "the customer wants to..."), dropped on both sides like stop words.
 */
export const QUESTION_FILLERS: ReadonlySet<string> = new Set(
  (
    'go goes going gone get gets got getting need needs needed want wants wanted wanting now happen happens ' +
    'happened say says said know think thing things like hey guys someone somebody anyone anything something ' +
    'actually really ok okay pls plz lol kind sort guess ask asks asked asking'
  ).split(' '),
);

type Phrase = { words: string[]; canonical: string[] };

/** A compiled lexicon: phrases of stemmed words → the canonical stemmed words, longest first. */
export type Lexicon = { phrases: Map<string, Phrase[]> };

const stemWords = (text: string) => words(text).map(stem);

/** Compiles lexicon entries (the support lexicon plus a pack's glossary). */
export function compileLexicon(...sources: Readonly<Record<string, readonly string[]>>[]): Lexicon {
  const phrases = new Map<string, Phrase[]>();
  for (const source of sources) {
    for (const [canonical, variants] of Object.entries(source)) {
      const target = stemWords(canonical);
      for (const variant of [canonical, ...variants]) {
        const ws = stemWords(variant);
        if (ws.length === 0) continue;
        const list = phrases.get(ws[0]!) ?? [];
        list.push({ words: ws, canonical: target });
        phrases.set(ws[0]!, list);
      }
    }
  }
  for (const list of phrases.values()) list.sort((a, b) => b.words.length - a.words.length);
  return { phrases };
}

/**
 * The terms of a text read through a lexicon: stemmed words, each phrase of the lexicon replaced
 * by its canonical words, stop words dropped after the replacement (so "let know" can match).
 */
export function lexiconTerms(text: string, lexicon: Lexicon): string[] {
  const raw = words(text);
  const stems = raw.map(stem);
  const out: string[] = [];
  for (let i = 0; i < stems.length; ) {
    const match = (lexicon.phrases.get(stems[i]!) ?? []).find((p) =>
      p.words.every((w, k) => stems[i + k] === w),
    );
    if (match) {
      out.push(...match.canonical.filter((w) => !STOP_WORDS.has(w)));
      i += match.words.length;
      continue;
    }
    if (!STOP_WORDS.has(raw[i]!) && !QUESTION_FILLERS.has(raw[i]!)) out.push(stems[i]!);
    i++;
  }
  return out;
}
