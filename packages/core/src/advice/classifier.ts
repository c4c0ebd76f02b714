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
  private readonly logPrior: Map<string, number>;
  private readonly logLikelihood: Map<string, Map<string, number>>;
  private readonly logUnseen: Map<string, number>;
  private readonly vocabulary: Set<string>;

  constructor(examples: TrainingExample[], alpha = 0.1) {
    const counts = new Map<string, Map<string, number>>();
    const totals = new Map<string, number>();
    const docs = new Map<string, number>();
    const vocabulary = new Set<string>();
    for (const ex of examples) {
      const c = counts.get(ex.intent) ?? new Map<string, number>();
      counts.set(ex.intent, c);
      docs.set(ex.intent, (docs.get(ex.intent) ?? 0) + 1);
      for (const f of features(ex.text, ex)) {
        c.set(f, (c.get(f) ?? 0) + 1);
        totals.set(ex.intent, (totals.get(ex.intent) ?? 0) + 1);
        vocabulary.add(f);
      }
    }
    this.intents = [...counts.keys()].sort();
    const v = vocabulary.size;
    this.logPrior = new Map();
    this.logLikelihood = new Map();
    this.logUnseen = new Map();
    for (const intent of this.intents) {
      // Uniform priors: how many examples an author wrote says nothing about how often customers ask.
      this.logPrior.set(intent, Math.log(1 / this.intents.length));
      const denom = (totals.get(intent) ?? 0) + alpha * v;
      const lik = new Map<string, number>();
      for (const [f, n] of counts.get(intent)!) lik.set(f, Math.log((n + alpha) / denom));
      this.logLikelihood.set(intent, lik);
      this.logUnseen.set(intent, Math.log(alpha / denom));
    }
    this.vocabulary = vocabulary;
  }

  /** The most likely intent, its posterior probability and the full ranking. */
  predict(text: string, meta: { from?: string; channel?: string } = {}): Prediction {
    const feats = features(text, meta).filter((f) => this.vocabulary.has(f));
    const scores = this.intents.map((intent) => {
      const lik = this.logLikelihood.get(intent)!;
      const unseen = this.logUnseen.get(intent)!;
      let s = this.logPrior.get(intent)!;
      for (const f of feats) s += lik.get(f) ?? unseen;
      return { intent, s };
    });
    const max = Math.max(...scores.map((x) => x.s));
    const exp = scores.map((x) => ({ intent: x.intent, e: Math.exp(x.s - max) }));
    const sum = exp.reduce((a, x) => a + x.e, 0);
    const ranking = exp
      .map((x) => ({ intent: x.intent, p: x.e / sum }))
      .sort((a, b) => b.p - a.p || a.intent.localeCompare(b.intent));
    // Who sent it and on which channel help to choose between intents, never to pick one alone.
    const words = feats.filter((f) => !f.startsWith('from:') && !f.startsWith('channel:'));
    if (words.length === 0 || ranking.length === 0) return { intent: 'unknown', confidence: 0, ranking };
    return { intent: ranking[0]!.intent, confidence: ranking[0]!.p, ranking };
  }
}
