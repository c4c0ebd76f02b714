/**
 * Macro templates: canned replies with `{{ path }}` placeholders that Casebook fills from the
 * ticket, its customer, its order, PO and shipment, the vendor, the trade-in and the agent.
 */

/**
 * The closed catalogue of placeholders Casebook can fill, with what each holds. A pack macro that
 * uses any other name is refused at load, so a reply never goes out with a name nobody fills.
 */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  'ticket.number': 'The ticket number people quote, e.g. 1042',
  'ticket.subject': "The ticket's subject",
  'customer.name': "The customer's full name",
  'customer.firstName': "The customer's first name",
  'customer.email': "The customer's email address",
  'order.id': 'The order number people use, e.g. A1007 (the same as order.number)',
  'order.number': 'The order number people use, e.g. A1007',
  'order.placedAt': "The date the order was placed, in the brand's time zone",
  'order.shippingAddress': "The order's shipping address",
  'order.shippingMethod': 'The shipping method the order ships with',
  'order.total': "The order's total, with its currency",
  'order.canceledItems': "The order's canceled items, one per line with their quantities",
  'product.name': "The product the ticket is about (the order's item)",
  'po.id': 'The PO number people use, e.g. PO-7 (the same as po.number)',
  'po.number': 'The PO number people use, e.g. PO-7',
  'po.status': "The PO's status",
  'po.items': "The PO's items, one per line with their SKUs and quantities",
  'vendor.name': 'The name of the vendor fulfilling the PO',
  'tracking.carrier': "The carrier of the order's newest shipment",
  'tracking.number': "The newest shipment's tracking number",
  'tracking.lastStatus': "The status of the newest shipment's latest tracking event",
  'tracking.lastEventAt': "The date and time of the newest shipment's latest tracking event",
  'tracking.deliveredAt': 'The date the newest shipment was delivered',
  'tracking.url': "The carrier's tracking page for the newest shipment",
  'refund.amount': 'The amount refunded on the order, with its currency',
  'agent.name': "The replying agent's full name",
  'agent.firstName': "The replying agent's first name",
  'tradeIn.vNumber': "The trade-in's V number",
  'tradeIn.sNumber': "The trade-in's S number",
  'tradeIn.product': 'The product being traded in',
  'brand.name': "The brand's name",
};

/** `{{ path }}`: letters, digits, dots and underscores, with optional spaces inside the braces. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;
/** Anything between double braces, to find placeholders that are not well formed. */
const BRACES = /\{\{([^{}]*)\}\}/g;
const PATH = /^\s*[A-Za-z0-9_.]+\s*$/;

/** Whether Casebook can fill a placeholder: `isKnownPlaceholder('order.id') // true`. */
export function isKnownPlaceholder(name: string): boolean {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** The placeholder names a body uses, each once, in order of first use. */
export function placeholdersOf(body: string): string[] {
  return [...new Set(Array.from(body.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

/**
 * Fills a macro's placeholders. A placeholder without a value (null, undefined or blank) stays in
 * the text as written and is listed in `missing`, so the agent sees what to fill in by hand.
 *
 * @example renderMacro('Hi {{ customer.firstName }}', { 'customer.firstName': 'Ana' }) // { text: 'Hi Ana', missing: [] }
 */
export function renderMacro(
  body: string,
  values: Record<string, string | number | null | undefined>,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = body.replace(PLACEHOLDER, (written, path: string) => {
    const value = Object.hasOwn(values, path) ? values[path] : undefined;
    if (value === null || value === undefined || String(value).trim() === '') {
      missing.add(path);
      return written;
    }
    return String(value);
  });
  return { text, missing: [...missing] };
}

/**
 * What keeps a macro body from being filled: a name outside `PLACEHOLDERS`, or double braces that
 * do not hold a placeholder; once per distinct text. `text` is the offending text as written, so
 * the loader can point at its line.
 */
export function placeholderProblems(body: string): { text: string; message: string }[] {
  const problems: { text: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const [written, inside] of body.matchAll(BRACES)) {
    if (seen.has(written)) continue;
    seen.add(written);
    const name = inside!.trim();
    if (!PATH.test(inside!))
      problems.push({
        text: written,
        message: `"${written}" is not a placeholder: use {{ path }} with letters, digits, dots and _`,
      });
    else if (!isKnownPlaceholder(name))
      problems.push({ text: written, message: `"${name}" is not a placeholder Casebook can fill` });
  }
  return problems;
}
