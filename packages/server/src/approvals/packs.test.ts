import fs from 'node:fs';
import path from 'node:path';
import { loadPack, workflowProblems } from '@casebook/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { loadPacks } from '../packs';
import { TEST_SECRET } from '../test/harness';

const { packsDir } = loadConfig({ NODE_ENV: 'test', CASEBOOK_SECRET: TEST_SECRET, CASEBOOK_DEMO: '0' });
const packs = loadPacks(packsDir).list();

/** A pack folder's YAML files as the loader reads them, one file's text edited. */
function packFiles(id: string, file: string, from: string, to: string) {
  const dir = path.join(packsDir, id);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      if (name !== file) return { path: `${id}/${name}`, text };
      expect(text).toContain(from);
      return { path: `${id}/${name}`, text: text.replace(from, to) };
    });
}

describe('the packs’ approvals, boards, channels and timers', () => {
  it('name only channels, templates, boards, columns, types, states, timers and roles the pack defines', () => {
    expect(packs.length).toBeGreaterThan(0);
    for (const { manifest } of packs) expect(workflowProblems(manifest), manifest.id).toEqual([]);
  });

  it('find a misspelt follow-on channel', () => {
    const tradeIn = packs.find((p) => p.manifest.id === 'trade-in')!.manifest;
    const broken = structuredClone(tradeIn);
    broken.approvals.proof_of_purchase!.steps!.approve!.then.push({
      post: { channel: '#cs-handlin', template: 'proof_approved' },
    });
    expect(workflowProblems(broken)).toEqual([
      {
        path: 'approvals.proof_of_purchase.steps.approve.then.2.post.channel',
        message: '"#cs-handlin" is not a channel of the pack',
      },
    ]);
  });

  it('are checked by the pack loader: a broken follow-on refuses the pack with the file, path and line', () => {
    const result = loadPack(
      packFiles('trade-in', 'approvals.yaml', 'channel: "#cs-handling"', 'channel: "#cs-handlin"'),
    );
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual([
      {
        file: 'trade-in/approvals.yaml',
        path: 'approvals.proof_of_purchase.steps.approve.then.1.post.channel',
        line: expect.any(Number),
        message: '"#cs-handlin" is not a channel of the pack',
      },
    ]);
    const text = fs.readFileSync(path.join(packsDir, 'trade-in', 'approvals.yaml'), 'utf8');
    expect(text.split('\n')[problems[0]!.line! - 1]).toContain('#cs-handling');
  });

  it('refuse a cancellation window whose exception names a state its approval type lacks', () => {
    const result = loadPack(
      packFiles('fashion-leads', 'cancellation.yaml', 'states: [filed]', 'states: [approved]'),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toMatchObject([
      {
        file: 'fashion-leads/cancellation.yaml',
        path: 'cancellation.exception.states.0',
        message: '"approved" is not a state of hper',
      },
    ]);
  });

  it('report a role misspelt in an approval once', () => {
    const result = loadPack(
      packFiles('trade-in', 'approvals.yaml', 'decide: [approver]', 'decide: [aprover]'),
    );
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([
      'approvals.proof_of_purchase.decide.0',
    ]);
  });
});
