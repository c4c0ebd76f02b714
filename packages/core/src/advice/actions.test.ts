import { describe, expect, it } from 'vitest';
import { fixturePack } from '../test/fixturePack';
import { DEFAULT_CALENDAR } from '../time';
import { matches, normalize } from './actions';
import { deriveFacts } from './facts';
import { checkApprovalDecision, checkPoStatusChange, packRoleActor } from './guardrails';

describe('matching actions as the contract says', () => {
  it('folds case, dashes, curly quotes and white space', () => {
    expect(normalize('  #CL – Lost  in Transit Wait ')).toBe('#cl - lost in transit wait');
    expect(normalize('Can’t “do”')).toBe('can\'t "do"');
    expect(
      matches(
        { type: 'send_macro', macro: "#SD - Too Late - Can't Change Shipping Address (RP)" },
        {
          type: 'send_macro',
          macro: '#SD — Too Late — Can’t Change Shipping Address (RP)',
        },
      ),
    ).toBe(true);
  });

  it('needs the same type and every key of the matcher', () => {
    expect(matches({ type: 'check' }, { type: 'check', what: 'address' })).toBe(true);
    expect(matches({ type: 'check', what: 'address' }, { type: 'check' })).toBe(false);
    expect(matches({ type: 'check', what: 'address' }, { type: 'escalate', what: 'address' })).toBe(false);
  });
});

describe('guardrails', () => {
  const pack = fixturePack();
  const facts = (refunded: boolean) =>
    deriveFacts(
      {
        id: 'g',
        pack: 'fixture',
        now: '2026-03-10T00:00:00Z',
        order: {
          id: 'A',
          placedAt: '2026-03-01T00:00:00Z',
          items: [],
          purchaseOrders: [{ id: 'PO', vendor: 'V', status: 'On-Hold', refunded, items: [], shipments: [] }],
        },
      },
      new Date('2026-03-10T00:00:00Z'),
      'x',
      DEFAULT_CALENDAR,
      () => ({
        known: false,
        policy: {
          addressChangeAllowed: true,
          cancelWholeOrderWhenSkuOutOfStock: false,
          cancelVia: 'side_conversation',
          processingDays: { min: 0, max: 0 },
        },
      }),
    );

  it('refuses Canceled before the PO shows refunded, naming the rule', () => {
    expect(
      checkPoStatusChange(pack, facts(false), {
        from: 'On-Hold',
        to: 'Canceled',
        actor: packRoleActor(pack, 'agent'),
      }),
    ).toEqual([
      {
        rule: 'po.cancel-needs-refund',
        message: 'Ensure the PO shows as refunded before changing it to Canceled.',
      },
    ]);
    expect(
      checkPoStatusChange(pack, facts(true), {
        from: 'On-Hold',
        to: 'Canceled',
        actor: packRoleActor(pack, 'agent'),
      }),
    ).toEqual([]);
  });

  it('refuses a transition the pack does not allow, and a role without po.set_status', () => {
    expect(
      checkPoStatusChange(pack, facts(true), {
        from: 'Processing',
        to: 'Shipped',
        actor: packRoleActor(pack, 'agent'),
      })[0],
    ).toMatchObject({
      rule: 'po.transitions',
      message:
        'A PO cannot go from Processing to Shipped; from Processing it may go to Sent to Vendor, Canceled.',
    });
    expect(
      checkPoStatusChange(pack, facts(true), {
        from: 'On-Hold',
        to: 'Canceled',
        actor: packRoleActor(pack, 'admin'),
      })[0],
    ).toMatchObject({
      rule: 'po.set_status',
    });
  });

  it('refuses an approval decided by a role that may not decide it', () => {
    expect(checkApprovalDecision(pack, 'hper', { roleName: 'lead', capabilities: [] })[0]!.message).toContain(
      'not an approval type',
    );
  });
});
