import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario';
import { fixturePack } from '../test/fixturePack';
import { advise } from './engine';

const pack = fixturePack();

const order = (poStatus: string, extra: Record<string, unknown> = {}) => ({
  id: 'A1',
  placedAt: '2026-03-09T15:00:00Z',
  items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 10 }],
  purchaseOrders: [
    {
      id: 'PO-1',
      vendor: 'Best Buy',
      status: poStatus,
      items: [{ sku: 'S1', qty: 1 }],
      shipments: [],
      ...extra,
    },
  ],
});

const scenario = (s: Partial<Scenario>): Scenario =>
  ({ id: 't', pack: 'fixture', now: '2026-03-10T15:00:00Z', ...s }) as Scenario;

describe('advise', () => {
  it('picks the first playbook of the intent whose condition holds', () => {
    const a = advise(pack, scenario({ intent: 'cancel_order', order: order('Processing') as never }));
    expect(a.playbook).toEqual({ id: 'cancel-before-vendor', title: 'Cancel before it reaches the vendor' });
    expect(a.actions).toEqual([{ type: 'cancel', scope: 'po' }]);
    const b = advise(pack, scenario({ intent: 'cancel_order', order: order('Sent to Vendor') as never }));
    expect(b.playbook?.id).toBe('cancel');
  });

  it('applies steps in order, stops where a step says so, and explains each action with fact values', () => {
    const a = advise(pack, scenario({ intent: 'cancel_order', order: order('Sent to Vendor') as never }));
    expect(a.actions).toEqual([
      { type: 'set_po_status', status: 'On-Hold' },
      { type: 'side_conversation', with: 'vendor', macro: '#VD - Cancel' },
    ]);
    expect(a.explanation).toEqual([
      {
        action: 0,
        rule: 'cancel.hold',
        because: 'Hold the PO and ask the vendor. (po.status = "Sent to Vendor", po.anyItemShipped = false)',
      },
      {
        action: 1,
        rule: 'cancel.hold',
        because: 'Hold the PO and ask the vendor. (po.status = "Sent to Vendor", po.anyItemShipped = false)',
      },
    ]);
  });

  it('lists what the actor’s role may not do under blocked, naming who may', () => {
    const agent = advise(pack, scenario({ intent: 'cancel_order', order: order('On-Hold') as never }));
    expect(agent.actions.map((x) => x.type)).toEqual(['notify']);
    expect(agent.blocked).toEqual([
      {
        action: { type: 'start_process', process: 'Refund run' },
        reason: 'Agent may not do this (needs "mrr.process"); done by: Lead (lead).',
      },
    ]);
    const lead = advise(
      pack,
      scenario({ intent: 'cancel_order', actor: { role: 'lead' }, order: order('On-Hold') as never }),
    );
    expect(lead.blocked).toEqual([]);
    expect(lead.actions[0]).toEqual({ type: 'start_process', process: 'Refund run' });
  });

  it('judges a brand-made role by its own capabilities and names it by its own title', () => {
    const s = scenario({ intent: 'cancel_order', order: order('On-Hold') as never });
    const refunds = advise(pack, s, { title: 'Refund desk', capabilities: ['mrr.process'] });
    expect(refunds.blocked).toEqual([]);
    expect(refunds.actions[0]).toEqual({ type: 'start_process', process: 'Refund run' });
    const readers = advise(pack, s, { title: 'Auditor', capabilities: ['audit.read'] });
    expect(readers.blocked.map((b) => b.reason)).toEqual([
      'Auditor may not do this (needs "mrr.process"); done by: Lead (lead).',
    ]);
  });

  it('fills placeholders from the facts and the clock', () => {
    const a = advise(pack, scenario({ intent: 'cancel_order', order: order('On-Hold') as never }));
    expect(a.actions[0]).toEqual({ type: 'notify', channel: '#team', text: 'Cancelled A1 on 10-03-2026' });
  });

  it('never advises a status change a guardrail forbids, and says why', () => {
    const notRefunded = advise(
      pack,
      scenario({ intent: 'vendor_cancellation_confirmed', order: order('On-Hold') as never }),
    );
    expect(notRefunded.actions).toEqual([
      { type: 'check', what: 'po_refunded' },
      { type: 'inform', text: 'Not yet: Ensure the PO shows as refunded before changing it to Canceled.' },
    ]);
    expect(notRefunded.explanation[1]).toMatchObject({ rule: 'po.cancel-needs-refund' });
    const refunded = advise(
      pack,
      scenario({
        intent: 'vendor_cancellation_confirmed',
        order: order('On-Hold', { refunded: true }) as never,
      }),
    );
    expect(refunded.actions).toContainEqual({ type: 'set_po_status', status: 'Canceled' });
  });

  it('uses time from the scenario only', () => {
    const shipped = order('Shipped', {
      shipments: [{ trackingNumber: '1Z1', events: [{ at: '2026-03-06T15:00:00Z', status: 'in_transit' }] }],
    });
    const recent = advise(pack, scenario({ intent: 'lost_or_stolen', order: shipped as never }));
    expect(recent.actions.map((a) => a.type)).toEqual(['check', 'send_macro']);
    const later = advise(
      pack,
      scenario({ intent: 'lost_or_stolen', now: '2026-03-12T15:00:00Z', order: shipped as never }),
    );
    expect(later.actions.map((a) => a.type)).toEqual(['check']);
  });

  it('infers the intent from the message when none is given, and is deterministic', () => {
    const s = scenario({
      message: { channel: 'email', from: 'customer', body: 'Hi, please cancel my order before it ships' },
    });
    const a = advise(pack, s);
    expect(a.intent).toMatchObject({ name: 'cancel_order', source: 'inferred' });
    expect(a.intent.confidence).toBeGreaterThan(0.4);
    expect(advise(pack, s)).toEqual(a);
  });

  it('answers unknown for a message it cannot place, and gives no playbook', () => {
    const a = advise(
      pack,
      scenario({ message: { channel: 'email', from: 'customer', body: 'xyzzy plugh' } }),
    );
    expect(a.intent).toEqual({ name: 'unknown', confidence: 0, source: 'inferred' });
    expect(a.playbook).toBeNull();
    expect(a.actions).toEqual([]);
  });
});
