/**
 * Intent inference accuracy on held-out messages: bench/intent/<pack>.json holds messages phrased
 * differently from every example in the packs. Prints accuracy per pack and overall, and the misses.
 *
 *   npx tsx bench/intent.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { inferIntent } from '@casebook/core';
import { loadPacks } from '../packages/server/src/packs';

type HeldOut = { text: string; from?: string; channel?: string; intent: string };

const root = path.resolve(import.meta.dirname, '..');
const packs = loadPacks(path.join(root, 'packs'));
let correct = 0;
let total = 0;
let unknown = 0;
const misses: string[] = [];
for (const pack of packs.list()) {
  const file = path.join(import.meta.dirname, 'intent', `${pack.manifest.id}.json`);
  if (!fs.existsSync(file)) {
    console.log(`${pack.manifest.id}: no held-out set`);
    continue;
  }
  const items = JSON.parse(fs.readFileSync(file, 'utf8')) as HeldOut[];
  let ok = 0;
  for (const item of items) {
    const intent = inferIntent(pack, {
      id: 'bench',
      pack: pack.manifest.id,
      now: '2026-01-01T00:00:00Z',
      message: {
        channel: (item.channel ?? 'email') as 'email',
        from: (item.from ?? 'customer') as 'customer',
        body: item.text,
      },
    });
    if (intent.name === item.intent) ok++;
    else {
      if (intent.name === 'unknown') unknown++;
      misses.push(
        `  ${pack.manifest.id}: expected ${item.intent}, got ${intent.name} (${intent.confidence}): ${item.text}`,
      );
    }
  }
  correct += ok;
  total += items.length;
  console.log(`${pack.manifest.id}: ${ok}/${items.length} = ${((100 * ok) / items.length).toFixed(1)}%`);
}
console.log(
  `overall: ${correct}/${total} = ${((100 * correct) / Math.max(total, 1)).toFixed(1)}% (${unknown} answered unknown)`,
);
console.log(
  `target: at least 90% on at least 100 held-out messages — ${total >= 100 && correct / total >= 0.9 ? 'met' : 'NOT met'}`,
);
if (misses.length) console.log(`misses:\n${misses.join('\n')}`);
