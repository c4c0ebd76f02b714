import { type Condition, compileCondition } from '../advice/expressions';
import { FACT_SCHEMA } from '../advice/facts';

/**
 * Three-valued evaluation of a step's condition against what a question says: `true` when the
 * condition holds whatever the facts the question leaves open turn out to be, `false` when it
 * fails whatever they are, `undefined` (unknown) when it depends on them.
 *
 * It reuses the engine's compiled CEL condition (advice/expressions.ts) instead of a second
 * evaluator: every fact the condition reads that the question does not settle is given, in turn,
 * each value from a small domain that covers every case the condition can tell apart (for a
 * boolean both values, for a string the literals the condition compares it with and one other
 * value, for a number the constants it is compared with, one either side of each, zero and a
 * large value), and the condition is evaluated on every combination. Settled facts take their
 * stated value (or the stated values' domain). Pure; no I/O.
 */

/** What a question says about one fact: its value, or the values it may still take. */
export type StatedFact = { value: unknown } | { allowed: (value: unknown) => boolean };

export type PartialFacts = ReadonlyMap<string, StatedFact>;

/** Combinations tried at most; a condition over more open facts than this is left unknown. */
const MAX_COMBINATIONS = 4096;

const OTHER = '\u0000other';

const FREE_TEXT = new Set(['message.subject', 'message.body']);

type FactType = 'bool' | 'string' | 'double' | 'int' | 'list<string>' | 'list<int>';

function factType(path: string): FactType | undefined {
  const [ns, field] = path.split('.');
  const schema = FACT_SCHEMA[ns as keyof typeof FACT_SCHEMA] as unknown;
  if (typeof schema === 'string') return field ? undefined : (schema as FactType);
  if (!field || !schema || typeof schema !== 'object') return undefined;
  return (schema as Record<string, FactType>)[field];
}

/** The values of one fact that tell apart every case of a condition. */
function domain(type: FactType, source: string): unknown[] {
  const literals = [...source.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
  const numbers = [...source.matchAll(/(?<![A-Za-z_.])(\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
  const around = [...new Set([0, 1e6, ...numbers.flatMap((n) => [n - 1, n, n + 1])])].filter((n) => n >= 0);
  switch (type) {
    case 'bool':
      return [false, true];
    case 'string':
      return [...new Set(['', ...literals, OTHER])];
    case 'double':
      return around;
    case 'int':
      return around.map((n) => BigInt(Math.round(n)));
    case 'list<string>':
      return [[], ...[...new Set(literals)].map((l) => [l]), [OTHER]];
    default:
      return [[]];
  }
}

/** Every fact at its "absent" value, as the engine derives them for an empty case. */
function emptyFacts(): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  const empty = (t: string) =>
    t === 'bool' ? false : t === 'string' ? '' : t === 'double' ? 0 : t === 'int' ? 0n : [];
  for (const [ns, schema] of Object.entries(FACT_SCHEMA)) {
    if (typeof schema === 'string') facts[ns] = empty(schema);
    else facts[ns] = Object.fromEntries(Object.entries(schema).map(([k, t]) => [k, empty(t as string)]));
  }
  return facts;
}

function setFact(facts: Record<string, unknown>, path: string, value: unknown): void {
  const [ns, field] = path.split('.') as [string, string | undefined];
  if (field === undefined) facts[ns] = value;
  else (facts[ns] as Record<string, unknown>)[field] = value;
}

/** `true`, `false`, or `undefined` when the condition depends on facts the question leaves open. */
export function evaluatePartial(condition: Condition, stated: PartialFacts): boolean | undefined {
  const open: { path: string; values: unknown[] }[] = [];
  const base = emptyFacts();
  for (const path of condition.reads) {
    const type = factType(path);
    if (!type) return undefined;
    const said = stated.get(path);
    if (said && 'value' in said) {
      setFact(base, path, said.value);
      continue;
    }
    // Free text (what a message says) has no small domain: a condition on it stays unknown.
    if (FREE_TEXT.has(path)) return undefined;
    let values = domain(type, condition.source);
    if (said) {
      const kept = values.filter((v) => said.allowed(v));
      // No value the condition names is allowed: the fact is "some other value".
      if (kept.length > 0) values = kept;
      else if (type === 'string') values = [OTHER];
      else if (type === 'list<string>') values = [[OTHER]];
    }
    if (values.length === 1) setFact(base, path, values[0]);
    else open.push({ path, values });
  }
  const combinations = open.reduce((n, o) => n * o.values.length, 1);
  if (combinations > MAX_COMBINATIONS) return undefined;
  let sawTrue = false;
  let sawFalse = false;
  const at = open.map(() => 0);
  for (let c = 0; c < combinations; c++) {
    // Every open fact is set on each combination, so the same object serves them all.
    for (const [i, o] of open.entries()) setFact(base, o.path, o.values[at[i]!]);
    let result: boolean;
    try {
      result = condition.evaluate(base);
    } catch {
      return undefined;
    }
    if (result) sawTrue = true;
    else sawFalse = true;
    if (sawTrue && sawFalse) return undefined;
    for (let i = 0; i < at.length; i++) {
      at[i]!++;
      if (at[i]! < open[i]!.values.length) break;
      at[i] = 0;
    }
  }
  return sawTrue && !sawFalse ? true : sawFalse && !sawTrue ? false : undefined;
}

const conjunctCache = new Map<string, Condition[]>();

/**
 * The top-level conjuncts of a condition (`a && (b || c) && !d` → `a`, `b || c`, `!d`), each
 * compiled by the engine; a condition that is not a conjunction is its own only conjunct.
 */
export function conjuncts(condition: Condition): Condition[] {
  const cached = conjunctCache.get(condition.source);
  if (cached) return cached;
  const parts = splitAnd(condition.source);
  const out: Condition[] = [];
  for (const part of parts) {
    const compiled = parts.length === 1 ? undefined : compileCondition(part);
    out.push(compiled?.ok ? compiled.condition : condition);
    if (compiled && !compiled.ok) {
      out.length = 0;
      out.push(condition);
      break;
    }
  }
  conjunctCache.set(condition.source, out);
  return out;
}

/** Splits an expression at its top-level `&&` (not inside parentheses, brackets or strings); a whole wrapped in parentheses is unwrapped. */
function splitAnd(expr: string): string[] {
  let e = expr.trim();
  while (e.startsWith('(') && e.endsWith(')') && closes(e) === e.length - 1) e = e.slice(1, -1).trim();
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < e.length; i++) {
    const c = e[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && e.startsWith('||', i)) return [e];
    else if (depth === 0 && e.startsWith('&&', i)) {
      parts.push(e.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  parts.push(e.slice(start).trim());
  return parts;
}

/** Where the parenthesis opening `e` closes. */
function closes(e: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < e.length; i++) {
    const c = e[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * How a step's condition fares against what a question says: `false` when the stated facts
 * contradict one of its conjuncts, else the number of its conjuncts that the stated facts make true and that are not
 * true whatever the facts (those say nothing about the question).
 */
export function conditionSupport(
  condition: Condition,
  stated: PartialFacts,
  asMessage?: PartialFacts,
): number | false {
  // Conjunct by conjunct (each reads fewer facts, so far fewer combinations): one that fails
  // whatever the open facts are makes the whole condition fail.
  let support = 0;
  for (const part of conjuncts(condition)) {
    const verdict = evaluatePartial(part, stated);
    if (verdict === false) return false;
    if (verdict === true && !alwaysTrue(part)) support++;
    // What a message says is free text: read as the question's own words, a conjunct on it can
    // gain support, but is never contradicted by words the question merely lacks.
    else if (
      verdict === undefined &&
      asMessage &&
      part.reads.some((r) => FREE_TEXT.has(r)) &&
      evaluatePartial(part, asMessage) === true
    )
      support++;
  }
  return support;
}

const NOTHING: PartialFacts = new Map();
const always = new Map<string, boolean>();

/** Whether a condition holds whatever the facts are (it then says nothing about a question). */
function alwaysTrue(condition: Condition): boolean {
  let known = always.get(condition.source);
  if (known === undefined) {
    known = evaluatePartial(condition, NOTHING) === true;
    always.set(condition.source, known);
  }
  return known;
}
