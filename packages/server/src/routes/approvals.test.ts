import {
  approvalSteps,
  CAPABILITY_NAMES,
  type Capability,
  type PackApproval,
  type PackApprovalStep,
  stepDeciders,
} from '@casebook/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueStoreCredit, storeCreditAccount, useStoreCredit } from '../money/storeCredit';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

/** A valid value of each field type, so a request of any pack type can be filed. */
function validFields(def: PackApproval, unique: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(def.fields)) {
    values[name] =
      f.type === 'number'
        ? 45
        : f.type === 'money'
          ? '25.00'
          : f.type === 'date'
            ? '2026-11-25'
            : f.type === 'boolean'
              ? true
              : f.type === 'choice'
                ? f.options![0]
                : f.type === 'url'
                  ? 'https://example.com/proof.pdf'
                  : `${name} ${unique}`;
  }
  return values;
}

let seq = 0;
const unique = () => {
  seq += 1;
  return `u${Date.now()}-${seq}`;
};

/**
 * Every approval capability of every pack, from the pack's own data: each role that may request a
 * type (named by the pack, or holding the type's request capability) succeeds and every other role
 * is refused; likewise for each step; a brand's custom role holding the capability acts, one holding
 * every other capability is refused; nobody takes a step on their own request.
 */
describe.each(['trade-in', 'fashion-leads', 'multichannel-retail'])('approval matrix of %s', (packId) => {
  let h: Harness;
  let brand: BrandRow;
  const members: Record<string, [TestClient, TestClient]> = {};
  let roles: string[];
  let approvals: [string, PackApproval][];
  let roleCaps: (role: string) => string[];

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, packId);
    const pack = h.deps.packs.get(packId)!.manifest;
    roles = Object.keys(pack.roles);
    roleCaps = (role) => pack.roles[role]!.capabilities;
    approvals = Object.entries(pack.approvals);
    for (const role of roles) {
      members[role] = [
        (await signedInMember(h, brand, role)).client,
        (await signedInMember(h, brand, role)).client,
      ];
    }
  });

  /** The capability that lets any role request a type: the pack's, else approval.file.<type> when catalogued. */
  const requestCap = (type: string, def: PackApproval): Capability | null =>
    (def.capabilities?.request ??
      CAPABILITY_NAMES.find((c) => c === `approval.file.${type}`) ??
      null) as Capability | null;
  /** The capability that lets any role take a step: its own, else the type's decide one for the deciders' steps. */
  const stepCap = (type: string, def: PackApproval, step: PackApprovalStep): Capability | null =>
    (step.requires ??
      (step.by
        ? null
        : (def.capabilities?.decide ??
          CAPABILITY_NAMES.find((c) => c === `approval.decide.${type}`) ??
          null))) as Capability | null;
  const custom = async (capabilities: Capability[]) =>
    (await signedInMember(h, brand, { capabilities })).client;

  /** A ticket with a new customer: store credit follow-ons act on the request's customer. */
  async function customerTicket(): Promise<string> {
    const res = await members.admin![0].post('/api/v1/tickets', {
      brandId: brand.id,
      subject: 'Store credit',
      body: 'I expected a refund',
      customer: { email: `${unique()}@example.com` },
    });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }
  const touchesCredit = (def: PackApproval) =>
    Object.values(approvalSteps(def)).some((s) => s.then.some((t) => 'freezeStoreCredit' in t));
  const file = async (client: TestClient, type: string, def: PackApproval) =>
    client.post(`/api/v1/brands/${brand.id}/approvals`, {
      type,
      fields: validFields(def, unique()),
      ticketId: touchesCredit(def) ? await customerTicket() : null,
    });

  it('lets exactly the requesting roles, and roles holding the request capability, file each type', async () => {
    for (const [type, def] of approvals) {
      const cap = requestCap(type, def);
      for (const role of roles) {
        const res = await file(members[role]![0], type, def);
        if (def.request.includes(role) || (cap !== null && roleCaps(role).includes(cap))) {
          expect(res.status, `${role} files ${type}`).toBe(201);
          expect(res.body.data.state).toBe(def.states[0]);
        } else {
          expect(res.status, `${role} files ${type}`).toBe(403);
          expect(res.body.error.message).toContain(`may not request a ${def.title}`);
        }
      }
      if (cap) {
        const holder = await file(await custom(['tickets.work', cap]), type, def);
        expect(holder.status, `custom role with ${cap} files ${type}`).toBe(201);
      }
      const others = CAPABILITY_NAMES.filter((c) => c !== cap) as Capability[];
      const refused = await file(await custom(others), type, def);
      expect(refused.status, `custom role without ${cap} files ${type}`).toBe(403);
      expect(refused.body.error.message).toContain(`may not request a ${def.title}`);
    }
  });

  it('lets exactly the deciding roles, and roles holding the step’s capability, take each step, never on their own request', async () => {
    for (const [type, def] of approvals) {
      const requesterRole = def.request[0]!;
      for (const [stepName, step] of Object.entries(approvalSteps(def))) {
        if (!step.from.includes(def.states[0]!)) continue;
        const by = stepDeciders(def, step);
        const cap = stepCap(type, def, step);
        const takes = async (client: TestClient) => {
          // Filed by the second member of the first requesting role.
          const filed = await file(members[requesterRole]![1], type, def);
          expect(filed.status).toBe(201);
          return client.post(`/api/v1/approvals/${filed.body.data.id}/steps`, {
            step: stepName,
            note: 'Checked with the customer',
          });
        };
        for (const role of roles) {
          const res = await takes(members[role]![0]);
          if (by.includes(role) || (cap !== null && roleCaps(role).includes(cap))) {
            expect(res.status, `${role} takes ${type}.${stepName}`).toBe(200);
            expect(res.body.data.state).toBe(step.to);
          } else {
            expect([403, 404], `${role} takes ${type}.${stepName}`).toContain(res.status);
          }
        }
        if (cap) {
          const holder = await custom(['tickets.work', cap]);
          const res = await takes(holder);
          expect(res.status, `custom role with ${cap} takes ${type}.${stepName}`).toBe(200);
          expect(res.body.data.state).toBe(step.to);
          // The holder may not take the step on a request of their own either.
          const requestable =
            requestCap(type, def) === null
              ? null
              : await custom(['tickets.work', cap, requestCap(type, def)!]);
          if (requestable) {
            const own = await file(requestable, type, def);
            expect(own.status).toBe(201);
            const self = await requestable.post(`/api/v1/approvals/${own.body.data.id}/steps`, {
              step: stepName,
              note: 'mine',
            });
            expect(self.status, `custom role decides own ${type}`).toBe(403);
            expect(self.body.error.message).toBe('Nobody decides their own request: another person must');
          }
        }
        const others = CAPABILITY_NAMES.filter((c) => c !== cap) as Capability[];
        const without = await takes(await custom(others));
        expect([403, 404], `custom role without ${cap} takes ${type}.${stepName}`).toContain(without.status);
        // Self-approval: a role that may both request and take the step, on its own request.
        const both = def.request.find((r) => by.includes(r));
        if (both) {
          const own = await file(members[both]![0], type, def);
          const self = await members[both]![0].post(`/api/v1/approvals/${own.body.data.id}/steps`, {
            step: stepName,
            note: 'mine',
          });
          expect(self.status, `${both} decides own ${type}`).toBe(403);
          expect(self.body.error.message).toBe('Nobody decides their own request: another person must');
          expect(own.body.data.allowed).toEqual([]);
        }
      }
    }
  });

  it('refuses a brand the caller is not in with 404', async () => {
    const [type, def] = approvals[0]!;
    const filed = await file(members[def.request[0]!]![0], type, def);
    const stranger = (await signedInMember(h, await makeBrand(h, packId), def.decide[0]!)).client;
    expect((await stranger.get(`/api/v1/approvals/${filed.body.data.id}`)).status).toBe(404);
    expect(
      (await stranger.post(`/api/v1/approvals/${filed.body.data.id}/steps`, { step: 'approve', note: 'x' }))
        .status,
    ).toBe(404);
    expect((await stranger.post(`/api/v1/brands/${brand.id}/approvals`, { type, fields: {} })).status).toBe(
      404,
    );
    expect((await stranger.get(`/api/v1/brands/${brand.id}/approvals`)).status).toBe(404);
  });
});

describe('approvals of the fashion-leads pack (seed 004)', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  let lead: TestClient;
  let lead2: TestClient;
  let asl: TestClient;
  let sa: TestClient;

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'fashion-leads');
    agent = (await signedInMember(h, brand, 'agent')).client;
    lead = (await signedInMember(h, brand, 'lead')).client;
    lead2 = (await signedInMember(h, brand, 'lead')).client;
    asl = (await signedInMember(h, brand, 'asl')).client;
    sa = (await signedInMember(h, brand, 'sa')).client;
  });

  it('names the field of every validation problem', async () => {
    const res = await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'hper',
      fields: { kind: 'Teleport the parcel', minutes_since_placed: 'soon', colour: 'red' },
    });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.problems.map((p: { field: string }) => p.field).sort();
    expect(fields).toEqual(['fields.colour', 'fields.kind', 'fields.minutes_since_placed', 'fields.order']);
    expect(res.body.error.message).toContain('fields.order: Order is required');
    expect(res.body.error.message).toContain('fields.kind: Exception must be one of: Cancellation outside');
    const unknown = await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'teleport',
      fields: {},
    });
    expect(unknown.body.error.message).toBe('type: "teleport" is not an approval type of this brand');
  });

  it('files an HPER through leadership and posts it to the leadership channel', async () => {
    const res = await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'hper',
      fields: {
        order: 'MC-1001',
        kind: 'Cancellation outside the 60 minute window',
        minutes_since_placed: 95,
      },
    });
    expect(res.status).toBe(201);
    const filed = await asl.post(`/api/v1/approvals/${res.body.data.id}/steps`, { step: 'file' });
    expect(filed.status).toBe(200);
    expect(filed.body.data.state).toBe('filed');
    expect(filed.body.followOns).toEqual([
      {
        kind: 'post',
        detail: 'Leadership GChat: HPER filed for order MC-1001: Cancellation outside the 60 minute window',
      },
    ]);
    const inbox = await lead.get(`/api/v1/brands/${brand.id}/notifications`);
    expect(inbox.body.data[0].text).toBe(
      'HPER filed for order MC-1001: Cancellation outside the 60 minute window',
    );
  });

  it('lets a custom role with approval.decide.hper decide HPERs, and refuses the pack roles without it', async () => {
    // A brand of its own: the coupon pool below stays out of the pool test's counts.
    const brand = await makeBrand(h, 'fashion-leads');
    const agent = (await signedInMember(h, brand, 'agent')).client;
    const escalations = (
      await signedInMember(h, brand, { capabilities: ['tickets.work', 'approval.decide.hper'] })
    ).client;
    const res = await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'hper',
      fields: { order: 'MC-1201', kind: 'Same day shipping' },
    });
    const viewed = await escalations.get(`/api/v1/approvals/${res.body.data.id}`);
    expect(viewed.body.data.allowed).toEqual(['file', 'deny']);
    const manager = (await signedInMember(h, brand, 'manager')).client;
    const refused = await manager.post(`/api/v1/approvals/${res.body.data.id}/steps`, { step: 'file' });
    expect(refused.status).toBe(404);
    const agent2 = (await signedInMember(h, brand, 'agent')).client;
    const byAgent = await agent2.post(`/api/v1/approvals/${res.body.data.id}/steps`, { step: 'file' });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.message).toBe(
      'Only lead, asl, sa (or a role with approval.decide.hper) may file the hper a High priority exception request (HPER)',
    );
    const filed = await escalations.post(`/api/v1/approvals/${res.body.data.id}/steps`, { step: 'file' });
    expect(filed.status).toBe(200);
    expect(filed.body.data.state).toBe('filed');
    // The same custom role adds coupon codes only with coupon_codes.manage.
    expect(
      (await escalations.post(`/api/v1/brands/${brand.id}/coupon-pools/VIP/codes`, { codes: ['VIP-1'] }))
        .status,
    ).toBe(403);
    const couponDesk = (
      await signedInMember(h, brand, { capabilities: ['tickets.work', 'coupon_codes.manage'] })
    ).client;
    const added = await couponDesk.post(`/api/v1/brands/${brand.id}/coupon-pools/VIP/codes`, {
      codes: ['VIP-1'],
    });
    expect(added.body.data).toEqual({ added: 1, skipped: 0 });
  });

  it('denies a store credit removal only with a reason', async () => {
    const res = await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'store_credit_removal',
      fields: { order: 'MC-2002', store_credit_amount: '40.00' },
    });
    expect(res.body.notice).toMatch(/10-15 business days/);
    const noReason = await lead.post(`/api/v1/approvals/${res.body.data.id}/steps`, { step: 'deny' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe('note: is required to deny');
    const denied = await lead.post(`/api/v1/approvals/${res.body.data.id}/steps`, {
      step: 'deny',
      note: 'Store credit is the right appeasement here',
    });
    expect(denied.body.data.state).toBe('denied');
    expect(denied.body.data.decisionNote).toBe('Store credit is the right appeasement here');
    const again = await sa.post(`/api/v1/approvals/${res.body.data.id}/steps`, { step: 'approve' });
    expect(again.status).toBe(409);
  });

  it('approving a store credit removal freezes the credit and files an MRR that only another shift lead processes', async () => {
    const ticket = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      subject: 'Refund please',
      body: 'I got store credit but wanted my money back',
      customer: { email: `credit-${unique()}@example.com` },
    });
    const customerId = ticket.body.data.customerId as string;
    const system = { actor: { kind: 'system' as const, name: 'test' }, now: h.clock.now() };
    await h.deps.database.db.transaction((tx) =>
      issueStoreCredit(tx, system, {
        brandId: brand.id,
        customerId,
        amount: 8000,
        reason: 'Return of MC-3003',
      }),
    );
    const res = await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'store_credit_removal',
      ticketId: ticket.body.data.id,
      fields: { order: 'MC-3003', store_credit_amount: '59.90', reason: 'Expected a refund to the card' },
    });
    const approved = await lead.post(`/api/v1/approvals/${res.body.data.id}/steps`, { step: 'approve' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.notice).toMatch(/10-15 business days/);
    expect(approved.body.followOns.map((f: { kind: string }) => f.kind)).toEqual([
      'freezeStoreCredit',
      'request',
    ]);
    // Frozen: none of the customer's store credit can be used while the removal runs.
    const frozen = await h.deps.database.db
      .transaction((tx) =>
        useStoreCredit(tx, system, { brandId: brand.id, customerId, amount: 100, reason: 'Order' }),
      )
      .catch((e: Error) => e);
    expect(String(frozen)).toMatch(/frozen/);
    const mrrId = approved.body.followOns[1].id;
    const mrr = await asl.get(`/api/v1/approvals/${mrrId}`);
    expect(mrr.status).toBe(200);
    expect(mrr.body.data).toMatchObject({
      type: 'mrr',
      state: 'filed',
      parentId: res.body.data.id,
      fields: { order: 'MC-3003', amount: '59.90', reason: 'Store credit removal' },
      allowed: [],
    });
    // ASL and SA view the MRR but take no action on it; the lead who filed it does not process it.
    expect((await asl.post(`/api/v1/approvals/${mrrId}/steps`, { step: 'process', note: 'x' })).status).toBe(
      403,
    );
    expect((await sa.post(`/api/v1/approvals/${mrrId}/steps`, { step: 'process', note: 'x' })).status).toBe(
      403,
    );
    expect((await lead.post(`/api/v1/approvals/${mrrId}/steps`, { step: 'process', note: 'x' })).status).toBe(
      403,
    );
    const noNote = await lead2.post(`/api/v1/approvals/${mrrId}/steps`, { step: 'process' });
    expect(noNote.body.error.message).toBe('note: is required to process');
    const processed = await lead2.post(`/api/v1/approvals/${mrrId}/steps`, {
      step: 'process',
      note: 'Refund put through; 2-5 business days at the bank',
    });
    expect(processed.body.data.state).toBe('processed');
    expect(processed.body.followOns).toMatchObject([
      { kind: 'removeStoreCredit', detail: 'Store credit removed (59.90)' },
    ]);
    const account = await h.deps.database.db.transaction((tx) =>
      storeCreditAccount(tx, brand.id, customerId),
    );
    expect(account.balance).toBe(8000 - 5990);
    expect(account.freeze).toBeNull();
    // Agents do not see MRRs at all.
    expect((await agent.get(`/api/v1/approvals/${mrrId}`)).status).toBe(404);
  });

  it('deduplicates bug reports against open ones', async () => {
    const fields = {
      summary: 'Checkout button does nothing on Safari!',
      support_details: 'Safari 17, macOS 14',
    };
    const first = await agent.post(`/api/v1/brands/${brand.id}/approvals`, { type: 'bug_report', fields });
    expect(first.status).toBe(201);
    const dup = await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'bug_report',
      fields: { ...fields, summary: 'checkout button does nothing on safari' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details.duplicateOf).toBe(first.body.data.id);
    const filed = await lead.post(`/api/v1/approvals/${first.body.data.id}/steps`, { step: 'file' });
    // Leadership hear of every bug filed with the Bugs Team.
    expect(filed.body.followOns[0]).toEqual({
      kind: 'post',
      detail: `Leadership GChat: Bug reported to the Bugs Team: ${fields.summary}`,
    });
    // …and the filed report is logged in the Bugs reports tracker, with the support details.
    expect(filed.body.followOns[1]).toMatchObject({
      kind: 'record',
      detail: expect.stringMatching(/^Bugs reports: /),
    });
    const record = await lead.get(`/api/v1/tracker-records/${filed.body.followOns[1].id}`);
    expect(record.status).toBe(200);
    expect(record.body.data.fields).toMatchObject(fields);
    expect(record.body.data.state).toBe('Reported to the Bugs Team');
    const inbox = await sa.get(`/api/v1/brands/${brand.id}/notifications`);
    expect(inbox.body.data.map((n: { text: string }) => n.text)).toContain(
      `Bug reported to the Bugs Team: ${fields.summary}`,
    );
    const afterFiled = await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
      type: 'bug_report',
      fields,
    });
    expect(afterFiled.status).toBe(201);
  });

  it('hands out coupon codes and tells the leads once when the pool runs low', async () => {
    const codes = Array.from({ length: 7 }, (_, i) => `WELCOME-${i}`);
    expect(
      (await agent.post(`/api/v1/brands/${brand.id}/coupon-pools/WELCOME/codes`, { codes })).status,
    ).toBe(403);
    const added = await lead.post(`/api/v1/brands/${brand.id}/coupon-pools/WELCOME/codes`, {
      codes: [...codes, 'WELCOME-0'],
    });
    expect(added.body.data).toEqual({ added: 7, skipped: 0 });
    const taken = [];
    for (let i = 0; i < 3; i += 1) {
      taken.push((await agent.post(`/api/v1/brands/${brand.id}/coupon-pools/WELCOME/take`, {})).body.data);
    }
    expect(taken.map((t) => t.remaining)).toEqual([6, 5, 4]);
    expect(taken.map((t) => t.alerted)).toEqual([false, true, false]);
    const inbox = await sa.get(`/api/v1/brands/${brand.id}/notifications`);
    expect(
      inbox.body.data.filter((n: { text: string }) => n.text.startsWith('Coupon pool WELCOME')),
    ).toHaveLength(1);
    const pools = await agent.get(`/api/v1/brands/${brand.id}/coupon-pools`);
    expect(pools.body.data).toEqual([{ pool: 'WELCOME', free: 4, used: 3 }]);
    for (let i = 0; i < 4; i += 1)
      await agent.post(`/api/v1/brands/${brand.id}/coupon-pools/WELCOME/take`, {});
    const empty = await agent.post(`/api/v1/brands/${brand.id}/coupon-pools/WELCOME/take`, {});
    expect(empty.status).toBe(409);
  });
});
