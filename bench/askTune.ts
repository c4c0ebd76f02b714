/**
 * Tunes Ask the SOP on the packs' own quiz questions (those labelled with a rule), never on the
 * held-out set of bench/ask: the quiz field is left out of the index so a question cannot find
 * itself. Prints the first-place share for each setting tried.
 *
 *   npx tsx bench/askTune.ts
 */
import path from 'node:path';
import { type AskOptions, askSop } from '@casebook/core';
import { loadPacks } from '../packages/server/src/packs';

const packs = loadPacks(path.join(path.resolve(import.meta.dirname, '..'), 'packs'));
const dev = packs
  .list()
  .flatMap((pack) =>
    (pack.manifest.quiz?.questions ?? [])
      .filter((q) => q.rule)
      .map((q) => ({ pack, q: q.question, rule: q.rule! })),
  );

function score(options: AskOptions): number {
  let ok = 0;
  for (const item of dev) {
    const [first] = askSop(item.pack, item.q, {
      ...options,
      limit: 1,
      fieldWeights: { ...options.fieldWeights, quiz: 0 },
    });
    if (first?.rule === item.rule) ok++;
  }
  return ok;
}

const settings: [string, AskOptions][] = [];
for (const intentWeight of [1.5, 3])
  for (const orderWeight of [0.3, 1])
    for (const boundWeight of [0, 1.5])
      for (const answerTypeWeight of [0, 2, 4])
        for (const b of [0.3, 0.5])
          settings.push([
            `intent=${intentWeight} order=${orderWeight} bound=${boundWeight} answerType=${answerTypeWeight} b=${b}`,
            { intentWeight, orderWeight, boundWeight, answerTypeWeight, b },
          ]);
const results = settings.map(([name, o]) => ({ name, ok: score(o) })).sort((a, b) => b.ok - a.ok);
console.log(`dev questions: ${dev.length}`);
for (const r of results.slice(0, 15)) console.log(`${r.ok}/${dev.length}  ${r.name}`);

if (process.argv.includes('--misses')) {
  for (const item of dev) {
    const ranked = askSop(item.pack, item.q, { limit: 3, fieldWeights: { quiz: 0 } }).map((r) => r.rule);
    if (ranked[0] !== item.rule)
      console.log(`  ${item.pack.manifest.id}: expected ${item.rule}, got [${ranked.join(', ')}]: ${item.q}`);
  }
}
