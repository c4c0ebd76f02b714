import { Environment } from '@marcbachmann/cel-js';
import { FACT_SCHEMA } from './facts';

/**
 * SOP conditions are CEL expressions (Common Expression Language: no loops, no side effects,
 * evaluated without `eval`). Every variable is a namespace of the typed fact schema, so a
 * misspelt fact or a type mismatch is found when the pack loads, not when a case runs.
 */
function factEnvironment(): Environment {
  const env = new Environment();
  for (const [name, type] of Object.entries(FACT_SCHEMA)) {
    if (typeof type === 'string') env.registerVariable(name, type);
    else env.registerVariable({ name, schema: type as Record<string, string> });
  }
  return env;
}

/** Type-checks conditions against the fact schema when a pack loads. */
const env = factEnvironment();
/**
 * Evaluates them: the same language without per-call conversion of the facts into typed wrapper
 * objects, which the check above has already made unnecessary (it is about twice as fast).
 */
const runtime = new Environment({ unlistedVariablesAreDyn: true });

export type Condition = {
  source: string;
  /** The facts (namespace.field) the expression reads, for explanations. */
  reads: string[];
  evaluate(facts: Record<string, unknown>): boolean;
};

export type CompileResult = { ok: true; condition: Condition } | { ok: false; message: string };

const FACT_PATH = /\b([a-zA-Z]+)(?:\.([a-zA-Z]+))?\b/g;

/** Compiles and type-checks a condition; it must be a boolean expression over the facts. */
export function compileCondition(expression: string): CompileResult {
  const check = env.check(expression);
  if (!check.valid)
    return { ok: false, message: firstLine(check.error?.message ?? 'is not a valid expression') };
  if (check.type !== 'bool')
    return { ok: false, message: `must be true or false, but is of type ${check.type}` };
  const program = runtime.parse(expression);
  const reads = new Set<string>();
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  for (const m of withoutStrings.matchAll(FACT_PATH)) {
    const [, ns, field] = m;
    const schema = FACT_SCHEMA[ns as keyof typeof FACT_SCHEMA];
    if (schema === undefined) continue;
    if (typeof schema === 'string') reads.add(ns!);
    else if (field && field in schema) reads.add(`${ns}.${field}`);
  }
  return {
    ok: true,
    condition: {
      source: expression,
      reads: [...reads],
      evaluate: (facts) => program(facts) === true,
    },
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
