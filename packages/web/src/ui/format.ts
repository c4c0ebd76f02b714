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
