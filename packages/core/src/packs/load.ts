import { type Document, isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { IntentClassifier } from '../advice/classifier';
import { type Condition, compileCondition } from '../advice/expressions';
import { workflowProblems } from '../approvals/references';
import { isCapability } from '../capabilities';
import { placeholderProblems } from '../macros';
import { durationHours } from '../time';
import { trackerReferenceProblems } from '../trackers/trend';
import { type PackDefinition, packSchema } from './schema';

/** One file of a pack, as read from disk by the caller: the core does no I/O. */
export type PackFile = { path: string; text: string };

/** A problem that keeps a pack from loading: the file, the place inside it and what is wrong. */
export type PackProblem = { file: string; path: string; line?: number; message: string };

/** A loaded pack: its definition, its compiled conditions and its trained intent classifier. */
export type Pack = {
  manifest: PackDefinition;
  conditions: ReadonlyMap<string, Condition>;
  classifier: IntentClassifier;
};

export type PackLoadResult = { ok: true; pack: Pack } | { ok: false; problems: PackProblem[] };

type Parsed = { file: PackFile; doc: Document; lines: LineCounter };

/**
 * Parses and validates a pack. Every YAML file's top-level keys join one document; a key may be
 * defined in one file only. A pack with any problem is refused whole: the result lists every
 * problem with its file, its path inside the file and its line.
 */
export function loadPack(files: PackFile[]): PackLoadResult {
  const yamlFiles = files.filter((f) => /\.ya?ml$/.test(f.path)).sort((a, b) => a.path.localeCompare(b.path));
  if (!yamlFiles.some((f) => f.path === 'pack.yaml' || f.path.endsWith('/pack.yaml'))) {
    return { ok: false, problems: [{ file: 'pack.yaml', path: '', message: 'the pack has no pack.yaml' }] };
  }
  const problems: PackProblem[] = [];
  const merged: Record<string, unknown> = {};
  const owner = new Map<string, Parsed>();
  for (const file of yamlFiles) {
    const lines = new LineCounter();
    const doc = parseDocument(file.text, { lineCounter: lines });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        problems.push({
          file: file.path,
          path: '',
          line: lines.linePos(e.pos[0]).line,
          message: e.message.split('\n')[0]!,
        });
      }
      continue;
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ file: file.path, path: '', line: 1, message: 'a pack file must be a mapping of keys' });
      continue;
    }
    const parsed = { file, doc, lines };
    for (const [key, v] of Object.entries(value)) {
      const first = owner.get(key);
      if (first) {
        problems.push({ ...at(parsed, [key]), message: `"${key}" is already defined in ${first.file.path}` });
        continue;
      }
      owner.set(key, parsed);
      merged[key] = v;
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const locate = (path: (string | number)[], text?: string) => {
    const parsed = owner.get(String(path[0])) ?? owner.values().next().value!;
    return at(parsed, path.map(String), text);
  };
  const result = packSchema.safeParse(merged);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => ({
        ...locate(issue.path as (string | number)[]),
        message: issue.message,
      })),
    };
  }
  const definition = result.data;
  const conditions = new Map<string, Condition>();
  for (const p of checkReferences(definition, conditions))
    problems.push({ ...locate(p.path, p.text), message: p.message });
  for (const p of trackerReferenceProblems(definition))
    problems.push({ ...locate(p.path), message: p.message });
  // Approvals, boards, channels, timers and the cancellation window; a place already reported
  // above (an approval's request or decide role) is reported once.
  for (const p of workflowProblems(definition)) {
    if (problems.some((q) => q.path === p.path)) continue;
    problems.push({ ...locate(p.path.split('.')), path: p.path, message: p.message });
  }
  if (problems.length > 0) return { ok: false, problems };

  const classifier = new IntentClassifier(
    Object.entries(definition.intents).flatMap(([intent, d]) =>
      d.examples.map((text) => ({ intent, text, from: d.from })),
    ),
  );
  return { ok: true, pack: { manifest: definition, conditions, classifier } };
}

/** `text`: the offending text inside the value at `path`, whose own line is then reported. */
type RefProblem = { path: (string | number)[]; message: string; text?: string };

/** Checks what the schema cannot: expressions, and that every name an action uses is defined. */
function checkReferences(pack: PackDefinition, conditions: Map<string, Condition>): RefProblem[] {
  const problems: RefProblem[] = [];
  const compile = (expression: string, path: (string | number)[]) => {
    if (conditions.has(expression)) return;
    const compiled = compileCondition(expression);
    if (compiled.ok) conditions.set(expression, compiled.condition);
    else problems.push({ path, message: `${compiled.message} (in "${expression}")` });
  };
  const roles = new Set(Object.keys(pack.roles));
  const columns = new Set(Object.values(pack.boards).flatMap((b) => b.columns));
  const statuses = new Set(pack.purchaseOrders?.statuses ?? []);
  const ruleIds = new Map<string, string>();

  const known: Record<string, [string, Set<string> | null, string]> = {
    send_macro: ['macro', new Set(Object.keys(pack.macros)), 'macro'],
    escalate: ['queue', new Set(Object.keys(pack.queues)), 'queue'],
    start_process: ['process', new Set(Object.keys(pack.processes)), 'process'],
    notify: ['channel', new Set(Object.keys(pack.channels)), 'channel'],
    categorize: ['category', new Set(Object.keys(pack.categories)), 'task category'],
    move_card: ['column', columns, 'board column'],
    set_po_status: ['status', statuses, 'PO status of this pack'],
    request_approval: ['approval', new Set(Object.keys(pack.approvals)), 'approval type'],
    log_record: ['record', new Set(Object.keys(pack.trackers)), 'tracker record type'],
  };

  for (const [id, playbook] of Object.entries(pack.playbooks)) {
    const base = ['playbooks', id];
    if (playbook.when) compile(playbook.when, [...base, 'when']);
    playbook.intents.forEach((intent, i) => {
      if (!(intent in pack.intents))
        problems.push({
          path: [...base, 'intents', i],
          message: `"${intent}" is not an intent of this pack`,
        });
    });
    playbook.steps.forEach((step, s) => {
      const stepPath = [...base, 'steps', s];
      const seen = ruleIds.get(step.rule);
      if (seen)
        problems.push({
          path: [...stepPath, 'rule'],
          message: `rule "${step.rule}" is already used in ${seen}`,
        });
      ruleIds.set(step.rule, `playbooks.${id}`);
      if (step.when) compile(step.when, [...stepPath, 'when']);
      step.do.forEach((action, a) => {
        const actionPath = [...stepPath, 'do', a];
        const ref = known[action.type];
        if (ref) {
          const [key, names, what] = ref;
          if (names && !names.has(String(action[key]))) {
            problems.push({
              path: [...actionPath, key],
              message: `"${action[key]}" is not a ${what} defined in the pack`,
            });
          }
        }
        // Keys that name something of the pack must name something it defines, on any action.
        if (
          action.type !== 'send_macro' &&
          action.macro !== undefined &&
          !(String(action.macro) in pack.macros)
        ) {
          problems.push({
            path: [...actionPath, 'macro'],
            message: `"${action.macro}" is not a macro defined in the pack`,
          });
        }
        if (action.timer !== undefined && !(String(action.timer) in pack.timers)) {
          problems.push({
            path: [...actionPath, 'timer'],
            message: `"${action.timer}" is not a timer defined in the pack`,
          });
        }
        if (action.type === 'follow_up' && durationHours(String(action.after)) === null) {
          problems.push({
            path: [...actionPath, 'after'],
            message: 'must be an ISO 8601 duration such as PT24H or P7D',
          });
        }
        if (action.requires !== undefined && !isCapability(String(action.requires))) {
          problems.push({
            path: [...actionPath, 'requires'],
            message: `"${action.requires}" is not a known capability`,
          });
        }
      });
    });
  }

  for (const [kind, section] of [
    ['trackers', pack.trackers],
    ['approvals', pack.approvals],
  ] as const) {
    for (const [id, def] of Object.entries(section)) {
      for (const key of ['log', 'read', 'resolve', 'request', 'decide'] as const) {
        const list = (def as Record<string, unknown>)[key] as string[] | undefined;
        list?.forEach((role, i) => {
          if (!roles.has(role))
            problems.push({ path: [kind, id, key, i], message: `"${role}" is not a role of this pack` });
        });
      }
    }
  }

  if (pack.purchaseOrders) {
    const po = pack.purchaseOrders;
    for (const [from, tos] of Object.entries(po.transitions)) {
      if (!statuses.has(from as never))
        problems.push({
          path: ['purchaseOrders', 'transitions', from],
          message: `"${from}" is not one of the pack's statuses`,
        });
      tos.forEach((to, i) => {
        if (!statuses.has(to))
          problems.push({
            path: ['purchaseOrders', 'transitions', from, i],
            message: `"${to}" is not one of the pack's statuses`,
          });
      });
    }
    po.guardrails.forEach((g, i) => {
      compile(g.require, ['purchaseOrders', 'guardrails', i, 'require']);
      if (ruleIds.has(g.rule))
        problems.push({
          path: ['purchaseOrders', 'guardrails', i, 'rule'],
          message: `rule "${g.rule}" is already used in ${ruleIds.get(g.rule)}`,
        });
      ruleIds.set(g.rule, 'purchaseOrders.guardrails');
    });
  }

  pack.refunds?.guardrails.forEach((g, i) => {
    compile(g.require, ['refunds', 'guardrails', i, 'require']);
    if (ruleIds.has(g.rule))
      problems.push({
        path: ['refunds', 'guardrails', i, 'rule'],
        message: `rule "${g.rule}" is already used in ${ruleIds.get(g.rule)}`,
      });
    ruleIds.set(g.rule, 'refunds.guardrails');
  });

  for (const [name, macro] of Object.entries(pack.macros)) {
    for (const { text, message } of placeholderProblems(macro.body))
      problems.push({ path: ['macros', name, 'body'], message, text });
  }

  if (pack.tickets) {
    const tickets = pack.tickets;
    const declared = new Set(Object.keys(tickets.statuses));
    const categories = new Set(Object.values(tickets.statuses).map((s) => s.category));
    for (const category of ['open', 'solved', 'closed'] as const) {
      if (!categories.has(category))
        problems.push({
          path: ['tickets', 'statuses'],
          message: `needs at least one status of category "${category}"`,
        });
    }
    if (tickets.initial !== undefined && !declared.has(tickets.initial))
      problems.push({
        path: ['tickets', 'initial'],
        message: `"${tickets.initial}" is not one of the pack's ticket statuses`,
      });
    for (const [from, tos] of Object.entries(tickets.transitions ?? {})) {
      if (!declared.has(from))
        problems.push({
          path: ['tickets', 'transitions', from],
          message: `"${from}" is not one of the pack's ticket statuses`,
        });
      tos?.forEach((to, i) => {
        if (!declared.has(to))
          problems.push({
            path: ['tickets', 'transitions', from, i],
            message: `"${to}" is not one of the pack's ticket statuses`,
          });
      });
    }
  }

  if (pack.quiz) {
    const categories = new Set(pack.quiz.categories);
    pack.quiz.questions.forEach((q, i) => {
      if (!categories.has(q.category))
        problems.push({
          path: ['quiz', 'questions', i, 'category'],
          message: `"${q.category}" is not a quiz category`,
        });
    });
  }
  return problems;
}

function at(parsed: Parsed, path: string[], text?: string): { file: string; path: string; line?: number } {
  return {
    file: parsed.file.path,
    path: path.join('.'),
    line: lineOf(parsed, path, text),
  };
}

/**
 * The line of the deepest key or item that exists along `path`, so a problem points at its place;
 * with `text`, the line of that text inside the value at `path` when it is found there.
 */
function lineOf({ doc, lines, file }: Parsed, path: string[], text?: string): number | undefined {
  let node: unknown = doc.contents;
  let line = rangeLine(node, lines);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === key,
      );
      if (!pair) return line;
      line = rangeLine(pair.key, lines) ?? line;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
      line = rangeLine(node, lines) ?? line;
    } else return line;
  }
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  const found = text && range ? file.text.slice(range[0], range[1]).indexOf(text) : -1;
  return range && found >= 0 ? lines.linePos(range[0] + found).line : line;
}

function rangeLine(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}
