/**
 * Intent inference: a multinomial naive Bayes classifier over word unigrams, word bigrams and
 * character 4-grams inside words (which carry typos and word forms: "cancelled", "canceling"),
 * plus tokens for the channel and the sender, trained from each intent's example phrasings when
 * the pack loads. Deterministic and pure. The features and smoothing were chosen by 5-fold
 * cross-validation over the packs' own examples, never on the held-out benchmark set.
 */

export type TrainingExample = { intent: string; text: string; from?: string[]; channel?: string };
export type Prediction = { intent: string; confidence: number; ranking: { intent: string; p: number }[] };

const STOP = new Set(
  'a an the and or but of to in on at for with is are was were be been am i me my we our you your it its this that these those there here do does did have has had please hi hello thanks thank can could would will just so if as by from'.split(
    ' ',
  ),
);

/** Lower-cased words (stop words and numbers dropped), their bigrams and their character 4-grams. */
export function features(text: string, meta: { from?: string | string[]; channel?: string } = {}): string[] {
  const words = (
    text
      .toLowerCase()
      .normalize('NFKD')
      .match(/[a-z][a-z']*/g) ?? []
  )
    .map((w) => w.replace(/'s$/, '').replace(/'/g, ''))
    .map(stem)
    .filter((w) => w.length > 1 && !STOP.has(w));
  const out = [...words];
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]}_${words[i]}`);
  for (const word of words) {
    const padded = ` ${word} `;
    for (let i = 0; i + 4 <= padded.length; i++) out.push(`#${padded.slice(i, i + 4)}`);
  }
  for (const from of [meta.from ?? []].flat()) out.push(`from:${from}`, `from:${from}`);
  if (meta.channel) out.push(`channel:${meta.channel}`);
  return out;
}

/** A light suffix stripper, so "cancel", "cancelled" and "cancelling" count as one word. */
function stem(word: string): string {
  if (word.length <= 4) return word;
  return word.replace(/(?:ations?|ing|ings|edly|ed|es|s|ly)$/, '') || word;
}

export class IntentClassifier {
  private readonly intents: string[];
  /** For each known feature, its log-likelihood under every intent (in `intents` order). */
  private readonly weights = new Map<string, Float64Array>();
  private readonly logPrior: number;

  constructor(examples: TrainingExample[], alpha = 0.1) {
    const counts = new Map<string, Map<string, number>>();
    const totals = new Map<string, number>();
    const vocabulary = new Set<string>();
    for (const ex of examples) {
      const c = counts.get(ex.intent) ?? new Map<string, number>();
      counts.set(ex.intent, c);
      for (const f of features(ex.text, ex)) {
        c.set(f, (c.get(f) ?? 0) + 1);
        totals.set(ex.intent, (totals.get(ex.intent) ?? 0) + 1);
        vocabulary.add(f);
      }
    }
    this.intents = [...counts.keys()].sort();
    // Uniform priors: how many examples an author wrote says nothing about how often customers ask.
    this.logPrior = Math.log(1 / Math.max(this.intents.length, 1));
    const denominators = this.intents.map((intent) => (totals.get(intent) ?? 0) + alpha * vocabulary.size);
    for (const f of vocabulary) {
      this.weights.set(
        f,
        Float64Array.from(this.intents, (intent, i) =>
          Math.log(((counts.get(intent)!.get(f) ?? 0) + alpha) / denominators[i]!),
        ),
      );
    }
  }

  /** The most likely intent, its posterior probability and the full ranking. */
  predict(text: string, meta: { from?: string; channel?: string } = {}): Prediction {
    const scores = new Float64Array(this.intents.length).fill(this.logPrior);
    let words = 0;
    for (const f of features(text, meta)) {
      const w = this.weights.get(f);
      if (!w) continue;
      if (!f.startsWith('from:') && !f.startsWith('channel:')) words++;
      for (let i = 0; i < w.length; i++) scores[i]! += w[i]!;
    }
    const max = Math.max(...scores);
    let sum = 0;
    for (const s of scores) sum += Math.exp(s - max);
    const ranking = this.intents
      .map((intent, i) => ({ intent, p: Math.exp(scores[i]! - max) / sum }))
      .sort((a, b) => b.p - a.p || a.intent.localeCompare(b.intent));
    // Who sent it and on which channel help to choose between intents, never to pick one alone.
    if (words === 0 || ranking.length === 0) return { intent: 'unknown', confidence: 0, ranking };
    return { intent: ranking[0]!.intent, confidence: ranking[0]!.p, ranking };
  }
}
