import { normalizeText, STOP_WORDS, stem, words } from './text';

/**
 * Judging a free-text quiz answer against the pack's answer. What counts as correct:
 *
 * - the same text once case, accents, dashes, quotes, punctuation and spacing are normalised;
 * - or, when the expected answer names a macro (`#CL – Lost in Transit Wait`), the given answer
 *   names that macro (its words in order; the `#` and separators optional);
 * - or, otherwise, the given answer carries every number of the expected one ("3-5", "2-3 weeks")
 *   and enough of its key words (stemmed, stop words left out): all of them for answers of up to
 *   three key words, at least 70% for longer ones;
 * - for a question that asks for ONE of several things ("Name ONE of ..."), any one of the listed
 *   items is enough.
 *
 * The judgement says why, so an agent (and a lead who may override it) can see what was matched
 * and what was missing. Multiple-choice questions are judged by the choice alone.
 */

export type AnswerJudgement = {
  correct: boolean;
  /** The share of the expected key words found, 0..1. */
  score: number;
  reason: string;
  missing: string[];
};

/** The answer text normalised for comparison: punctuation and separators become spaces. */
export function normalizeAnswer(text: string): string {
  return normalizeText(text)
    .replace(/[^a-z0-9#]+/g, ' ')
    .trim();
}

const MACRO = /#\s*[A-Za-z]{2,4}\s*[-–—:]\s*[^,;"“”]+?(?=$|[,;"“”]|\s+(?:macro|and|then)\b)/u;

/** Words that only frame an instruction ("make sure", "ensure") and say nothing of its content. */
const FRAMING = new Set([
  'ensure',
  'make',
  'sure',
  'show',
  'shows',
  'need',
  'needs',
  'should',
  'send',
  'use',
  'using',
]);

function keyWords(text: string): string[] {
  return words(text)
    .filter((w) => !STOP_WORDS.has(w) && !FRAMING.has(w) && !/^\d+$/.test(w))
    .map(stem);
}

function numbers(text: string): string[] {
  return normalizeText(text).match(/\d+(?:\.\d+)?/g) ?? [];
}

/** Whether `needle`'s words appear in `hay`'s words, in order and next to each other. */
function containsPhrase(hay: string, needle: string): boolean {
  const h = ` ${normalizeAnswer(hay).replace(/#/g, ' ').replace(/\s+/g, ' ').trim()} `;
  const n = normalizeAnswer(needle).replace(/#/g, ' ').replace(/\s+/g, ' ').trim();
  return n.length > 0 && h.includes(` ${n} `);
}

function asksForOne(question: string): boolean {
  return /\b(name|give|list|say)\s+(one|any one|one of|an example)\b|\bone of the\b/i.test(question);
}

export function checkAnswer(expected: string, given: string, question = ''): AnswerJudgement {
  const want = normalizeAnswer(expected);
  const got = normalizeAnswer(given);
  if (!got) return { correct: false, score: 0, reason: 'No answer was given.', missing: keyWords(expected) };
  if (want === got) return { correct: true, score: 1, reason: 'The answer matches.', missing: [] };

  const macro = MACRO.exec(normalizeText(expected).replace(/[“”]/g, '"'))?.[0]?.trim();
  if (macro) {
    if (containsPhrase(given, macro)) {
      return {
        correct: true,
        score: 1,
        reason: `The answer names the macro "${expected.match(/#[^,;"]+/)?.[0]?.trim() ?? macro}".`,
        missing: [],
      };
    }
    return {
      correct: false,
      score: 0,
      reason: `The expected answer is the macro "${expected.match(/#[^,;"]+/)?.[0]?.trim() ?? macro}", which the answer does not name.`,
      missing: [macro],
    };
  }

  if (asksForOne(question)) {
    const items = expected
      .split(/,|&|\/|\bor\b|\band\b/i)
      .map((s) => s.trim())
      .filter(Boolean);
    const gotWords = new Set(keyWords(given));
    const squeezed = normalizeAnswer(given).replace(/\s+/g, '');
    const hit = items.find((item) => {
      const k = keyWords(item);
      const joined = normalizeAnswer(item).replace(/\s+/g, '');
      return (
        (k.length > 0 && k.every((w) => gotWords.has(w))) || (joined.length >= 4 && squeezed.includes(joined))
      );
    });
    if (hit)
      return { correct: true, score: 1, reason: `"${hit}" is one of the expected answers.`, missing: [] };
  }

  const gotNumbers = new Set(numbers(given));
  const missingNumbers = numbers(expected).filter((n) => !gotNumbers.has(n));
  const expectedWords = [...new Set(keyWords(expected))];
  const gotWords = new Set(keyWords(given));
  const missing = expectedWords.filter((w) => !gotWords.has(w));
  const found = expectedWords.length - missing.length;
  const score =
    expectedWords.length === 0 ? (missingNumbers.length === 0 ? 1 : 0) : found / expectedWords.length;
  const needed = expectedWords.length <= 3 ? 1 : 0.7;
  if (missingNumbers.length > 0) {
    return {
      correct: false,
      score,
      reason: `The answer lacks ${missingNumbers.map((n) => `"${n}"`).join(', ')} of the expected answer.`,
      missing: [...missingNumbers, ...missing],
    };
  }
  if (score >= needed) {
    return {
      correct: true,
      score,
      reason:
        missing.length === 0
          ? 'The answer has every key word of the expected answer.'
          : `The answer has ${found} of ${expectedWords.length} key words of the expected answer.`,
      missing,
    };
  }
  return {
    correct: false,
    score,
    reason: `The answer has ${found} of ${expectedWords.length} key words of the expected answer; ${Math.ceil(needed * expectedWords.length)} are needed.`,
    missing,
  };
}
