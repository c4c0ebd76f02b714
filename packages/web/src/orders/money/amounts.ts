import { formatMoney } from '../../ui/format';

/** Minor units (cents) as money in the currency, e.g. 1250 → "$12.50". */
export const money = (cents: number, currency: string) => formatMoney(cents / 100, currency);

/** A typed amount ("12.50") as minor units, or null when it is not an amount. */
export function parseAmount(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  return Math.round(Number(trimmed) * 100);
}

export const REFUND_KIND_LABELS = {
  full: 'Full refund',
  item_cost: 'Item cost only',
  shipping_only: 'Shipping only',
} as const;
