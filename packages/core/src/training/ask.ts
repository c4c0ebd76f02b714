import { vendorPolicy } from '../advice/engine';
import type { Pack } from '../packs/load';
import { factWords } from './factWords';
import { compileLexicon, type Lexicon, lexiconTerms, SUPPORT_LEXICON } from './lexicon';
import { type RoleCheck, roleChecks, roleFit, roleNames, statedRole } from './roles';
import { statedFacts } from './statedFacts';
import { normalizeText, words } from './text';
import { conditionSupport, conjuncts } from './threeValued';

/**
 * Ask the SOP: an agent's question in their own words → the pack's rules that answer it, ranked.
 *
 * Every rule (a playbook step) becomes one document made of weighted fields: what the rule says
 * (`because`), its playbook's title, the macros, processes, queues and task categories its
 * actions name (with their texts), the seed sentence it comes from, the quiz questions that train
 * it, the words of its condition with plain words for the facts it tests (those under a negation
 * marked `not_`) and the values it compares them with. Rules and question are read alike through
 * the support lexicon and the pack's glossary (lexicon.ts) and a light stemmer (text.ts); a query
 * word the pack never uses is read as the pack's word one typo away. Documents are ranked by BM25
 * over the weighted term counts, plus:
 * - a prior from the pack's own intent classifier (trained on the intents' example phrasings),
 *   for the intents the step answers (its playbook's, narrowed by the step's own `intent` test);
 * - agreement between the role the asker names ("I'm an advocate", "lead here") and the step's
 *   test of `actor.role` (roles.ts);
 * - agreement between durations or counts in the question ("two hours", "yesterday", "25
 *   tracking numbers") and the comparisons in the step's condition (`order.minutesSincePlaced <= 60`);
 * - a small penalty when the question asserts what the step's condition denies, or the reverse;
 * - a bonus when the step's actions are the kind of answer the question asks for ("which macro"
 *   → a step that sends one, "which status" → one that sets a PO status, "where do I log" → one
 *   that logs a record);
 * - a small bonus for steps early in their playbook (the SOP's own order).
 * The best candidates are then re-ranked by their conditions: the facts the question states
 * (statedFacts.ts: "already shipped", "no tracking", "placed 20 min ago", a vendor's name...) are
 * evaluated against each candidate's `when` with the engine's CEL, three-valued (threeValued.ts):
 * a contradicted step moves down, and a step gains for each conjunct of its condition the facts
 * make true, within the playbooks of the best two candidates. Conditions on a message's text are
 * read against the question's own words (for support only: missing words contradict nothing).
 * Pure and deterministic; no network. Weights were chosen on development questions
 * (`bench/askTune.ts`: bench/ask-dev and the packs' quiz questions); `bench/ask.ts` measures the
 * two held-out sets, which neither the ranking nor the tuning reads.
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
  | 'literal'
  | 'pattern';

/** How much one occurrence of a word in each field counts. */
export const ASK_FIELD_WEIGHTS: Record<AskField, number> = {
  because: 4,
  title: 1.5,
  ruleId: 4,
  macroName: 6,
  macroBody: 0,
  process: 1.5,
  processSteps: 0.4,
  target: 0,
  source: 1,
  quiz: 2,
  examples: 0,
  condition: 1.5,
  inform: 1,
  negation: 4,
  literal: 2,
  pattern: 0,
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
  /** Penalty for each term the question states that the step's condition requires not to hold, or the reverse. */
  contradictionWeight?: number;
  /** Weight of the agreement between the role the asker names ("I'm an agent") and the step's condition. */
  roleWeight?: number;
  /** How many of the best candidates have their condition evaluated against the question's facts. */
  rerankDepth?: number;
  /** Bonus for a candidate whose condition holds on the facts the question states. */
  holdsWeight?: number;
  /** Penalty for a candidate whose condition the facts the question states contradict. */
  failsWeight?: number;
  /** Use the intent classifier's answer as the `intent` fact when it is at least this confident (above 1: never). */
  intentFactThreshold?: number;
  /**
   * How a candidate's support counts: each conjunct of its condition that the stated facts make
   * true (`count`), their share of its conjuncts (`share`), or once whatever their number (`any`).
   */
  supportMode?: 'count' | 'share' | 'any';
  /** Support counts only for steps of the playbooks of this many best candidates (0: of all re-ranked ones). */
  holdsScope?: number;
  /** Read a question that names no vendor with the pack's default vendor policies. */
  assumeDefaultVendor?: boolean;
  /** Read the question as the customer's message for the conditions on a message's text. */
  readAsMessage?: boolean;
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
  /** Tests of the actor's role in the step's condition. */
  roles: RoleCheck[];
  /** Terms the step's condition requires to hold, and (as `not_<term>`) to not hold. */
  holds: Set<string>;
  fails: Set<string>;
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
  /** The support lexicon and the pack's glossary, which both the rules and questions are read through. */
  lexicon: Lexicon;
  /** The names the pack's roles go by, longest first. */
  roleNames: [string, string][];
  /** The indexed term a misspelt query term most likely means, if any. */
  spell: (term: string) => string | undefined;
  /** The string literals the pack's conditions compare each fact with (`po.status == "Canceled"`). */
  literals: Map<string, Set<string>>;
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
  const lexicon = compileLexicon(SUPPORT_LEXICON, m.glossary ?? {});
  const terms = (text: string) => lexiconTerms(text, lexicon);
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
      const holdTerms: string[] = [];
      const patternTerms: string[] = [];
      const add = (field: AskField, text: string | undefined) => {
        if (text) fields.push([field, text]);
      };
      add('because', step.because);
      add('title', playbook.title);
      add('ruleId', step.rule.replace(/[.-]/g, ' '));
      add('source', step.source.replace(/^seed \d+:\s*/, '').replace(/^author's choice:\s*/, ''));
      if (step.when) {
        const { plain, negated, literals } = conditionWords(step.when, terms);
        add('condition', plain.join(' '));
        add('literal', literals.join(' '));
        holdTerms.push(...plain, ...literals.flatMap(terms));
        negatedTerms.push(...negated);
        // Text the condition looks for; under a negation ("the message has no photo") it is
        // text the question should not contain.
        for (const atom of splitTopLevel(step.when)) {
          const negative = /^!/.test(atom.trim());
          for (const p of textPatterns(atom)) {
            patterns.add(p);
            if (negative) negatedTerms.push(`not_re:${p}`);
            else {
              patternTerms.push(`re:${p}`);
              holdTerms.push(`re:${p}`);
            }
          }
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
        // Every other word the action says (a note's text, whom to contact, what to check...).
        for (const [key, value] of Object.entries(a)) {
          if (
            ['type', 'requires', 'macro', 'process', 'queue', 'category', 'channel', 'column'].includes(key)
          )
            continue;
          if (action.type === 'inform' && key === 'text') continue;
          if (typeof value === 'string') add('target', value.replace(/\{\{[^}]*\}\}/g, ' '));
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
        const ts = terms(text);
        for (const t of ts) {
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
        intents: stepIntents(playbook.intents, step.when),
        position,
        actionTypes: new Set(step.do.map((a) => a.type as string)),
        bounds: step.when ? conditionBounds(step.when) : [],
        roles: step.when ? roleChecks(splitTopLevel(step.when)) : [],
        holds: new Set(holdTerms),
        fails: new Set(negatedTerms),
        tf,
        length,
      });
    }
  }
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const avgLength = docs.reduce((s, d) => s + d.length, 0) / Math.max(docs.length, 1);
  return {
    pack,
    docs,
    df,
    avgLength,
    patterns: [...patterns],
    lexicon,
    roleNames: roleNames(m.roles),
    spell: speller(df),
    literals: conditionLiterals(docs.flatMap((d) => (d.answer.when ? [d.answer.when] : []))),
  };
}

/** Fact path → the string literals conditions compare it with (`==`, `!=`, `in [...]`). */
function conditionLiterals(conditions: string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const when of conditions) {
    for (const m of when.matchAll(
      /\b([a-z][a-zA-Z]*(?:\.[a-zA-Z]+)?)(?:\.lowerAscii\(\))?\s*(?:==|!=|\bin\b)\s*(\[[^\]]*\]|"[^"]*")/g,
    )) {
      const set = out.get(m[1]!) ?? new Set<string>();
      for (const l of m[2]!.matchAll(/"([^"]*)"/g)) if (l[1]) set.add(l[1]);
      out.set(m[1]!, set);
    }
  }
  return out;
}

/** The pack's rules that answer a question, best first (at most `limit`, default 5). */
export function askSop(pack: Pack, question: string, options: AskOptions = {}): SopAnswer[] {
  const index = sopIndex(pack, options.fieldWeights);
  const {
    limit = 5,
    intentWeight = 2,
    k1 = 2.2,
    b = 0.5,
    orderWeight = 1,
    boundWeight = 4,
    answerTypeWeight = 3,
    roleWeight = 4,
    contradictionWeight = 0.25,
    rerankDepth = 8,
    holdsWeight = 2,
    failsWeight = 2,
    intentFactThreshold = 1.1,
    supportMode = 'count',
    holdsScope = 2,
    assumeDefaultVendor = true,
    readAsMessage = true,
  } = options;
  const terms = (text: string) => lexiconTerms(text, index.lexicon);
  const negatedInQuestion = new Set(negatedQueryTerms(question, terms));
  const statedInQuestion = new Set(assertedQueryTerms(question, terms));
  const role = statedRole(question, index.roleNames);
  const wanted = answerTypes(question);
  const quantities = statedQuantities(question);
  const asked = terms(question).map((t) => (index.df.has(t) ? t : (index.spell(t) ?? t)));
  const queryTerms = [
    ...new Set([...asked, ...negatedInQuestion, ...patternQueryTerms(index, question)]),
  ].filter((t) => index.df.has(t));
  if (queryTerms.length === 0) return [];
  const n = index.docs.length;
  const idfs = new Map(
    queryTerms.map((t) => {
      const df = index.df.get(t)!;
      return [t, Math.log(1 + (n - df + 0.5) / (df + 0.5))];
    }),
  );
  const prediction = pack.classifier.predict(question);
  const intentP = new Map(prediction.ranking.map((r) => [r.intent, r.p]));
  const scored = index.docs.map((doc) => {
    let text = 0;
    for (const t of queryTerms) {
      const f = doc.tf.get(t);
      if (!f) continue;
      const idf = idfs.get(t)!;
      text += (idf * (f * (k1 + 1))) / (f + k1 * (1 - b + (b * doc.length) / index.avgLength));
    }
    const prior = Math.max(0, ...doc.intents.map((i) => intentP.get(i) ?? 0));
    const order = orderWeight / (1 + doc.position);
    const fit = boundWeight * boundFit(doc.bounds, quantities);
    const typed = wanted.some((t) => doc.actionTypes.has(t)) ? answerTypeWeight : 0;
    const asker = roleWeight * roleFit(doc.roles, role);
    let contradictions = 0;
    for (const t of statedInQuestion) if (doc.fails.has(`not_${t}`) && !doc.holds.has(t)) contradictions++;
    for (const n of negatedInQuestion) if (doc.holds.has(n.slice(4)) && !doc.fails.has(n)) contradictions++;
    const score =
      text + intentWeight * prior + order + fit + typed + asker - contradictionWeight * contradictions;
    return { doc, text, score };
  });
  const ranked = scored
    .filter((s) => s.text > 0 || s.score > intentWeight * 0.5)
    .sort((x, y) => y.score - x.score || x.doc.answer.rule.localeCompare(y.doc.answer.rule));
  // Condition-aware re-ranking: the best candidates' conditions are evaluated on the facts the
  // question states; one that holds moves up, one that is contradicted moves down.
  if (rerankDepth > 0 && (holdsWeight > 0 || failsWeight > 0)) {
    const facts = questionFacts(index, question, role, prediction, intentFactThreshold, assumeDefaultVendor);
    const asMessage = readAsMessage ? messageFacts(facts, question) : undefined;
    // A step's support counts only within the playbooks the best candidates come from: a
    // condition that holds does not make another playbook's step the answer.
    const playbooks = new Set(
      ranked.slice(0, holdsScope > 0 ? holdsScope : rerankDepth).map((s) => s.doc.answer.playbook),
    );
    for (const s of ranked.slice(0, rerankDepth)) {
      const when = s.doc.answer.when;
      const condition = when ? pack.conditions.get(when) : undefined;
      if (!condition) continue;
      const support = conditionSupport(condition, facts, asMessage);
      if (support === false) s.score -= failsWeight;
      else if (support > 0 && playbooks.has(s.doc.answer.playbook))
        s.score +=
          holdsWeight *
          (supportMode === 'any'
            ? 1
            : supportMode === 'share'
              ? support / conjuncts(condition).length
              : support);
    }
    ranked.sort((x, y) => y.score - x.score || x.doc.answer.rule.localeCompare(y.doc.answer.rule));
  }
  return ranked.slice(0, limit).map((s) => ({ ...s.doc.answer, score: Math.round(s.score * 1000) / 1000 }));
}

/**
 * The facts a question states (statedFacts.ts), with the asker's role, the intent when the
 * classifier is confident, and the pack's policy for a vendor the question names.
 */
function questionFacts(
  index: SopIndex,
  question: string,
  role: ReturnType<typeof statedRole>,
  prediction: { intent: string; confidence: number },
  intentThreshold: number,
  assumeDefaultVendor: boolean,
): ReturnType<typeof statedFacts> {
  const pack = index.pack;
  const vendors = Object.keys(pack.manifest.vendors?.list ?? {});
  const facts = statedFacts(question, { vendors, literals: index.literals });
  if (role) {
    if (role.negated) facts.set('actor.role', { allowed: (v) => v !== role.role });
    else facts.set('actor.role', { value: role.role });
  }
  if (prediction.confidence >= intentThreshold) facts.set('intent', { value: prediction.intent });
  const vendor = facts.get('vendor.name');
  const named = vendor && 'value' in vendor ? String(vendor.value) : undefined;
  // A question that names no vendor is about an ordinary one: the pack's default policies.
  if (named !== undefined || (assumeDefaultVendor && pack.manifest.vendors)) {
    const { policy } = vendorPolicy(pack, named ?? '');
    if (named !== undefined) facts.set('po.vendor', { value: named });
    else if (!facts.has('po.freight')) facts.set('po.freight', { value: false });
    facts.set('vendor.addressChangeAllowed', { value: policy.addressChangeAllowed });
    facts.set('vendor.cancelWholeOrderWhenSkuOutOfStock', {
      value: policy.cancelWholeOrderWhenSkuOutOfStock,
    });
    facts.set('vendor.cancelVia', { value: policy.cancelVia });
    facts.set('vendor.processingDaysMax', { value: BigInt(Math.round(policy.processingDays.max)) });
    facts.set('vendor.processingDaysMin', { value: BigInt(Math.round(policy.processingDays.min)) });
  }
  return facts;
}

/**
 * The stated facts with the question read as the customer's message: its text without the words
 * under a negation ("no pics yet" does not say there are pictures).
 */
function messageFacts(
  facts: ReturnType<typeof statedFacts>,
  question: string,
): ReturnType<typeof statedFacts> {
  const ws = words(question);
  const kept: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    if (NEGATORS.has(ws[i]!)) i += 3;
    else kept.push(ws[i]!);
  }
  const out = new Map(facts);
  out.set('message.exists', { value: true });
  out.set('message.body', { value: kept.join(' ') });
  out.set('message.subject', { value: '' });
  return out;
}

/**
 * Typo tolerance: a query term the index does not hold, of five letters or more, is read as the
 * indexed word within one edit (two from eight letters; a swap of two neighbours is one edit),
 * the most common such word first.
 */
function speller(df: Map<string, number>): (term: string) => string | undefined {
  const vocabulary = [...df.keys()].filter((t) => /^[a-z]+$/.test(t));
  const cache = new Map<string, string | undefined>();
  return (term) => {
    if (term.length < 5 || !/^[a-z]+$/.test(term)) return undefined;
    if (cache.has(term)) return cache.get(term);
    const max = term.length >= 8 ? 2 : 1;
    let best: string | undefined;
    let bestDistance = max + 1;
    for (const v of vocabulary) {
      if (Math.abs(v.length - term.length) > max) continue;
      const d = editDistance(term, v, max);
      if (d < bestDistance || (d === bestDistance && best && df.get(v)! > df.get(best)!)) {
        best = v;
        bestDistance = d;
      }
    }
    const found = bestDistance <= max ? best : undefined;
    cache.set(term, found);
    return found;
  };
}

/** Optimal string alignment distance (Levenshtein plus swaps of neighbours), cut off above `max`. */
function editDistance(a: string, b: string, max: number): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (i > 0 && best > max) return max + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The intents a step answers: its playbook's, narrowed by the step's own test of the intent
 * (`intent == "order_status"`, `intent in [...]`, `intent != "..."`) when it has one.
 */
function stepIntents(intents: string[], when: string | undefined): string[] {
  let out = intents;
  for (const atom of when ? splitTopLevel(when) : []) {
    const t = atom.trim();
    const list = /^intent\s+in\s+\[([^\]]*)\]$/.exec(t);
    const one = /^intent\s*(==|!=)\s*"([^"]+)"$/.exec(t);
    if (list) {
      const allowed = new Set([...list[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
      out = out.filter((i) => allowed.has(i));
    } else if (one) out = out.filter((i) => (i === one[2]) === (one[1] === '=='));
  }
  return out.length > 0 ? out : intents;
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

const RELATIVE_TIMES: [RegExp, number][] = [
  [/\b(this morning|earlier today|just now|an hour ago|today)\b/, 3],
  [/\b(yesterday|last night)\b/, 24],
  [/\b(last week|a week ago)\b/, 168],
  [/\b(last month|a month ago)\b/, 720],
];

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
  // Moments named without a number: how long ago they were, in hours.
  for (const [re, h] of RELATIVE_TIMES) if (re.test(text)) hours.push(h);
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
function conditionWords(
  when: string,
  terms: (text: string) => string[],
): { plain: string[]; negated: string[]; literals: string[] } {
  const plain: string[] = [];
  const negated: string[] = [];
  const literals: string[] = [];
  for (const atom of splitTopLevel(when)) {
    const trimmed = atom.trim();
    // The asker's role and the case's intent are matched on their own (roles.ts, the intent prior).
    if (/^!?\(?\s*(actor\.role|intent)\b/.test(trimmed)) continue;
    const negative = /^!/.test(trimmed) || /!=/.test(trimmed) || /==\s*(0(\.0)?|false)\s*\)?$/.test(trimmed);
    const text = trimmed
      .replace(/\b(size|exists|contains|lowerAscii|matches|in)\b/g, ' ')
      .replace(/[^A-Za-z0-9_ ]+/g, ' ');
    const ws = terms(text);
    if (negative) {
      // What a negation denies is the property (`!po.anyItemShipped`: nothing shipped), or the
      // thing itself when the property is its existence (`!tracking.exists`: no tracking).
      const property = trimmed
        .replace(/\b([a-z]+)\.exists\b/g, '$1')
        .replace(/\b[a-z]+\.(?=[a-zA-Z])/g, ' ')
        .replace(/\b(size|contains|lowerAscii|matches|in)\b/g, ' ')
        .replace(/[^A-Za-z0-9_ ]+/g, ' ');
      negated.push(...terms(`${property} ${factWords(trimmed)}`).map((w) => `not_${w}`));
    } else plain.push(...ws, ...terms(factWords(trimmed)));
    // The values a fact is compared with ("approved", "Sent to Vendor") say which case the step is.
    if (!negative && !/\.(matches|contains)\(/.test(trimmed)) {
      for (const m of trimmed.matchAll(/"([^"]*)"/g)) literals.push(m[1]!.replace(/_/g, ' '));
    }
  }
  return { plain, negated, literals };
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

/** The terms of the question outside the reach of a negation. */
function assertedQueryTerms(question: string, terms: (text: string) => string[]): string[] {
  const ws = words(question);
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= ws.length; i++) {
    if (i < ws.length && !NEGATORS.has(ws[i]!)) continue;
    out.push(...terms(ws.slice(start, i).join(' ')));
    // The negation reaches the next three content terms; the words after them are asserted again.
    let j = i + 1;
    let taken = 0;
    while (j < ws.length && taken < 3 && !NEGATORS.has(ws[j]!)) {
      if (terms(ws[j]!).length > 0) taken++;
      j++;
    }
    start = j;
    i = j - 1;
  }
  return out;
}

/** `not_<term>` for the (up to three) content terms after a negation in the question. */
function negatedQueryTerms(question: string, terms: (text: string) => string[]): string[] {
  const ws = words(question);
  const out: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    if (!NEGATORS.has(ws[i]!)) continue;
    let end = i + 1;
    while (end < ws.length && !NEGATORS.has(ws[end]!)) end++;
    out.push(
      ...terms(ws.slice(i + 1, end).join(' '))
        .slice(0, 3)
        .map((t) => `not_${t}`),
    );
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
  [/\b(log(ged|ging)?|record(ed)?|write (it )?down|tracker)\b/, ['log_record']],
  [/\bwho\b.*\b(handles?|deals?|manages?|fix(es)?|owns?|responsible|takes? care)\b/, ['escalate']],
  [/\b(check|look at|verify)\b/, ['check']],
  [/\b(comment|note)\b/, ['add_note']],
  [/\b(slack|ping|notify|post in)\b/, ['notify']],
  [/\b(follow ?up|check back|remind\w*|chase)\b/, ['follow_up']],
  [/\b(contact|reach out to|email|e-mail|call|phone|ring)\b/, ['contact', 'side_conversation']],
  [/\b(list|column|move)\b/, ['move_card']],
];

function answerTypes(question: string): string[] {
  const q = normalizeText(question);
  return ANSWER_CUES.filter(([re]) => re.test(q)).flatMap(([, types]) => types);
}
