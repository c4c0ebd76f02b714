import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { advise, SOP_CAPABILITY_NAMES } from '@casebook/core';
import { describe, expect, it } from 'vitest';
import { checkScenarios, readScenario, ruleCoverage, scenarioFiles } from './advise';
import { loadConfig } from './config';
import { loadPacks } from './packs';

const packsDir = loadConfig({}).packsDir;
const packs = loadPacks(packsDir);
const publicDir = path.resolve(packsDir, '../../shared/scenarios/public');
const sharedPresent = fs.existsSync(publicDir);
const run = promisify(execFile);
const bin = path.join(import.meta.dirname, '../bin/casebook.js');

describe('SOP scenarios', () => {
  const dirs = [...(sharedPresent ? [publicDir] : []), packsDir];
  for (const file of scenarioFiles(dirs)) {
    it(`passes ${path.relative(path.resolve(packsDir, '..'), file)}`, () => {
      const report = checkScenarios([file], packs);
      expect(report.failed.flatMap((f) => f.failures)).toEqual([]);
    });
  }

  it('ships at least 150 scenarios of the packs’ own, each with an expectation', () => {
    const own = scenarioFiles([packsDir]).map((f) => readScenario(f, packs));
    expect(own.length).toBeGreaterThanOrEqual(150);
    expect(own.filter((s) => !s.expect)).toEqual([]);
    for (const pack of packs.list()) {
      expect(own.filter((s) => s.pack === pack.manifest.id).length, pack.manifest.id).toBeGreaterThanOrEqual(
        20,
      );
    }
  });

  it('exercises every rule of every pack both ways: a scenario where it fires and one where it must not', () => {
    const gaps = ruleCoverage([packsDir], packs)
      .filter((r) => r.fires.length === 0 || r.silent.length === 0)
      .map((r) => `${r.pack} ${r.rule}: fires in ${r.fires.length}, silent in ${r.silent.length}`);
    expect(gaps).toEqual([]);
  });

  it('blocks each SOP capability for some role in a scenario that expects it', () => {
    const own = scenarioFiles([packsDir]).map((f) => readScenario(f, packs));
    const required = new Set(
      packs
        .list()
        .flatMap((p) =>
          Object.values(p.manifest.playbooks).flatMap((pb) =>
            pb.steps.flatMap((s) =>
              s.do.map((a) => a.requires).filter((r): r is string => typeof r === 'string'),
            ),
          ),
        ),
    );
    const covered = new Set<string>();
    for (const s of own) {
      if (!s.expect?.blocked?.length) continue;
      for (const b of advise(packs.get(s.pack)!, s).blocked) {
        const m = /needs "([^"]+)"/.exec(b.reason);
        if (m) covered.add(m[1]!);
      }
    }
    // Route capabilities (members.manage...) have their own refusal tests in the API.
    const sopRequired = [...required].filter((c) => (SOP_CAPABILITY_NAMES as string[]).includes(c));
    expect(sopRequired.filter((c) => !covered.has(c))).toEqual([]);
    // Every SOP capability of the catalogue is used by some pack, so none is a name without a rule.
    expect(SOP_CAPABILITY_NAMES.filter((c) => !required.has(c))).toEqual([]);
  });

  it.skipIf(!sharedPresent)('includes every public scenario of the contract', () => {
    expect(scenarioFiles([publicDir]).length).toBeGreaterThanOrEqual(9);
  });
});

describe('casebook advise', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'advise-'));
  const write = (name: string, value: unknown) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };
  const cli = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };
  const base = { id: 'cli-case', pack: 'fashion-leads', now: '2026-03-10T15:00:00Z', intent: 'cancel_order' };

  it('prints one AdviceResult as JSON', async () => {
    const res = await cli(['advise', write('one.json', base)]);
    expect(res.code).toBe(0);
    const result = JSON.parse(res.stdout);
    expect(result).toMatchObject({
      scenario: 'cli-case',
      pack: 'fashion-leads',
      intent: { name: 'cancel_order', source: 'given' },
    });
    expect(result).toHaveProperty('actions');
    expect(result).toHaveProperty('blocked');
    expect(result).toHaveProperty('explanation');
  });

  it('--check prints each failing scenario and ends with the summary line, exit 1', async () => {
    const failing = write('failing.json', {
      ...base,
      id: 'must-fail',
      expect: { actions: [{ type: 'teleport' }] },
    });
    const res = await cli(['advise', '--check', failing]);
    expect(res.code).toBe(1);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toContain('must-fail');
    expect(lines[0]).toContain('{"type":"teleport"}');
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });

  it('--check refuses an invalid scenario with the file and the JSON path, exit 2', async () => {
    const bad = write('bad.json', {
      ...base,
      order: { id: 'X', placedAt: 'yesterday', items: [], purchaseOrders: [] },
    });
    const res = await cli(['advise', '--check', bad]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${bad}: $.order.placedAt: must be an ISO 8601 date-time`);
    const notJson = write('not.json', '{ nope');
    expect((await cli(['advise', '--check', notJson])).stderr).toContain(`${notJson}: $: not valid JSON`);
  });
});
