/**
 * Ask the SOP: the share of questions whose expected rule ranks first, and in the first three.
 *
 * bench/ask/<pack>.json is the held-out set: agents' questions written in other words than the
 * packs use, each labelled with the rule that answers it (`accept` lists a rule that states the
 * same instruction in another playbook of the same pack). It was written before the ranking was
 * tuned and is never read by it, nor used to tune it.
 *
 * bench/ask-heldout-2/<pack>.json is a second held-out set (84 questions), written from the seeds'
 * situations in an agent's own words before the condition-aware re-ranking was built or tuned,
 * without reading the first held-out set or copying the development set. Like the first, it is
 * never read by the ranking nor used to tune it; only its totals are looked at.
 *
 * bench/ask-dev/<pack>.json is the development set, written separately (and never copied from the
 * held-out sets) for working on the ranking: `--dev` measures it, `--misses` lists what it misses
 * (only with `--dev`: the held-out sets print totals only).
 *
 *   npx tsx bench/ask.ts            # both held-out sets
 *   npx tsx bench/ask.ts --heldout2 # the second held-out set only
 *   npx tsx bench/ask.ts --dev [--misses]
 */
import fs from 'node:fs';
import path from 'node:path';
import { askSop, normalizeText } from '@casebook/core';
import { loadPacks } from '../packages/server/src/packs';

type Labelled = { q: string; rule: string; accept?: string[] };

const root = path.resolve(import.meta.dirname, '..');
const packs = loadPacks(path.join(root, 'packs'));
const dev = process.argv.includes('--dev');
const onlySecond = process.argv.includes('--heldout2');
const showMisses = dev && process.argv.includes('--misses');

function read(folder: string, packId: string): Labelled[] | undefined {
  const file = path.join(import.meta.dirname, folder, `${packId}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Labelled[]) : undefined;
}

const sets: { folder: string; name: string; heldOut: boolean }[] = dev
  ? [{ folder: 'ask-dev', name: 'development set', heldOut: false }]
  : [
      ...(onlySecond ? [] : [{ folder: 'ask', name: 'held-out set', heldOut: true }]),
      { folder: 'ask-heldout-2', name: 'second held-out set', heldOut: true },
    ];

for (const set of sets) measure(set);

function measure(set: { folder: string; name: string; heldOut: boolean }): void {
  let top1 = 0;
  let top3 = 0;
  let total = 0;
  const misses: string[] = [];
  console.log(`— ${set.name} (bench/${set.folder})`);
  for (const pack of packs.list()) {
    const id = pack.manifest.id;
    const items = read(set.folder, id);
    if (!items) {
      console.log(`${id}: no ${set.name}`);
      continue;
    }
    const rules = new Set(Object.values(pack.manifest.playbooks).flatMap((p) => p.steps.map((s) => s.rule)));
    for (const item of items) {
      for (const r of [item.rule, ...(item.accept ?? [])])
        if (!rules.has(r)) throw new Error(`${id}: "${r}" is not a rule of the pack (${item.q})`);
    }
    if (!set.heldOut) {
      // The development set must not repeat a held-out question.
      const heldOut = new Set(
        ['ask', 'ask-heldout-2'].flatMap((f) => (read(f, id) ?? []).map((i) => normalizeText(i.q))),
      );
      const copied = items.filter((i) => heldOut.has(normalizeText(i.q)));
      if (copied.length) throw new Error(`${id}: development questions copied from a held-out set`);
    }
    let ok = 0;
    let inTop3 = 0;
    for (const item of items) {
      const good = new Set([item.rule, ...(item.accept ?? [])]);
      const ranked = askSop(pack, item.q, { limit: 3 }).map((r) => r.rule);
      if (ranked[0] && good.has(ranked[0])) ok++;
      else misses.push(`  ${id}: expected ${item.rule}, got [${ranked.join(', ')}]: ${item.q}`);
      if (ranked.some((r) => good.has(r))) inTop3++;
    }
    top1 += ok;
    top3 += inTop3;
    total += items.length;
    console.log(
      `${id}: first ${ok}/${items.length} = ${pct(ok, items.length)}, in top 3 ${inTop3}/${items.length} = ${pct(inTop3, items.length)}`,
    );
  }
  console.log(`${set.name}, overall first: ${top1}/${total} = ${pct(top1, total)}`);
  console.log(`overall in top 3: ${top3}/${total} = ${pct(top3, total)}`);
  if (set.heldOut) {
    console.log(
      `target: expected rule first for at least 90% of at least 60 held-out questions — ${total >= 60 && top1 / total >= 0.9 ? 'met' : 'NOT met'}`,
    );
  }
  if (showMisses && misses.length) console.log(`misses:\n${misses.join('\n')}`);
}

function pct(n: number, of: number): string {
  return `${((100 * n) / Math.max(of, 1)).toFixed(1)}%`;
}
