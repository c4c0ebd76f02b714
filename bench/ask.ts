/**
 * Ask the SOP: the share of held-out questions whose expected rule ranks first. bench/ask/<pack>.json
 * holds agents' questions written in other words than the packs use, each labelled with the rule
 * that answers it (`accept` lists a rule that states the same instruction in another playbook of
 * the same pack). The set was written before the ranking was tuned and is never read by it.
 *
 *   npx tsx bench/ask.ts [--misses]
 */
import fs from 'node:fs';
import path from 'node:path';
import { askSop } from '@casebook/core';
import { loadPacks } from '../packages/server/src/packs';

type HeldOut = { q: string; rule: string; accept?: string[] };

const root = path.resolve(import.meta.dirname, '..');
const packs = loadPacks(path.join(root, 'packs'));
const showMisses = process.argv.includes('--misses');
let top1 = 0;
let top3 = 0;
let total = 0;
const misses: string[] = [];
for (const pack of packs.list()) {
  const file = path.join(import.meta.dirname, 'ask', `${pack.manifest.id}.json`);
  if (!fs.existsSync(file)) {
    console.log(`${pack.manifest.id}: no held-out set`);
    continue;
  }
  const items = JSON.parse(fs.readFileSync(file, 'utf8')) as HeldOut[];
  let ok = 0;
  for (const item of items) {
    const good = new Set([item.rule, ...(item.accept ?? [])]);
    const ranked = askSop(pack, item.q, { limit: 3 }).map((r) => r.rule);
    if (ranked[0] && good.has(ranked[0])) ok++;
    else misses.push(`  ${pack.manifest.id}: expected ${item.rule}, got [${ranked.join(', ')}]: ${item.q}`);
    if (ranked.some((r) => good.has(r))) top3++;
  }
  top1 += ok;
  total += items.length;
  console.log(`${pack.manifest.id}: ${ok}/${items.length} = ${((100 * ok) / items.length).toFixed(1)}%`);
}
console.log(`overall first: ${top1}/${total} = ${((100 * top1) / Math.max(total, 1)).toFixed(1)}%`);
console.log(`overall in top 3: ${top3}/${total} = ${((100 * top3) / Math.max(total, 1)).toFixed(1)}%`);
console.log(
  `target: expected rule first for at least 90% of at least 60 held-out questions — ${total >= 60 && top1 / total >= 0.9 ? 'met' : 'NOT met'}`,
);
if (showMisses && misses.length) console.log(`misses:\n${misses.join('\n')}`);
