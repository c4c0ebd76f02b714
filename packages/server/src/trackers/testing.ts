import { randomUUID } from 'node:crypto';
import type { TrackerType } from '@casebook/core';
import { importOrder } from '../commands/importOrder';
import { tickets } from '../db/schema';
import type { BrandRow } from '../policies';
import type { Harness } from '../test/harness';

/** Test helpers for tracker records: orders with a PO of one vendor, tickets, valid field values. */

const system = { actor: { kind: 'system' as const, name: 'test' }, now: new Date('2026-03-01T10:00:00Z') };
let seq = 0;

/** An order with one PO for `vendor`; returns the numbers people type. */
export async function makeOrder(h: Harness, brand: BrandRow, vendor = 'Bowen') {
  seq += 1;
  const number = `TR-${Date.now()}-${seq}`;
  await h.deps.database.db.transaction((tx) =>
    importOrder(tx, system, brand.id, h.deps.packs.get(brand.packId)!, {
      number,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'RING-1', name: 'Ring', qty: 1, unitPrice: 20 }],
      purchaseOrders: [{ number: `PO-${number}`, vendor, items: [{ sku: 'RING-1', qty: 1 }] }],
    }),
  );
  return { order: number, po: `PO-${number}` };
}

/** A ticket of the brand, written directly so these tests do not depend on the ticket commands. */
export async function makeTicket(h: Harness, brand: BrandRow) {
  const [ticket] = await h.deps.database.db
    .insert(tickets)
    .values({
      brandId: brand.id,
      token: randomUUID(),
      channel: 'email',
      subject: 'Broken ring',
      status: 'open',
    })
    .returning();
  return ticket!;
}

/** Field values that fit the type, naming `refs` for order and PO fields. */
export function validFields(def: TrackerType, refs: { order: string; po: string }) {
  const out: Record<string, string | number | boolean> = {};
  for (const [name, f] of Object.entries(def.fields)) {
    out[name] = {
      text: 'Some text',
      long_text: 'A longer text',
      number: 3,
      money: 12.5,
      date: '2026-03-02',
      boolean: true,
      choice: f.options?.[0] ?? '',
      url: 'https://photos.example.com/album/1',
      sku: 'RING-1',
      order: refs.order,
      po: refs.po,
    }[f.type];
  }
  return out;
}
