import { describe, expect, it } from 'vitest';
import { advise } from './advice/engine';
import { deriveFacts } from './advice/facts';
import { checkRefund, checkWarrantyClaim, warrantyPeriod } from './money';
import { loadPack, type Pack } from './packs/load';
import type { Scenario } from './scenario';

const FILES: Record<string, string> = {
  'pack.yaml': `id: money-fixture
name: Money fixture
version: 1.0.0
description: A pack for the money rules' tests.
source: none
roles:
  agent: { title: Agent, capabilities: [refund.issue] }
  admin: { title: Admin, capabilities: [audit.read] }
`,
  'intents.yaml': `intents:
  returned_to_sender:
    title: Returned to sender
    examples: [my package was returned to sender, it went back to the seller, returned to shipper]
`,
  'playbooks.yaml': `playbooks:
  rts:
    title: Returned to sender
    intents: [returned_to_sender]
    steps:
      - rule: rts.credit-everything
        do: [{ type: credit, basis: order_total, requires: refund.issue }]
        because: Credit the whole order.
        source: test
`,
  'money.yaml': `refunds:
  guardrails:
    - rule: refund.rts-customer-error
      kinds: [full, shipping_only]
      require: '!(tracking.returnedToSender && tracking.returnReason == "customer_error")'
      message: Credit the item cost only.
      source: test
warrantyPlans:
  Shield:
    title: Shield
    covers: defects for a year after the manufacturer's warranty.
    manufacturerMonths: 12
    extendsManufacturerMonths: 12
    excludes: [loss, theft, accidental_damage]
    source: test
`,
};

function load(files: Record<string, string> = FILES): Pack {
  const result = loadPack(Object.entries(files).map(([path, text]) => ({ path, text })));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.pack;
}

const scenario = (reason: 'customer_error' | 'carrier_error'): Scenario =>
  ({
    id: 'rts',
    pack: 'money-fixture',
    now: '2026-03-13T10:00:00Z',
    intent: 'returned_to_sender',
    order: {
      id: 'A1',
      placedAt: '2026-03-01T10:00:00Z',
      shippingCost: 10,
      items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 50 }],
      purchaseOrders: [
        {
          id: 'PO-1',
          vendor: 'V',
          status: 'Shipped',
          items: [{ sku: 'S1', qty: 1, shippedQty: 1 }],
          shipments: [
            {
              trackingNumber: '1Z1',
              returnedToSender: { reason },
              events: [{ at: '2026-03-10T10:00:00Z', status: 'returned' }],
            },
          ],
        },
      ],
    },
  }) as Scenario;

const calendar = {
  timezone: 'UTC',
  businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  holidays: [],
} as never;
const facts = (reason: 'customer_error' | 'carrier_error') =>
  deriveFacts(scenario(reason), new Date('2026-03-13T10:00:00Z'), 'returned_to_sender', calendar, () => ({
    known: false,
    policy: {
      addressChangeAllowed: true,
      cancelWholeOrderWhenSkuOutOfStock: false,
      cancelVia: 'side_conversation',
      processingDays: { min: 1, max: 3 },
    },
  }));
const agent = { role: 'Agent', capabilities: ['refund.issue'] };

describe('refund guardrails', () => {
  const pack = load();

  it('refuses the kinds a rule names when its requirement fails, and nothing else', () => {
    expect(checkRefund(pack, facts('customer_error'), { kind: 'full', actor: agent })).toEqual([
      { rule: 'refund.rts-customer-error', message: 'Credit the item cost only.' },
    ]);
    expect(checkRefund(pack, facts('customer_error'), { kind: 'shipping_only', actor: agent })).toHaveLength(
      1,
    );
    expect(checkRefund(pack, facts('customer_error'), { kind: 'item_cost', actor: agent })).toEqual([]);
    expect(checkRefund(pack, facts('carrier_error'), { kind: 'full', actor: agent })).toEqual([]);
  });

  it('refuses a role without refund.issue', () => {
    expect(
      checkRefund(pack, facts('carrier_error'), {
        kind: 'item_cost',
        actor: { role: 'Admin', capabilities: [] },
      }),
    ).toEqual([{ rule: 'refund.issue', message: 'The Admin role may not issue refunds.' }]);
  });

  it('turns an advised credit the rules refuse into an inform, naming the rule', () => {
    const refused = advise(pack, scenario('customer_error'));
    expect(refused.actions).toEqual([{ type: 'inform', text: 'Not yet: Credit the item cost only.' }]);
    expect(refused.explanation[0]?.rule).toBe('refund.rts-customer-error');
    const allowed = advise(pack, scenario('carrier_error'));
    expect(allowed.actions).toEqual([{ type: 'credit', basis: 'order_total' }]);
  });

  it('refuses a pack whose refund guardrail names an unknown fact, with the place', () => {
    const result = loadPack(
      Object.entries({
        ...FILES,
        'money.yaml': FILES['money.yaml']!.replace('tracking.returnReason', 'tracking.why'),
      }).map(([path, text]) => ({ path, text })),
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({ file: 'money.yaml', path: 'refunds.guardrails.0.require' });
  });
});

describe('warranty plans', () => {
  const pack = load();

  it('runs from the purchase to the manufacturer’s warranty plus the extension, in calendar months', () => {
    expect(warrantyPeriod(pack, 'Shield', new Date('2026-01-31T12:00:00Z'))).toEqual({
      startsAt: new Date('2026-01-31T12:00:00Z'),
      manufacturerEndsAt: new Date('2027-01-31T12:00:00Z'),
      endsAt: new Date('2028-01-31T12:00:00Z'),
    });
    expect(warrantyPeriod(pack, 'Shield', new Date('2026-08-31T00:00:00Z'), 6)?.manufacturerEndsAt).toEqual(
      new Date('2027-02-28T00:00:00Z'),
    );
    expect(warrantyPeriod(pack, 'Gold', new Date())).toBeNull();
  });

  it('refuses excluded reasons and claims outside the period, saying why', () => {
    const period = { startsAt: new Date('2026-01-01T00:00:00Z'), endsAt: new Date('2028-01-01T00:00:00Z') };
    const at = new Date('2027-06-01T00:00:00Z');
    expect(checkWarrantyClaim(pack, 'Shield', { reason: 'defect', at, period })).toEqual([]);
    expect(checkWarrantyClaim(pack, 'Shield', { reason: 'accidental_damage', at, period })).toEqual([
      {
        rule: 'warranty.excluded-reason',
        message:
          "Shield does not cover accidental damage. It covers defects for a year after the manufacturer's warranty.",
      },
    ]);
    expect(
      checkWarrantyClaim(pack, 'Shield', { reason: 'defect', at: new Date('2028-01-02T00:00:00Z'), period }),
    ).toEqual([
      {
        rule: 'warranty.outside-period',
        message: 'The claim is outside the plan’s period (2026-01-01 to 2028-01-01).',
      },
    ]);
  });
});
