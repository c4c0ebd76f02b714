/** Date formatting in the reader's locale, compact enough for dense tables. */

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

/** A point in time to the second, for the audit log. */
export function formatMoment(iso: string): string {
  return moment.format(new Date(iso));
}

/** The start of an id, enough to tell rows apart; the full id is in the title attribute. */
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}
