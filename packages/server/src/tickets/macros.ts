import {
  type Pack,
  PLACEHOLDERS,
  placeholdersOf,
  primaryPurchaseOrder,
  renderMacro,
  type Order as ScenarioOrder,
} from '@casebook/core';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { setPoStatus } from '../commands/setPoStatus';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { brands, customers, macros, messages, orders, ticketOrders } from '../db/schema';
import { errors } from '../errors';
import { loadOrders, type OrderAggregate, toScenarioOrder } from '../orders/aggregate';
import type { BrandAccess } from '../policies';
import type { MacroAction } from '../routes/helpdeskAdmin';
import {
  addAgentMessage,
  type BrandEnv,
  checkVersion,
  lockTicket,
  type MessageRow,
  type TicketRow,
  updateTicket,
} from './commands';
import type { CustomerRow } from './customers';
import { scheduleFollowUp } from './followUp';

/**
 * What a ticket's SOP work reads, loaded once: the brand's name, the customer, the latest message
 * from the customer (or a vendor, supplier or carrier) in the main conversation, the first linked
 * order with its POs, shipments and tracking, and the PO the case is about.
 */
export type TicketCase = {
  ticket: TicketRow;
  brandName: string;
  customer: CustomerRow | null;
  message: MessageRow | null;
  order: OrderAggregate | null;
  /** The order in the advice contract's shape (what the SOP engine reads). */
  scenarioOrder: ScenarioOrder | null;
  /** The PO the case is about, picked as the engine picks it: named in the message, else the first open one. */
  po: OrderAggregate['purchaseOrders'][number] | null;
};

const INBOUND_AUTHORS = ['customer', 'vendor', 'supplier', 'carrier'] as const;

/**
 * Loads a ticket's case. The linked order is the one linked first (by hand or automatically),
 * the newest order among those linked at the same moment.
 */
export async function loadTicketCase(db: Queryable, ticket: TicketRow): Promise<TicketCase> {
  const [brand] = await db.select({ name: brands.name }).from(brands).where(eq(brands.id, ticket.brandId));
  const [customer] = ticket.customerId
    ? await db.select().from(customers).where(eq(customers.id, ticket.customerId))
    : [];
  const [message] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticket.id),
        isNull(messages.sideConversationId),
        eq(messages.kind, 'reply'),
        inArray(messages.authorType, [...INBOUND_AUTHORS]),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.seq))
    .limit(1);
  const [link] = await db
    .select({ orderId: ticketOrders.orderId })
    .from(ticketOrders)
    .innerJoin(orders, eq(orders.id, ticketOrders.orderId))
    .where(eq(ticketOrders.ticketId, ticket.id))
    .orderBy(asc(ticketOrders.createdAt), desc(orders.placedAt), asc(orders.id))
    .limit(1);
  const order = link
    ? ((await loadOrders(db, ticket.brandId, [link.orderId])).get(link.orderId) ?? null)
    : null;
  const scenarioOrder = order ? toScenarioOrder(order) : null;
  let po: TicketCase['po'] = null;
  if (order && scenarioOrder) {
    const text = message ? `${message.subject ?? ''}\n${message.bodyText}` : '';
    const pos = scenarioOrder.purchaseOrders;
    const primary = primaryPurchaseOrder(
      pos,
      pos.map((p) => p.id).filter((id) => text.includes(id)),
    );
    po = order.purchaseOrders.find((p) => p.po.number === primary?.id) ?? null;
  }
  return {
    ticket,
    brandName: brand?.name ?? '',
    customer: customer ?? null,
    message: message ?? null,
    order,
    scenarioOrder,
    po,
  };
}

type Shipment = OrderAggregate['purchaseOrders'][number]['shipments'][number];

/** The shipment whose latest tracking event is the newest (one without events counts as oldest). */
function newestShipment(list: Shipment[]): Shipment | undefined {
  const at = (s: Shipment) => s.events.at(-1)?.at.getTime() ?? -1;
  return list.reduce<Shipment | undefined>((best, s) => (!best || at(s) > at(best) ? s : best), undefined);
}

const CARRIER_PAGES: Record<string, (n: string) => string> = {
  ups: (n) => `https://www.ups.com/track?tracknum=${n}`,
  fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  dhl: (n) => `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${n}`,
};

const humanStatus = (s: string) => {
  const words = s.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * The value of every placeholder of `PLACEHOLDERS` that the case can fill; null for the others
 * (no order, no shipment, nothing recorded for refunds or trade-ins yet). Dates are written in the
 * pack's time zone.
 */
export function caseValues(
  c: TicketCase,
  pack: Pack,
  agent: { name: string } | null,
): Record<string, string | null> {
  const timeZone = pack.manifest.calendar.timezone;
  const date = (d: Date) => new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone }).format(d);
  const dateTime = (d: Date) =>
    new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    }).format(d);
  const firstName = (name: string | null | undefined) => name?.trim().split(/\s+/)[0] || null;
  const order = c.order?.order;
  const items = c.order?.items ?? [];
  const itemName = (sku: string) => items.find((i) => i.sku === sku)?.name ?? sku;
  const money = (cents: number) =>
    new Intl.NumberFormat('en-US', { style: 'currency', currency: order?.currency ?? 'USD' }).format(
      cents / 100,
    );
  const address = order?.shippingAddress as Record<string, string | undefined> | null | undefined;
  const canceled = (c.order?.purchaseOrders ?? []).flatMap((p) => p.items.filter((i) => i.canceled));
  const shipment =
    newestShipment(c.po?.shipments ?? []) ??
    newestShipment((c.order?.purchaseOrders ?? []).flatMap((p) => p.shipments));
  const last = shipment?.events.at(-1);
  const delivered = shipment?.events.findLast((e) => e.status === 'delivered');
  const carrier = shipment?.shipment.carrier ?? null;
  const page = carrier ? CARRIER_PAGES[carrier.toLowerCase().replace(/[^a-z]/g, '')] : undefined;
  const values: Record<string, string | null> = {
    'ticket.number': String(c.ticket.number),
    'ticket.subject': c.ticket.subject,
    'customer.name': c.customer?.name ?? null,
    'customer.firstName': firstName(c.customer?.name),
    'customer.email': c.customer?.email ?? null,
    'order.id': order?.number ?? null,
    'order.number': order?.number ?? null,
    'order.placedAt': order ? date(order.placedAt) : null,
    'order.shippingAddress': address
      ? [
          address.line1,
          address.line2,
          [address.city, [address.region, address.postalCode].filter(Boolean).join(' ')]
            .filter(Boolean)
            .join(', '),
          address.country,
        ]
          .filter(Boolean)
          .join('\n')
      : null,
    'order.shippingMethod': null,
    'order.total': order
      ? money(items.reduce((sum, i) => sum + i.qty * i.unitPriceCents, 0) + order.shippingCostCents)
      : null,
    'order.canceledItems': canceled.length
      ? canceled.map((i) => `${itemName(i.sku)} (SKU ${i.sku}) × ${i.qty}`).join('\n')
      : null,
    'product.name': c.po?.items[0] ? itemName(c.po.items[0].sku) : (items[0]?.name ?? null),
    'po.id': c.po?.po.number ?? null,
    'po.number': c.po?.po.number ?? null,
    'po.status': c.po?.po.status ?? null,
    'po.items': c.po?.items.length
      ? c.po.items.map((i) => `${itemName(i.sku)} (SKU ${i.sku}) × ${i.qty}`).join('\n')
      : null,
    'vendor.name': c.po?.vendor.name ?? null,
    'tracking.carrier': carrier,
    'tracking.number': shipment?.shipment.trackingNumber ?? null,
    'tracking.lastStatus': last ? humanStatus(last.status) : null,
    'tracking.lastEventAt': last ? dateTime(last.at) : null,
    'tracking.deliveredAt': delivered ? date(delivered.at) : null,
    'tracking.url': page && shipment ? page(encodeURIComponent(shipment.shipment.trackingNumber)) : null,
    'refund.amount': null,
    'agent.name': agent?.name ?? null,
    'agent.firstName': firstName(agent?.name),
    'tradeIn.vNumber': null,
    'tradeIn.sNumber': null,
    'tradeIn.product': null,
    'brand.name': c.brandName || null,
  };
  for (const name of Object.keys(PLACEHOLDERS)) values[name] ??= null;
  return values;
}

/** The placeholder values of a ticket for a reply written by `agent`. */
export async function macroValues(
  db: Queryable,
  env: BrandEnv,
  ticket: TicketRow,
  agent: { name: string } | null,
): Promise<Record<string, string | null>> {
  return caseValues(await loadTicketCase(db, ticket), env.pack, agent);
}

/** A macro as the ticket view uses it. Pack macros carry no actions; brand macros may. */
export type MacroDefinition = {
  name: string;
  title: string | null;
  body: string;
  source: 'pack' | 'custom';
  actions: MacroAction[];
};

/** A macro filled in for one ticket: `missing` lists the placeholders the ticket has no value for. */
export type RenderedMacro = Omit<MacroDefinition, 'body'> & { text: string; missing: string[] };

/** A macro of the brand's pack or one of the brand's own, by name; a 400 naming `field` when there is none. */
export async function findMacro(
  db: Queryable,
  env: BrandEnv,
  name: string,
  field = 'macro',
): Promise<MacroDefinition> {
  const fromPack = Object.hasOwn(env.pack.manifest.macros, name) ? env.pack.manifest.macros[name] : undefined;
  if (fromPack)
    return { name, title: fromPack.title ?? null, body: fromPack.body, source: 'pack', actions: [] };
  const [row] = await db
    .select()
    .from(macros)
    .where(and(eq(macros.brandId, env.brandId), eq(macros.name, name)));
  if (!row) throw errors.field(field, `"${name}" is not a macro of this brand`);
  return { name, title: row.title, body: row.body, source: 'custom', actions: row.actions as MacroAction[] };
}

/** Fills a macro with a ticket's values. */
export function renderWith(macro: MacroDefinition, values: Record<string, string | null>): RenderedMacro {
  const { body, ...rest } = macro;
  return { ...rest, ...renderMacro(body, values) };
}

/**
 * A pack or brand macro rendered for a ticket, with the placeholders it could not fill.
 *
 * @example const { text, missing } = await renderTicketMacro(db, env, ticket, { name: 'Ana Ruiz' }, '#VD - Cancel')
 */
export async function renderTicketMacro(
  db: Queryable,
  env: BrandEnv,
  ticket: TicketRow,
  agent: { name: string } | null,
  name: string,
): Promise<RenderedMacro> {
  const macro = await findMacro(db, env, name);
  return renderWith(macro, await macroValues(db, env, ticket, agent));
}

/** The `{{placeholders}}` a text still holds, each once, in order. */
export function unresolvedPlaceholders(text: string): string[] {
  return placeholdersOf(text);
}

/**
 * Refuses a reply whose text still holds a `{{placeholder}}` (400, one problem per placeholder), so
 * no customer ever receives a template. POST /tickets/:id/messages calls it for replies.
 *
 * @example assertNoUnfilledPlaceholders('Hi {{customer.firstName}}') // throws "body: the placeholder {{customer.firstName}} has no value on this ticket; fill it in before sending"
 */
export function assertNoUnfilledPlaceholders(text: string, field = 'body'): void {
  const left = unresolvedPlaceholders(text);
  if (left.length === 0) return;
  throw errors.validation(
    left.map((name) => ({
      field,
      in: 'body' as const,
      problem: `the placeholder {{${name}}} has no value on this ticket; fill it in before sending`,
    })),
  );
}

export type ApplyMacroInput = {
  macro: string;
  /** The agent's edited text; default: the rendered macro. */
  body?: string | undefined;
  version?: number | undefined;
};

/**
 * Sends a macro as a reply and applies its actions, in the caller's transaction: the reply goes
 * through `addAgentMessage` (queued by email), then status, tags, queue, PO status (through the
 * pack's guardrails, so a broken rule is a 422 and the whole transaction, reply included, rolls
 * back) and follow-up. A text that still holds a placeholder is refused before anything is written.
 */
export async function applyMacro(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  env: BrandEnv,
  ticketId: string,
  author: { userId: string | null; name: string },
  input: ApplyMacroInput,
): Promise<{ ticket: TicketRow; message: MessageRow; macro: RenderedMacro }> {
  const locked = await lockTicket(tx, env.brandId, ticketId);
  checkVersion(locked, input.version);
  const c = await loadTicketCase(tx, locked);
  const macro = renderWith(await findMacro(tx, env, input.macro), caseValues(c, env.pack, author));
  const text = input.body ?? macro.text;
  assertNoUnfilledPlaceholders(text);
  let { ticket, message } = await addAgentMessage(tx, ctx, env, ticketId, author, {
    kind: 'reply',
    body: text,
    macroName: macro.name,
  });
  for (const action of macro.actions) {
    switch (action.type) {
      case 'set_status':
        ticket = await updateTicket(tx, ctx, env, ticketId, { status: action.status });
        break;
      case 'add_tag':
        ticket = await updateTicket(tx, ctx, env, ticketId, { addTags: [action.tag] });
        break;
      case 'set_queue':
        ticket = await updateTicket(tx, ctx, env, ticketId, { queue: action.queue });
        break;
      case 'set_po_status':
        if (!c.po)
          throw errors.conflict(`The macro sets a PO status, but this ticket has no linked order with a PO.`);
        await setPoStatus(tx, ctx, access, env.pack, c.po.po.id, {
          status: action.status,
          reason: `Macro "${macro.name}" on ticket #${ticket.number}`,
        });
        break;
      case 'follow_up':
        await scheduleFollowUp(tx, ctx, env, ticket, action.after, macro.name);
        break;
    }
  }
  return { ticket, message, macro: { ...macro, text, missing: [] } };
}
