/** Date and money formatting in the reader's locale, compact enough for dense tables. */

const day = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const moment = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A calendar day, e.g. "25 Nov 2026". */
export function formatDay(iso: string | null): string {
  return iso ? day.format(new Date(iso)) : '—';
}

const minute = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A point in time to the minute, e.g. when an order was placed. */
export function formatTime(iso: string): string {
  return minute.format(new Date(iso));
}

/** A point in time to the second, for the audit log. */
export function formatMoment(iso: string): string {
  return moment.format(new Date(iso));
}

/** The start of an id, enough to tell rows apart; the full id is in the title attribute. */
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** An amount in its currency, e.g. "$499.99"; an unknown currency code is shown beside the number. */
export function formatMoney(amount: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      return `${amount.toFixed(2)} ${currency}`;
    }
    moneyFormats.set(currency, format);
  }
  return format.format(amount);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/**
 * A point in time relative to `now`, e.g. "in 2 hr." or "3 days ago", in the largest unit that
 * fits; under a minute is "now".
 */
export function formatRelative(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.trunc(diff / ms), unit);
  }
  return relative.format(0, 'minute');
}

/** A file size, e.g. "12 KB". */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
