/**
 * Advice evaluations per second on one core, over a realistic mix: every scenario the packs ship
 * (intents given and inferred, all five packs), evaluated round-robin.
 *
 *   npx tsx bench/advice.ts [seconds]
 */
import path from 'node:path';
import { advise } from '@casebook/core';
import { readScenario, scenarioFiles } from '../packages/server/src/advise';
import { loadPacks } from '../packages/server/src/packs';

const root = path.resolve(import.meta.dirname, '..');
const packs = loadPacks(path.join(root, 'packs'));
const scenarios = scenarioFiles([path.join(root, 'packs')]).map((f) => readScenario(f, packs));
if (scenarios.length === 0) throw new Error('no scenarios found under packs/');
const work = scenarios.map((s) => ({ pack: packs.get(s.pack)!, scenario: s }));
const inferred = scenarios.filter((s) => !s.intent).length;

const seconds = Number(process.argv[2] ?? 5);
// Warm up so the figures measure steady state, not compilation.
for (let i = 0; i < 20_000; i++) advise(work[i % work.length]!.pack, work[i % work.length]!.scenario);

const rounds: number[] = [];
const deadline = performance.now() + seconds * 1000;
let total = 0;
while (performance.now() < deadline) {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 250) {
    for (let i = 0; i < 100; i++) {
      const w = work[(total + i) % work.length]!;
      advise(w.pack, w.scenario);
    }
    n += 100;
    total += 100;
  }
  rounds.push(n / ((performance.now() - start) / 1000));
}
rounds.sort((a, b) => a - b);
const median = rounds[Math.floor(rounds.length / 2)]!;
console.log(
  `advice mix: ${scenarios.length} scenarios (${inferred} with the intent inferred) across ${packs.list().length} packs`,
);
console.log(
  `advice evaluations per second, one core: median ${Math.round(median)}, min ${Math.round(rounds[0]!)}, max ${Math.round(rounds.at(-1)!)} (${rounds.length} rounds of 250 ms)`,
);
console.log(`target: at least 20000/s — ${median >= 20_000 ? 'met' : 'NOT met'}`);
