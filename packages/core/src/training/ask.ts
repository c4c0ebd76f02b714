import type { Pack } from '../packs/load';
import { normalizeText, STOP_WORDS, stem, terms, words } from './text';

/**
 * Ask the SOP: an agent's question in their own words → the pack's rules that answer it, ranked.
 *
 * Every rule (a playbook step) becomes one document made of weighted fields: what the rule says
 * (`because`), its playbook's title, the macros, processes, queues and task categories its
 * actions name (with their texts), the seed sentence it comes from, the quiz questions that train
 * it, and the words of its condition (those under a negation marked `not_`). Documents are ranked
 * by BM25 over the weighted, stemmed term counts, plus:
 * - a prior from the pack's own intent classifier (trained on the intents' example phrasings),
 *   which carries customers' words to the playbooks they mean;
 * - agreement between durations or counts in the question ("two hours", "25 tracking numbers")
 *   and the comparisons in the step's condition (`order.minutesSincePlaced <= 60`);
 * - text the step's condition looks for in a message (`.matches("hold|pause")`) found in the
 *   question;
 * - a bonus when the step's actions are the kind of answer the question asks for ("which macro"
 *   → a step that sends one, "which status" → one that sets a PO status);
 * - a small bonus for steps early in their playbook (the SOP's own order).
 * Pure and deterministic; no network. Weights were chosen on the packs' own quiz questions
 * (`bench/askTune.ts`); `bench/ask.ts` measures a held-out set.
 */

export type SopAnswer = {
  /** The rule id, e.g. `cancel.hold`. */
  rule: string;
  /** The playbook the rule belongs to (its title). */
  title: string;
  /** What the rule says, in the pack's words (`because`). */
  answer: string;
  macros: string[];
  processes: string[];
  /** Where the rule comes from: the seed sentence, or the author's reason. */
  source: string;
  /** Relevance, higher is better; comparable only within one answer list. */
  score: number;
  playbook: string;
  when?: string;
};

export type AskField =
  | 'because'
  | 'title'
  | 'ruleId'
  | 'macroName'
  | 'macroBody'
  | 'process'
  | 'processSteps'
  | 'target'
  | 'source'
  | 'quiz'
  | 'examples'
  | 'condition'
  | 'inform'
  | 'negation'
  | 'pattern';

/** How much one occurrence of a word in each field counts. */
export const ASK_FIELD_WEIGHTS: Record<AskField, number> = {
  because: 3,
  title: 1.5,
  ruleId: 1.5,
  macroName: 2,
  macroBody: 0.4,
  process: 1.5,
  processSteps: 0.4,
  target: 1,
  source: 1.5,
  quiz: 2,
  examples: 0,
  condition: 0.5,
  inform: 1,
  negation: 1.5,
  pattern: 2,
};

export type AskOptions = {
  limit?: number;
  /** Weight of the intent classifier's probability against the text score. */
  intentWeight?: number;
  k1?: number;
  b?: number;
  /** Bonus for a step early in its playbook (the SOP's own order), divided by 1 + its position. */
  orderWeight?: number;
  /** Overrides of `ASK_FIELD_WEIGHTS` (used to tune the weights on the packs' own quizzes). */
  fieldWeights?: Partial<Record<AskField, number>>;
  /** Bonus for a step whose actions are of the kind the question asks for (a macro, a status...). */
  answerTypeWeight?: number;
  /** Weight of the agreement between durations or counts in the question and the step's condition. */
  boundWeight?: number;
};

type Doc = {
  answer: Omit<SopAnswer, 'score'>;
  intents: string[];
  /** The step's place in its playbook (0 = first): the SOP's own order. */
  position: number;
  /** The types of the step's actions (send_macro, set_po_status, ...). */
  actionTypes: Set<string>;
  /** Comparisons of the step's condition on durations, in hours, or on counts. */
  bounds: Bound[];
  tf: Map<string, number>;
  length: number;
};

export type SopIndex = {
  pack: Pack;
  docs: Doc[];
  df: Map<string, number>;
  avgLength: number;
  /** Text the steps' conditions look for in a message (`matches`, `contains`), lower-case. */
  patterns: string[];
};

const indexes = new WeakMap<Pack, Map<string, SopIndex>>();

/** The search index of a pack's rules; built once per loaded pack (and set of field weights). */
export function sopIndex(pack: Pack, weights: Partial<Record<AskField, number>> = {}): SopIndex {
  const key = JSON.stringify(weights);
  const byWeights = indexes.get(pack) ?? new Map<string, SopIndex>();
  indexes.set(pack, byWeights);
  const cached = byWeights.get(key);
  if (cached) return cached;
  const index = buildIndex(pack, { ...ASK_FIELD_WEIGHTS, ...weights });
  byWeights.set(key, index);
  return index;
}

function buildIndex(pack: Pack, weights: Record<AskField, number>): SopIndex {
  const m = pack.manifest;
  const quizByRule = new Map<string, string[]>();
  for (const q of m.quiz?.questions ?? []) {
    if (!q.rule) continue;
    quizByRule.set(q.rule, [...(quizByRule.get(q.rule) ?? []), `${q.question} ${q.answer}`]);
  }
  const docs: Doc[] = [];
  const patterns = new Set<string>();
  for (const [playbookId, playbook] of Object.entries(m.playbooks)) {
    const examples = playbook.intents.flatMap((i) => {
      const intent = m.intents[i];
      return intent ? [intent.title, ...intent.examples] : [];
    });
    for (const [position, step] of playbook.steps.entries()) {
      const fields: [AskField, string][] = [];
      const negatedTerms: string[] = [];
      const patternTerms: string[] = [];
      const add = (field: AskField, text: string | undefined) => {
        if (text) fields.push([field, text]);
      };
      add('because', step.because);
      add('title', playbook.title);
      add('ruleId', step.rule.replace(/[.-]/g, ' '));
      add('source', step.source.replace(/^seed \d+:\s*/, '').replace(/^author's choice:\s*/, ''));
      if (step.when) {
        const { plain, negated } = conditionWords(step.when);
        add('condition', plain.join(' '));
        negatedTerms.push(...negated);
        for (const p of textPatterns(step.when)) {
          patternTerms.push(`re:${p}`);
          patterns.add(p);
        }
      }
      for (const q of quizByRule.get(step.rule) ?? []) add('quiz', q);
      for (const e of examples) add('examples', e);
      const macros: string[] = [];
      const processes: string[] = [];
      for (const action of step.do) {
        const a = action as Record<string, unknown>;
        const macro = typeof a.macro === 'string' ? a.macro : undefined;
        if (macro) {
          macros.push(macro);
          add('macroName', macro);
          add('macroName', m.macros[macro]?.title);
          add('macroBody', m.macros[macro]?.body.replace(/\{\{[^}]*\}\}/g, ' '));
        }
        if (action.type === 'start_process' && typeof a.process === 'string') {
          const process = m.processes[a.process];
          processes.push(a.process);
          add('process', `${a.process} ${process?.title ?? ''}`);
          add('processSteps', process?.steps.join(' '));
        }
        if (action.type === 'escalate' && typeof a.queue === 'string') {
          add('target', `${a.queue} ${m.queues[a.queue]?.description ?? ''}`);
        }
        if (action.type === 'categorize' && typeof a.category === 'string') {
          add('target', `${a.category} ${m.categories[a.category]?.description ?? ''}`);
        }
        if (action.type === 'notify' && typeof a.channel === 'string') {
          add('target', `${a.channel} ${m.channels[a.channel]?.description ?? ''}`);
        }
        if (action.type === 'move_card' && typeof a.column === 'string') add('target', a.column);
        if (action.type === 'inform' && typeof a.text === 'string') add('inform', a.text);
        for (const key of [
          'what',
          'who',
          'purpose',
          'with',
          'record',
          'approval',
          'status',
          'scope',
          'basis',
        ]) {
          if (typeof a[key] === 'string') add('target', String(a[key]));
        }
        if (action.type !== 'inform') add('target', action.type);
      }
      const tf = new Map<string, number>();
      let length = 0;
      for (const t of patternTerms) {
        if (weights.pattern === 0) break;
        tf.set(t, (tf.get(t) ?? 0) + weights.pattern);
        length += weights.pattern;
      }
      for (const t of negatedTerms) {
        if (weights.negation === 0) break;
        tf.set(t, (tf.get(t) ?? 0) + weights.negation);
        length += weights.negation;
      }
      for (const [field, text] of fields) {
        const w = weights[field];
        if (w === 0) continue;
        for (const t of terms(text)) {
          tf.set(t, (tf.get(t) ?? 0) + w);
          length += w;
        }
      }
      docs.push({
        answer: {
          rule: step.rule,
          title: playbook.title,
          answer: step.because,
          macros: [...new Set(macros)],
          processes: [...new Set(processes)],
          source: step.source,
          playbook: playbookId,
          ...(step.when ? { when: step.when } : {}),
        },
        intents: playbook.intents,
        position,
        actionTypes: new Set(step.do.map((a) => a.type as string)),
        bounds: step.when ? conditionBounds(step.when) : [],
        tf,
        length,
      });
    }
  }
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const avgLength = docs.reduce((s, d) => s + d.length, 0) / Math.max(docs.length, 1);
  return { pack, docs, df, avgLength, patterns: [...patterns] };
}

/** The pack's rules that answer a question, best first (at most `limit`, default 5). */
export function askSop(pack: Pack, question: string, options: AskOptions = {}): SopAnswer[] {
  const index = sopIndex(pack, options.fieldWeights);
  const {
    limit = 5,
    intentWeight = 3,
    k1 = 1.2,
    b = 0.3,
    orderWeight = 1,
    boundWeight = 1.5,
    answerTypeWeight = 4,
  } = options;
  const wanted = answerTypes(question);
  const quantities = statedQuantities(question);
  const queryTerms = [
    ...new Set([...terms(question), ...negatedQueryTerms(question), ...patternQueryTerms(index, question)]),
  ].filter((t) => index.df.has(t));
  if (queryTerms.length === 0) return [];
  const n = index.docs.length;
  const prediction = pack.classifier.predict(question);
  const intentP = new Map(prediction.ranking.map((r) => [r.intent, r.p]));
  const scored = index.docs.map((doc) => {
    let text = 0;
    for (const t of queryTerms) {
      const f = doc.tf.get(t);
      if (!f) continue;
      const df = index.df.get(t)!;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      text += (idf * (f * (k1 + 1))) / (f + k1 * (1 - b + (b * doc.length) / index.avgLength));
    }
    const prior = Math.max(0, ...doc.intents.map((i) => intentP.get(i) ?? 0));
    const order = orderWeight / (1 + doc.position);
    const fit = boundWeight * boundFit(doc.bounds, quantities);
    const typed = wanted.some((t) => doc.actionTypes.has(t)) ? answerTypeWeight : 0;
    return { doc, text, score: text + intentWeight * prior + order + fit + typed };
  });
  return scored
    .filter((s) => s.text > 0 || s.score > intentWeight * 0.5)
    .sort((x, y) => y.score - x.score || x.doc.answer.rule.localeCompare(y.doc.answer.rule))
    .slice(0, limit)
    .map((s) => ({ ...s.doc.answer, score: Math.round(s.score * 1000) / 1000 }));
}

/** A comparison in a step's condition: a duration (in hours) or a count, against a number. */
type Bound = { kind: 'hours' | 'count'; op: '<' | '<=' | '>' | '>=' | '=='; value: number };

const HOURS_PER: Record<string, number> = {
  minutes: 1 / 60,
  hours: 1,
  days: 24,
  businessdays: 24,
  weeks: 168,
  months: 720,
};

/** Comparisons such as `order.minutesSincePlaced <= 60.0` or `message.trackingNumberCount > 10`. */
function conditionBounds(when: string): Bound[] {
  const bounds: Bound[] = [];
  for (const m of when.matchAll(/\b[a-z]+\.([A-Za-z]+)\s*(<=|>=|<|>|==)\s*(\d+(?:\.\d+)?)/g)) {
    const fact = m[1]!;
    const op = m[2] as Bound['op'];
    const value = Number(m[3]);
    const unit = /^(minutes|hours|days|businessDays|weeks|months)Since/.exec(fact)?.[1]?.toLowerCase();
    if (unit) bounds.push({ kind: 'hours', op, value: value * HOURS_PER[unit]! });
    else if (/Count$/.test(fact)) bounds.push({ kind: 'count', op, value });
  }
  return bounds;
}

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
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  half: 0.5,
  couple: 2,
  few: 3,
  several: 4,
};

/** Durations ("two hours", "5 business days", "a week") and bare counts ("25 tracking numbers"). */
function statedQuantities(question: string): { hours: number[]; counts: number[] } {
  const text = question.toLowerCase();
  const hours: number[] = [];
  const counts: number[] = [];
  const num = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')})`;
  const re = new RegExp(
    `\\b${num}(?:\\s+of)?\\s+(business\\s+days?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\\b`,
    'g',
  );
  for (const m of text.matchAll(re)) {
    const n = NUMBER_WORDS[m[1]!] ?? Number(m[1]);
    const unit = m[2]!.replace(/\s+/g, '').replace(/s$/, '');
    const per = unit.startsWith('min')
      ? HOURS_PER.minutes!
      : unit.startsWith('h')
        ? 1
        : unit.startsWith('business') || unit === 'day'
          ? 24
          : unit === 'week'
            ? 168
            : 720;
    hours.push(n * per);
  }
  for (const m of text.matchAll(/\b(\d+)\s+(?![a-z]*\s*(?:business|minute|min|hour|hr|day|week|month))/g)) {
    counts.push(Number(m[1]));
  }
  return { hours, counts };
}

/** +1 for each condition bound a stated quantity meets, -1 for each it breaks. */
function boundFit(bounds: Bound[], stated: { hours: number[]; counts: number[] }): number {
  let fit = 0;
  for (const bound of bounds) {
    for (const v of bound.kind === 'hours' ? stated.hours : stated.counts) {
      const ok =
        bound.op === '<'
          ? v < bound.value
          : bound.op === '<='
            ? v <= bound.value
            : bound.op === '>'
              ? v > bound.value
              : bound.op === '>='
                ? v >= bound.value
                : v === bound.value;
      fit += ok ? 1 : -1;
    }
  }
  return fit;
}

/**
 * The words of a condition, with those under a negation marked: `!tracking.delivered` gives
 * `not_deliv`, `!(actor.role in ["lead", "asl"])` gives `not_lead` and `not_asl`,
 * `size(order.addressProblems) == 0` gives `not_address`..., so "I'm not a lead" or "no cancel
 * option" in a question can meet the step whose condition says so.
 */
function conditionWords(when: string): { plain: string[]; negated: string[] } {
  const plain: string[] = [];
  const negated: string[] = [];
  for (const atom of splitTopLevel(when)) {
    const trimmed = atom.trim();
    const negative = /^!/.test(trimmed) || /!=/.test(trimmed) || /==\s*(0(\.0)?|false)\s*\)?$/.test(trimmed);
    const text = trimmed
      .replace(/\b(size|exists|contains|lowerAscii|matches|in)\b/g, ' ')
      .replace(/[^A-Za-z0-9_ ]+/g, ' ');
    const ws = terms(text);
    plain.push(...ws);
    if (negative) negated.push(...ws.map((w) => `not_${w}`));
  }
  return { plain, negated };
}

/** Splits a condition at its top-level `&&` and `||` (not inside parentheses or strings). */
function splitTopLevel(expr: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === quote && expr[i - 1] !== '\\') quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && (expr.startsWith('&&', i) || expr.startsWith('||', i))) {
      parts.push(expr.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  parts.push(expr.slice(start));
  // A negated group `!(a || b)` stays whole; a group without negation is split further.
  return parts.flatMap((p) => {
    const t = p.trim();
    if (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1)))
      return splitTopLevel(t.slice(1, -1));
    return [t];
  });
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'none',
  'nothing',
  'nobody',
  'without',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'hasnt',
  'havent',
  'hadnt',
  'doesnt',
  'dont',
  'didnt',
  'cant',
  'cannot',
  'couldnt',
  'wont',
  'yet',
]);

/** `not_<term>` for the (up to three) content words after a negation in the question. */
function negatedQueryTerms(question: string): string[] {
  const ws = words(question);
  const out: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    if (!NEGATORS.has(ws[i]!)) continue;
    let taken = 0;
    for (let j = i + 1; j < ws.length && taken < 3; j++) {
      const w = ws[j]!;
      if (NEGATORS.has(w)) break;
      if (STOP_WORDS.has(w)) continue;
      out.push(`not_${stem(w)}`);
      taken++;
    }
  }
  return out;
}

/**
 * What a condition looks for in the message's text: the alternatives of `.matches("a|b c")` and
 * the text of `.contains("...")`, as plain lower-case words (regex syntax dropped). A question
 * that contains one (at a word start) meets the step the way a customer's message would.
 */
function textPatterns(when: string): string[] {
  const out: string[] = [];
  for (const m of when.matchAll(/\.(matches|contains)\(\s*"((?:[^"\\]|\\.)*)"\s*\)/g)) {
    const body = m[2]!;
    const alternatives = m[1] === 'matches' ? splitAlternatives(body) : [body];
    for (const alt of alternatives) {
      const plain = alt
        .replace(/\([^()]*\)\?/g, '')
        .replace(/'/g, ' ')
        .replace(/\\\\b|\\b/g, ' ')
        .replace(/\(\?:/g, '(')
        .replace(/\.\?|\?|\.\*|\.\+/g, ' ')
        .replace(/\[[^\]]*\]/g, ' ')
        .replace(/[()\\^$*+.]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .toLowerCase();
      if (plain.length >= 3 && /^[a-z0-9 ]+$/.test(plain)) out.push(plain);
    }
  }
  return [...new Set(out)];
}

/** Top-level `|` alternatives of a regex; a group's alternatives are expanded one level. */
function splitAlternatives(regex: string): string[] {
  const top: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i]!;
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      top.push(regex.slice(start, i));
      start = i + 1;
    }
  }
  top.push(regex.slice(start));
  return top.flatMap((alt) => {
    const group = /^(.*?)\((?:\?:)?([^()]*\|[^()]*)\)(.*)$/.exec(alt);
    if (!group) return [alt];
    return group[2]!.split('|').map((g) => `${group[1]}${g}${group[3]}`);
  });
}

/** The condition patterns the question contains, each at the start of a word. */
function patternQueryTerms(index: SopIndex, question: string): string[] {
  const text = ` ${normalizeText(question)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')}`;
  return index.patterns.filter((p) => text.includes(` ${p}`)).map((p) => `re:${p}`);
}

/**
 * What kind of answer a question asks for, from its wording: "which macro / what do I send" wants
 * a step that sends a macro, "which status" one that sets a PO status, and so on. Classic
 * question-type detection; the cue words are ordinary English, not any pack's phrasing.
 */
const ANSWER_CUES: [RegExp, string[]][] = [
  [/\b(macro|send|tell|reply|respond|write back|say to)\b/, ['send_macro']],
  [/\b(status|flip|mark (it|the po)|set the po)\b/, ['set_po_status']],
  [/\b(process|procedure|run)\b/, ['start_process']],
  [/\b(categor(y|ies|ise|ize)|log(ged)? (it )?under)\b/, ['categorize']],
  [/\b(escalat\w*|bucket|hand (it )?(over|off)|pass (it )?on)\b/, ['escalate']],
  [/\b(credit|refund|money back|give back|pay back|compensat\w*)\b/, ['credit']],
  [/\b(claim)\b/, ['file_claim']],
  [/\b(who (may|can|is allowed|approves|files|decides)|approv\w*)\b/, ['request_approval']],
];

function answerTypes(question: string): string[] {
  const q = normalizeText(question);
  return ANSWER_CUES.filter(([re]) => re.test(q)).flatMap(([, types]) => types);
}
