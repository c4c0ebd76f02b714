import { loadPack, type Pack, type PackFile } from '../packs/load';

/** A small pack written for the engine's tests: one of each kind of rule. */
export const FIXTURE_FILES: Record<string, string> = {
  'pack.yaml': `id: fixture
name: Fixture store
version: 1.2.3
description: A pack for the engine's own tests.
source: none
calendar: { timezone: UTC }
intentThreshold: 0.4
roles:
  agent: { title: Agent, capabilities: [po.set_status] }
  lead: { title: Lead, capabilities: [po.set_status, mrr.process] }
  admin: { title: Admin, capabilities: [audit.read] }
`,
  'intents.yaml': `intents:
  cancel_order:
    title: Cancel an order
    examples:
      - please cancel my order
      - I want to cancel the order I placed
      - cancel it, I changed my mind
      - can you cancel my purchase before it ships
  lost_or_stolen:
    title: Package lost
    examples:
      - my package was stolen from the porch
      - the parcel is lost, tracking has not moved
      - where is my package, it never arrived and seems lost
      - courier lost my parcel
  vendor_cancellation_confirmed:
    title: Vendor confirms a cancellation
    from: [vendor]
    examples:
      - cancellation confirmed for the PO
      - we have cancelled the purchase order as requested
      - the order has been canceled on our side
`,
  'macros.yaml': `macros:
  "#CL – Lost in Transit Wait": { body: "Hi {{customer.firstName}}, your parcel is moving.", source: "seed" }
  "#VD - Cancel": { body: "Please cancel PO {{po.id}}.", source: "seed" }
`,
  'other.yaml': `channels:
  "#team": { description: Team channel, source: seed }
processes:
  Refund run: { title: Refund run, steps: [Put the refund through], requires: mrr.process, source: seed }
purchaseOrders:
  statuses: [Processing, Sent to Vendor, On-Hold, Shipped, Canceled]
  transitions:
    Processing: [Sent to Vendor, Canceled]
    Sent to Vendor: [On-Hold, Shipped]
    On-Hold: [Canceled, Sent to Vendor]
  guardrails:
    - rule: po.cancel-needs-refund
      to: Canceled
      require: po.refunded
      message: Ensure the PO shows as refunded before changing it to Canceled.
      source: seed
`,
  'playbooks.yaml': `playbooks:
  cancel-before-vendor:
    title: Cancel before it reaches the vendor
    intents: [cancel_order]
    when: po.status == "Processing"
    steps:
      - rule: cancel.processing
        do: [{ type: cancel, scope: po }]
        because: Not yet with the vendor.
        source: seed
  cancel:
    title: Cancel with the vendor
    intents: [cancel_order]
    steps:
      - rule: cancel.hold
        when: po.status == "Sent to Vendor" && !po.anyItemShipped
        do:
          - { type: set_po_status, status: On-Hold, requires: po.set_status }
          - { type: side_conversation, with: vendor, macro: "#VD - Cancel" }
        because: Hold the PO and ask the vendor.
        source: seed
        stop: true
      - rule: cancel.refund
        do: [{ type: start_process, process: Refund run, requires: mrr.process }, { type: notify, channel: "#team", text: "Cancelled {{order.id}} on {{today:DD-MM-YYYY}}" }]
        because: Refunds are run by leads.
        source: seed
  lost:
    title: Lost package
    intents: [lost_or_stolen]
    steps:
      - rule: lost.check
        do: [{ type: check, what: tracking_status }]
        because: Look first.
        source: seed
      - rule: lost.recent
        when: tracking.hasEvents && tracking.daysSinceLastEvent <= 5.0
        do: [{ type: send_macro, macro: "#CL – Lost in Transit Wait" }]
        because: It moved recently.
        source: seed
  vendor-cancel:
    title: Vendor confirmed
    intents: [vendor_cancellation_confirmed]
    steps:
      - rule: vendor.check-refund
        do: [{ type: check, what: po_refunded }, { type: set_po_status, status: Canceled }]
        because: Canceled only once refunded.
        source: seed
`,
};

export function fixtureFiles(overrides: Record<string, string> = {}): PackFile[] {
  return Object.entries({ ...FIXTURE_FILES, ...overrides }).map(([path, text]) => ({
    path: `fixture/${path}`,
    text,
  }));
}

export function fixturePack(overrides: Record<string, string> = {}): Pack {
  const result = loadPack(fixtureFiles(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.pack;
}
