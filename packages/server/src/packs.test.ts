import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { loadPacks, PackLoadError } from './packs';

describe('the shipped SOP packs', () => {
  it('all load, one per seed document, each with agent and admin roles', () => {
    const packs = loadPacks(loadConfig({}).packsDir).list();
    expect(packs.map((p) => p.manifest.id)).toEqual([
      'fashion-leads',
      'marketplace-dropship',
      'multichannel-retail',
      'store-supplier',
      'trade-in',
    ]);
    for (const pack of packs) {
      expect(Object.keys(pack.manifest.roles)).toEqual(expect.arrayContaining(['agent', 'admin']));
    }
    const fashion = packs.find((p) => p.manifest.id === 'fashion-leads')!;
    expect(Object.keys(fashion.manifest.roles)).toEqual(expect.arrayContaining(['lead', 'asl', 'sa']));
    const store = packs.find((p) => p.manifest.id === 'store-supplier')!;
    expect(store.manifest.roles.supplier?.external).toBe(true);
  });

  it('refuses the whole set when one pack is broken, naming the file and line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packs-'));
    try {
      fs.cpSync(loadConfig({}).packsDir, dir, { recursive: true });
      const file = path.join(dir, 'trade-in/pack.yaml');
      fs.writeFileSync(
        file,
        fs
          .readFileSync(file, 'utf8')
          .replace(
            '        members.manage,\n        audit.read,',
            '        members.manage,\n        audit.reed,',
          ),
      );
      let error: unknown;
      try {
        loadPacks(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PackLoadError);
      expect((error as Error).message).toMatch(
        /trade-in\/pack\.yaml:\d+ at roles\.manager\.capabilities\.7: /,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
