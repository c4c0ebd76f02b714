import { workflowProblems } from '@casebook/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { loadPacks } from '../packs';
import { TEST_SECRET } from '../test/harness';

const packs = loadPacks(
  loadConfig({ NODE_ENV: 'test', CASEBOOK_SECRET: TEST_SECRET, CASEBOOK_DEMO: '0' }).packsDir,
).list();

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
});
