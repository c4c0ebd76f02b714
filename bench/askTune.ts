/**
 * Tunes Ask the SOP's weights on development questions, never on the held-out set of bench/ask:
 * - bench/ask-dev/<pack>.json, agents' questions written for tuning (see bench/ask.ts);
 * - the packs' own quiz questions labelled with a rule, with the quiz field left out of the index
 *   so a question cannot find itself.
 * Coordinate ascent from the current defaults: each weight in turn takes the value of a grid that
 * answers more questions first without answering fewer in either half of the questions (so a
 * change that only fits a few questions is not kept), for a few rounds. Prints the
 * best setting; copy it into the defaults of packages/core/src/training/ask.ts by hand.
 *
 *   npx tsx bench/askTune.ts [--rounds N] [--no-fields]
 */
import fs from 'node:fs';
import path from 'node:path';
import { ASK_FIELD_WEIGHTS, type AskField, type AskOptions, askSop, type Pack } from '@casebook/core';
import { loadPacks } from '../packages/server/src/packs';

const packs = loadPacks(path.join(path.resolve(import.meta.dirname, '..'), 'packs'));
type Item = { pack: Pack; q: string; good: Set<string>; quiz: boolean };
const items: Item[] = packs.list().flatMap((pack) => {
  const file = path.join(import.meta.dirname, 'ask-dev', `${pack.manifest.id}.json`);
  const dev = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { q: string; rule: string; accept?: string[] }[])
    : [];
  return [
    ...dev.map((d) => ({ pack, q: d.q, good: new Set([d.rule, ...(d.accept ?? [])]), quiz: false })),
    ...(pack.manifest.quiz?.questions ?? [])
      .filter((q) => q.rule)
      .map((q) => ({ pack, q: q.question, good: new Set([q.rule!]), quiz: true })),
  ];
});

type Setting = Required<Omit<AskOptions, 'limit' | 'fieldWeights'>> & { fields: Record<AskField, number> };

/** Questions answered first, in all and in each half of the questions (alternate ones). */
function score(s: Setting): { all: number; halves: [number, number] } {
  const halves: [number, number] = [0, 0];
  for (const [i, item] of items.entries()) {
    const { fields, ...options } = s;
    const [first] = askSop(item.pack, item.q, {
      ...options,
      limit: 1,
      fieldWeights: item.quiz ? { ...fields, quiz: 0 } : fields,
    });
    if (first && item.good.has(first.rule)) halves[i % 2]!++;
  }
  return { all: halves[0] + halves[1], halves };
}

/** A change is kept only when it answers more questions without answering fewer in either half. */
function better(trial: ReturnType<typeof score>, best: ReturnType<typeof score>): boolean {
  return trial.all > best.all && trial.halves.every((h, i) => h >= best.halves[i]!);
}

const current: Setting = {
  intentWeight: 2,
  k1: 2.2,
  b: 0.5,
  orderWeight: 1,
  boundWeight: 4,
  answerTypeWeight: 3,
  roleWeight: 4,
  contradictionWeight: 0.25,
  rerankDepth: 8,
  holdsWeight: 2,
  failsWeight: 2,
  intentFactThreshold: 1.1,
  supportMode: 'count',
  holdsScope: 2,
  assumeDefaultVendor: true,
  readAsMessage: true,
  fields: { ...ASK_FIELD_WEIGHTS },
};
const GRID = [0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6];
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 2;
/** `--no-fields`: tune the ranking's weights only, not the index's field weights (much faster). */
const noFields = process.argv.includes('--no-fields');

let best = score(current);
const show = (r: ReturnType<typeof score>) => `${r.all}/${items.length} (halves ${r.halves.join(' + ')})`;
console.log(
  `questions: ${items.length} (${items.filter((i) => !i.quiz).length} development, ${items.filter((i) => i.quiz).length} quiz)`,
);
console.log(`start: ${show(best)}`);
for (let round = 0; round < rounds; round++) {
  for (const key of Object.keys(current) as (keyof Setting)[]) {
    if (key === 'fields') continue;
    const grid: unknown[] =
      key === 'b'
        ? [0, 0.1, 0.2, 0.3, 0.5, 0.75]
        : key === 'k1'
          ? [0.6, 0.9, 1.2, 1.6, 2.2]
          : key === 'rerankDepth'
            ? [0, 3, 5, 8, 12, 20]
            : key === 'intentFactThreshold'
              ? [0.5, 0.6, 0.7, 0.8, 0.9, 1.1]
              : key === 'assumeDefaultVendor' || key === 'readAsMessage'
                ? [false, true]
                : key === 'holdsScope'
                  ? [0, 1, 2, 3]
                  : key === 'supportMode'
                    ? ['count', 'share', 'any']
                    : GRID;
    for (const v of grid) {
      const trial = { ...current, [key]: v } as Setting;
      const ok = score(trial);
      if (better(ok, best)) {
        best = ok;
        (current as Record<string, unknown>)[key] = v;
      }
    }
  }
  for (const field of Object.keys(current.fields) as AskField[]) {
    if (field === 'quiz' || noFields) continue;
    for (const v of GRID) {
      const trial = { ...current, fields: { ...current.fields, [field]: v } };
      const ok = score(trial);
      if (better(ok, best)) {
        best = ok;
        current.fields[field] = v;
      }
    }
  }
  console.log(`round ${round + 1}: ${show(best)}`);
  const { fields: _fields, ...weights } = current;
  console.log(JSON.stringify(weights));
}
console.log(JSON.stringify(current, null, 2));
