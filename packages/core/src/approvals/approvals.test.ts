import { describe, expect, it } from 'vitest';
import { approvalStepSchema, type PackApproval, type PackBoard } from '../packs/schema';
import {
  approvalDedupeKey,
  approvalSteps,
  canViewApprovals,
  checkCardMove,
  requestRefusal,
  stepRefusal,
  validateApprovalFields,
} from './approvals';
import { renderTemplate } from './template';

const type: PackApproval = {
  title: 'Proof of purchase check',
  request: ['agent'],
  decide: ['approver'],
  view: [],
  fields: {
    v_number: { type: 'text', required: true, label: 'V-number' },
    amount: { type: 'money', required: false },
    kind: { type: 'choice', required: true, options: ['A', 'B'] },
    link: { type: 'url', required: false },
  },
  states: ['requested', 'approved', 'denied'],
  dedupe: ['v_number'],
  source: 'test',
};

describe('approval rules', () => {
  it('defaults to approve and deny (with a reason) from the first state', () => {
    const steps = approvalSteps(type);
    expect(Object.keys(steps)).toEqual(['approve', 'deny']);
    expect(steps.deny).toMatchObject({ from: ['requested'], to: 'denied', note: 'required' });
  });

  it('refuses a step to the wrong role, in the wrong state, and on one’s own request', () => {
    const actor = (role: string, isRequester = false) => ({ role, capabilities: [], isRequester });
    expect(stepRefusal('pop', type, 'approve', 'requested', actor('approver'))).toBeNull();
    expect(stepRefusal('pop', type, 'approve', 'requested', actor('agent'))).toBe(
      'Only approver may approve a Proof of purchase check',
    );
    expect(stepRefusal('pop', type, 'approve', 'approved', actor('approver'))).toBe(
      'Approve is not possible while the request is approved',
    );
    expect(stepRefusal('pop', type, 'approve', 'requested', actor('approver', true))).toBe(
      'Nobody decides their own request: another person must',
    );
  });

  it('lets a role holding the type’s capabilities request and decide, and names them when refusing', () => {
    const custom = (capabilities: string[], isRequester = false) => ({
      role: 'escalations',
      capabilities,
      isRequester,
    });
    const decider = custom(['approval.decide.proof_of_purchase']);
    expect(stepRefusal('proof_of_purchase', type, 'approve', 'requested', decider)).toBeNull();
    expect(
      stepRefusal('proof_of_purchase', type, 'approve', 'requested', custom(['approval.decide.rma'])),
    ).toBe(
      'Only approver (or a role with approval.decide.proof_of_purchase) may approve a Proof of purchase check',
    );
    expect(
      stepRefusal(
        'proof_of_purchase',
        type,
        'approve',
        'requested',
        custom(['approval.decide.proof_of_purchase'], true),
      ),
    ).toBe('Nobody decides their own request: another person must');
    expect(canViewApprovals('proof_of_purchase', type, decider)).toBe(true);
    expect(canViewApprovals('proof_of_purchase', type, custom(['tickets.work']))).toBe(false);
    // The catalogue has no approval.file.proof_of_purchase: only the pack's requesting roles request.
    expect(requestRefusal('proof_of_purchase', type, decider)).toBe(
      'may not request a Proof of purchase check; agent may.',
    );
    const hper: PackApproval = { ...type, title: 'HPER' };
    expect(requestRefusal('hper', hper, custom(['approval.file.hper']))).toBeNull();
    expect(requestRefusal('hper', hper, custom([]))).toBe(
      'may not request a HPER; agent (or a role with approval.file.hper) may.',
    );
    // A pack may name other capabilities; a step with its own `by` uses only its own `requires`.
    const mrr: PackApproval = {
      ...type,
      capabilities: { request: 'mrr.file' },
      steps: {
        process: approvalStepSchema.parse({
          title: 'Process',
          from: ['requested'],
          to: 'approved',
          by: ['lead'],
          note: 'required',
          requires: 'mrr.process',
        }),
        reopen: approvalStepSchema.parse({
          title: 'Reopen',
          from: ['requested'],
          to: 'requested',
          by: ['lead'],
        }),
      },
    };
    expect(requestRefusal('mrr', mrr, custom(['mrr.file']))).toBeNull();
    expect(stepRefusal('mrr', mrr, 'process', 'requested', custom(['mrr.process']))).toBeNull();
    expect(stepRefusal('mrr', mrr, 'reopen', 'requested', custom(['mrr.process']))).toBe(
      'Only lead may reopen a Proof of purchase check',
    );
  });

  it('names each field with a problem', () => {
    expect(
      validateApprovalFields(type, { amount: '12.345', kind: 'C', link: 'ftp://x', extra: 1 }).map(
        (p) => p.field,
      ),
    ).toEqual(['fields.extra', 'fields.v_number', 'fields.amount', 'fields.kind', 'fields.link']);
    expect(validateApprovalFields(type, { v_number: 'V1', kind: 'A', amount: '12.50' })).toEqual([]);
  });

  it('deduplicates on normalised field values', () => {
    expect(approvalDedupeKey('pop', type, { v_number: ' V-1042 ' })).toBe(
      approvalDedupeKey('pop', type, { v_number: 'v 1042' }),
    );
  });

  it('moves a card into a guarded column only when the condition holds', () => {
    const board: PackBoard = {
      title: 'Trade-in',
      columns: ['Hold', 'Testing'],
      enter: { Testing: { approval: 'proof_of_purchase', states: ['approved'] } },
      timers: {},
      source: 'test',
    };
    expect(
      checkCardMove(board, 'Testing', { approvals: [{ type: 'proof_of_purchase', state: 'requested' }] }),
    ).toBe('A card enters "Testing" only once its proof of purchase is approved');
    expect(
      checkCardMove(board, 'Testing', { approvals: [{ type: 'proof_of_purchase', state: 'approved' }] }),
    ).toBeNull();
    expect(checkCardMove(board, 'Hold', { approvals: [] })).toBeNull();
    expect(checkCardMove(board, 'Elsewhere', { approvals: [] })).toBe(
      '"Elsewhere" is not a column of Trade-in',
    );
  });

  it('renders templates with the date in the brand’s time zone', () => {
    const now = new Date('2026-12-01T23:30:00Z');
    expect(
      renderTemplate('{{v}} | Reminder sent {{today:DD-MM-YYYY}}', { v: 'V1' }, now, 'Europe/Amsterdam'),
    ).toEqual({
      text: 'V1 | Reminder sent 02-12-2026',
      missing: [],
    });
    expect(renderTemplate('{{a}}|{{b}}', { a: 1 }, now, 'UTC')).toEqual({ text: '1|', missing: ['b'] });
  });
});
