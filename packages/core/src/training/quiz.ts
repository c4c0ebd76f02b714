import type { Pack } from '../packs/load';
import { type AnswerJudgement, checkAnswer, normalizeAnswer } from './answers';

/**
 * Training quizzes from a brand's pack: the pack's own quiz (`quiz.yaml`, free-text answers), or
 * questions generated from its rules (multiple choice), laid out as a game board of categories ×
 * point values. Generation is pure and deterministic: the same pack and seed give the same board.
 */

export type QuizQuestion = {
  /** Stable within a board: `pack:<n>` for the pack's quiz, `gen:<kind>:<rule>` for generated ones. */
  id: string;
  category: string;
  points: number;
  question: string;
  kind: 'free_text' | 'choice';
  /** The options of a multiple-choice question, in a fixed (seeded) order. */
  choices?: string[];
  answer: string;
  /** The pack rule the question trains, when there is one. */
  rule?: string;
};

export type QuizSource = 'pack' | 'generated';

export type QuizBoard = {
  source: QuizSource;
  seed: number | null;
  categories: string[];
  points: number[];
  questions: QuizQuestion[];
};

/** A small seeded generator (mulberry32): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The pack's own quiz as a board, or null when the pack has none. */
export function packQuizBoard(pack: Pack): QuizBoard | null {
  const quiz = pack.manifest.quiz;
  if (!quiz || quiz.questions.length === 0) return null;
  const questions: QuizQuestion[] = quiz.questions.map((q, i) => ({
    id: `pack:${i}`,
    category: q.category,
    points: q.points,
    question: q.question,
    kind: 'free_text',
    answer: q.answer,
    ...(q.rule ? { rule: q.rule } : {}),
  }));
  return {
    source: 'pack',
    seed: null,
    categories: quiz.categories,
    points: [...new Set(questions.map((q) => q.points))].sort((a, b) => a - b),
    questions,
  };
}

type Candidate = {
  kind: string;
  rule: string;
  question: string;
  answer: string;
  pool: string[];
  /** How the case may start: example messages of the playbook's intents, with their sender. */
  openers?: { from: string; text: string }[];
};

const KIND_TITLES: Record<string, string> = {
  macro: 'Which macro?',
  process: 'Which process?',
  who: 'Who may do it?',
  escalation: 'Where does it go?',
  category: 'Which task category?',
  status: 'Which PO status?',
};

const SENDERS: Record<string, string> = {
  customer: 'A customer',
  vendor: 'A vendor',
  supplier: 'The supplier',
  courier: 'The courier',
  warehouse: 'The warehouse',
  staff: 'A colleague',
};

/** Actions a "who may do it?" question is asked about: the ones that change something. */
const WHO_ACTIONS = new Set([
  'set_po_status',
  'cancel',
  'credit',
  'request_approval',
  'start_process',
  'log_record',
  'move_card',
  'file_claim',
]);

function describe(action: Record<string, unknown>): string {
  switch (action.type) {
    case 'set_po_status':
      return `set the PO status to ${action.status}`;
    case 'cancel':
      return `cancel the ${action.scope === 'items' ? 'items' : action.scope}`;
    case 'credit':
      return `credit the customer (${String(action.basis).replace(/_/g, ' ')})`;
    case 'request_approval':
      return `file the ${String(action.approval).replace(/_/g, ' ')} request`;
    case 'start_process':
      return `run "${action.process}"`;
    case 'log_record':
      return `log the ${String(action.record).replace(/_/g, ' ')} record`;
    case 'move_card':
      return `move the card to "${action.column}"`;
    default:
      return String(action.type).replace(/_/g, ' ');
  }
}

/** Every question the pack's rules can give, before a board is drawn from them. */
export function questionCandidates(pack: Pack): Candidate[] {
  const m = pack.manifest;
  const macroNames = Object.keys(m.macros);
  const processNames = Object.keys(m.processes);
  const queueNames = Object.keys(m.queues);
  const categoryNames = Object.keys(m.categories);
  const statuses = m.purchaseOrders?.statuses ?? [];
  const roleEntries = Object.entries(m.roles);
  const out: Candidate[] = [];
  const seen = new Set<string>();
  let currentOpeners: Candidate['openers'] = [];
  const push = (c: Candidate) => {
    const key = `${c.kind}:${c.rule}`;
    if (seen.has(key) || c.pool.filter((p) => p !== c.answer).length < 1) return;
    seen.add(key);
    out.push({ ...c, openers: currentOpeners });
  };
  for (const playbook of Object.values(m.playbooks)) {
    for (const step of playbook.steps) {
      const situation = `${playbook.title}. ${step.because}`;
      currentOpeners = playbook.intents.flatMap((i) =>
        (m.intents[i]?.examples ?? []).map((text) => ({ from: m.intents[i]!.from[0] ?? 'customer', text })),
      );
      for (const action of step.do) {
        const a = action as Record<string, unknown>;
        if (action.type === 'send_macro' && typeof a.macro === 'string') {
          push({
            kind: 'macro',
            rule: step.rule,
            question: `${situation} Which macro do you send?`,
            answer: a.macro,
            pool: macroNames,
          });
        }
        if (action.type === 'start_process' && typeof a.process === 'string') {
          push({
            kind: 'process',
            rule: step.rule,
            question: `${situation} Which process do you run?`,
            answer: a.process,
            pool: processNames,
          });
        }
        if (action.type === 'escalate' && typeof a.queue === 'string') {
          push({
            kind: 'escalation',
            rule: step.rule,
            question: `${situation} Where do you escalate it?`,
            answer: a.queue,
            pool: queueNames,
          });
        }
        if (action.type === 'categorize' && typeof a.category === 'string') {
          push({
            kind: 'category',
            rule: step.rule,
            question: `${situation} Which task category is the work logged under?`,
            answer: a.category,
            pool: categoryNames,
          });
        }
        if (action.type === 'set_po_status' && typeof a.status === 'string') {
          push({
            kind: 'status',
            rule: step.rule,
            question: `${situation} Which status does the PO get?`,
            answer: a.status,
            pool: statuses,
          });
        }
        if (typeof a.requires === 'string' && WHO_ACTIONS.has(action.type)) {
          const holders = roleEntries
            .filter(([, r]) => r.capabilities.includes(a.requires as never))
            .map(([, r]) => r.title);
          const others = roleEntries
            .filter(([, r]) => !r.capabilities.includes(a.requires as never))
            .map(([, r]) => r.title);
          if (holders.length > 0 && others.length > 0) {
            push({
              kind: 'who',
              rule: step.rule,
              question: `${situation} Who may ${describe(a)}?`,
              answer: holders.join(', '),
              pool: [holders.join(', '), ...others],
            });
          }
        }
      }
    }
  }
  return out;
}

/**
 * A board of questions generated from the pack's rules: up to five kinds of question (macro,
 * process, escalation, task category, PO status, who may do it), up to five questions each at
 * 100..500 points, four choices each (the answer and three other names of the pack). Deterministic
 * for a pack and a seed.
 */
export function generatedQuizBoard(pack: Pack, seed: number, perCategory = 5): QuizBoard {
  const random = seededRandom(seed);
  const byKind = new Map<string, Candidate[]>();
  for (const c of questionCandidates(pack)) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
  const kinds = Object.keys(KIND_TITLES)
    .filter((k) => byKind.has(k))
    .sort((x, y) => byKind.get(y)!.length - byKind.get(x)!.length || x.localeCompare(y))
    .slice(0, 5);
  const points = Array.from({ length: perCategory }, (_, i) => (i + 1) * 100);
  const questions: QuizQuestion[] = [];
  for (const kind of kinds) {
    const picked = shuffle(byKind.get(kind)!, random).slice(0, perCategory);
    picked.forEach((c, i) => {
      const distractors = shuffle([...new Set(c.pool.filter((p) => p !== c.answer))], random).slice(0, 3);
      const opener = c.openers?.length ? c.openers[Math.floor(random() * c.openers.length)] : undefined;
      questions.push({
        id: `gen:${kind}:${c.rule}`,
        category: KIND_TITLES[kind]!,
        points: points[i]!,
        question: opener
          ? `${SENDERS[opener.from] ?? 'Someone'} writes: “${opener.text}” ${c.question}`
          : c.question,
        kind: 'choice',
        choices: shuffle([c.answer, ...distractors], random),
        answer: c.answer,
        rule: c.rule,
      });
    });
  }
  return { source: 'generated', seed, categories: kinds.map((k) => KIND_TITLES[k]!), points, questions };
}

/** The board of a source: the pack's quiz, or one generated from its rules with a seed. */
export function quizBoard(pack: Pack, source: QuizSource, seed = 1): QuizBoard | null {
  return source === 'pack' ? packQuizBoard(pack) : generatedQuizBoard(pack, seed);
}

/** Judges an answer to one question: the choice for multiple choice, tolerant matching otherwise. */
export function judgeAnswer(question: QuizQuestion, given: string): AnswerJudgement {
  if (question.kind === 'choice') {
    const correct = normalizeAnswer(given) === normalizeAnswer(question.answer);
    return {
      correct,
      score: correct ? 1 : 0,
      reason: correct ? 'The right choice.' : `The answer is "${question.answer}".`,
      missing: correct ? [] : [question.answer],
    };
  }
  return checkAnswer(question.answer, given, question.question);
}

/** A board as a player sees it: no answers. */
export function publicQuestion(q: QuizQuestion): Omit<QuizQuestion, 'answer'> {
  const { answer: _answer, ...rest } = q;
  return rest;
}
