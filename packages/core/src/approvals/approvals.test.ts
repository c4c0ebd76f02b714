import { describe, expect, it } from 'vitest';
import type { PackApproval, PackBoard } from '../packs/schema';
import {
  approvalDedupeKey,
  approvalSteps,
  checkCardMove,
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
    expect(stepRefusal(type, 'approve', 'requested', { role: 'approver', isRequester: false })).toBeNull();
    expect(stepRefusal(type, 'approve', 'requested', { role: 'agent', isRequester: false })).toBe(
      'Only approver may approve a Proof of purchase check',
    );
    expect(stepRefusal(type, 'approve', 'approved', { role: 'approver', isRequester: false })).toBe(
      'Approve is not possible while the request is approved',
    );
    expect(stepRefusal(type, 'approve', 'requested', { role: 'approver', isRequester: true })).toBe(
      'Nobody decides their own request: another person must',
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
