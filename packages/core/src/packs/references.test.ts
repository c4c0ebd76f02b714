import { describe, expect, it } from 'vitest';
import { FIXTURE_FILES, fixtureFiles } from '../test/fixturePack';
import { loadPack } from './load';

/** Loads the fixture pack with one file's text edited, and returns its problems. */
function problemsWith(file: string, from: string, to: string) {
  const text = FIXTURE_FILES[file]!;
  expect(text).toContain(from);
  const result = loadPack(fixtureFiles({ [file]: text.replace(from, to) }));
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

describe('a pack that does not validate is refused with the file, the place and the problem', () => {
  it('names a misspelt fact in a condition, with its line', () => {
    const [p] = problemsWith(
      'playbooks.yaml',
      'tracking.daysSinceLastEvent <= 5.0',
      'tracking.daysSinceLastEvnt <= 5.0',
    );
    expect(p).toMatchObject({
      file: 'fixture/playbooks.yaml',
      path: 'playbooks.lost.steps.1.when',
      line: 36,
    });
    expect(p!.message).toContain('daysSinceLastEvnt');
  });

  it('refuses a condition that is not a boolean, or not an expression', () => {
    expect(
      problemsWith('playbooks.yaml', 'when: po.status == "Processing"', 'when: po.status')[0]!.message,
    ).toContain('must be true or false');
    expect(
      problemsWith('playbooks.yaml', 'when: po.status == "Processing"', 'when: po.status ==')[0]!.path,
    ).toBe('playbooks.cancel-before-vendor.when');
  });

  it('refuses an unknown action type', () => {
    const [p] = problemsWith(
      'playbooks.yaml',
      '{ type: cancel, scope: po }',
      '{ type: teleport, scope: po }',
    );
    expect(p).toMatchObject({ path: 'playbooks.cancel-before-vendor.steps.0.do.0.type' });
    expect(p!.message).toMatch(/^must be one of: check, send_macro/);
  });

  it('refuses an action missing a key or with a value outside the vocabulary', () => {
    expect(
      problemsWith('playbooks.yaml', '{ type: cancel, scope: po }', '{ type: cancel }')[0]!.message,
    ).toBe('a cancel action needs "scope"');
    expect(
      problemsWith('playbooks.yaml', '{ type: cancel, scope: po }', '{ type: cancel, scope: universe }')[0]!
        .message,
    ).toContain('"universe" is not a cancel scope');
  });

  it('refuses a macro, process or channel the pack does not define', () => {
    expect(
      problemsWith('playbooks.yaml', 'macro: "#CL – Lost in Transit Wait"', 'macro: "#CL - Lost"')[0],
    ).toMatchObject({
      path: 'playbooks.lost.steps.1.do.0.macro',
      message: '"#CL - Lost" is not a macro defined in the pack',
    });
    expect(
      problemsWith('playbooks.yaml', 'process: Refund run', 'process: Refund walk')[0]!.message,
    ).toContain('not a process');
    expect(problemsWith('playbooks.yaml', 'channel: "#team"', 'channel: "#nobody"')[0]!.message).toContain(
      'not a channel',
    );
  });

  it('refuses an unknown capability and a status outside the pack', () => {
    expect(
      problemsWith('playbooks.yaml', 'requires: mrr.process }', 'requires: mrr.proces }')[0]!.message,
    ).toContain('"mrr.proces" is not a known capability');
    expect(problemsWith('playbooks.yaml', 'status: On-Hold', 'status: Delivered')[0]!.message).toContain(
      'not a PO status of this pack',
    );
  });

  it('refuses a playbook for an intent the pack does not declare, and a rule id used twice', () => {
    expect(
      problemsWith('playbooks.yaml', 'intents: [lost_or_stolen]', 'intents: [lost_parcel]')[0]!.message,
    ).toBe('"lost_parcel" is not an intent of this pack');
    expect(problemsWith('playbooks.yaml', 'rule: lost.check', 'rule: cancel.hold')[0]!.message).toContain(
      'already used',
    );
  });

  it('refuses a key defined in two files', () => {
    const result = loadPack(fixtureFiles({ 'more.yaml': 'macros:\n  x: { body: y, source: z }\n' }));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({ file: 'fixture/more.yaml', path: 'macros', line: 1 });
  });

  it('refuses a guardrail whose condition reads an unknown fact', () => {
    expect(problemsWith('other.yaml', 'require: po.refunded', 'require: po.refundedd')[0]).toMatchObject({
      path: 'purchaseOrders.guardrails.0.require',
    });
  });
});
