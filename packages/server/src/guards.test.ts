import {
  checkApprovalDecision,
  checkPoStatusChange,
  deriveFacts,
  packCalendar,
  packRoleActor,
  type Scenario,
  vendorPolicy,
} from '@casebook/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { AppError } from './errors';
import { enforceGuardrails } from './guards';
import { loadPacks } from './packs';

const pack = loadPacks(loadConfig({}).packsDir).get('marketplace-dropship')!;

function poFacts(status: string, refunded: boolean, shipped = false) {
  const scenario = {
    id: 'guard',
    pack: 'marketplace-dropship',
    now: '2026-03-10T15:00:00Z',
    order: {
      id: 'A1',
      placedAt: '2026-03-08T15:00:00Z',
      items: [{ sku: 'TV', name: 'TV', qty: 1, unitPrice: 500 }],
      purchaseOrders: [
        {
          id: 'PO-1',
          vendor: 'Best Buy',
          status,
          refunded,
          items: [{ sku: 'TV', qty: 1, shippedQty: shipped ? 1 : 0 }],
          shipments: [],
        },
      ],
    },
  } as Scenario;
  return deriveFacts(scenario, new Date(scenario.now), 'none', packCalendar(pack), (v) =>
    vendorPolicy(pack, v),
  );
}

function refusal(from: string, to: string, refunded: boolean, role = 'agent'): AppError | undefined {
  try {
    enforceGuardrails(
      checkPoStatusChange(pack, poFacts(from, refunded), { from, to, actor: packRoleActor(pack, role) }),
    );
    return undefined;
  } catch (error) {
    return error as AppError;
  }
}

describe('guardrails of the marketplace pack, enforced', () => {
  it('refuses Canceled while the PO does not show refunded, with the pack’s rule and words', () => {
    const error = refusal('On-Hold', 'Canceled', false);
    expect(error).toBeInstanceOf(AppError);
    expect(error!.status).toBe(422);
    expect(error!.code).toBe('guardrail_violation');
    expect(error!.message.toLowerCase()).toContain('refunded');
    expect(error!.details?.rule).toBeTypeOf('string');
  });

  it('allows Canceled once the PO shows refunded', () => {
    expect(refusal('On-Hold', 'Canceled', true)).toBeUndefined();
  });

  it('refuses a transition the pack does not allow', () => {
    const error = refusal('Delivered', 'Processing', true);
    expect(error?.details?.rule).toBe('po.transitions');
  });

  it('refuses a role without po.set_status', () => {
    const error = refusal('On-Hold', 'Canceled', true, 'manager');
    expect(error?.details?.rule).toBe('po.set_status');
    expect(error?.message).toContain('The Manager role may not change PO statuses.');
  });

  it('takes a custom role’s own capabilities', () => {
    const facts = poFacts('On-Hold', true);
    const custom = { role: 'Refund desk', capabilities: ['po.set_status'] };
    expect(checkPoStatusChange(pack, facts, { from: 'On-Hold', to: 'Canceled', actor: custom })).toEqual([]);
  });
});

describe('approval decisions of the fashion pack, enforced', () => {
  const fashion = loadPacks(loadConfig({}).packsDir).get('fashion-leads')!;

  it('refuses an HPER decided by an agent, naming who decides', () => {
    let error: AppError | undefined;
    try {
      enforceGuardrails(checkApprovalDecision(fashion, 'hper', { roleName: 'agent', capabilities: [] }));
    } catch (e) {
      error = e as AppError;
    }
    expect(error?.code).toBe('guardrail_violation');
    expect(error?.details?.rule).toBe('approvals.hper.decide');
    expect(error?.message).toMatch(/^Only .*Lead/);
  });

  it('lets the deciding roles, and a custom role with the decide capability, decide', () => {
    expect(checkApprovalDecision(fashion, 'hper', { roleName: 'lead', capabilities: [] })).toEqual([]);
    expect(
      checkApprovalDecision(fashion, 'hper', {
        roleName: 'escalations',
        capabilities: ['approval.decide.hper'],
      }),
    ).toEqual([]);
  });
});
