/** Time arithmetic for SOP rules. Pure: every function takes the instants it compares. */

const HOUR = 3_600_000;

export function hoursBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / HOUR;
}

export type BusinessCalendar = {
  /** IANA time zone the brand works in. */
  timezone: string;
  /** ISO weekday numbers (1 = Monday … 7 = Sunday) that are business days. */
  businessDays: number[];
  /** Dates (YYYY-MM-DD, in the brand's time zone) that are not business days. */
  holidays: string[];
};

export const DEFAULT_CALENDAR: BusinessCalendar = {
  timezone: 'UTC',
  businessDays: [1, 2, 3, 4, 5],
  holidays: [],
};

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) and ISO weekday of an instant in a time zone. */
function localDay(instant: Date, timezone: string): { date: string; weekday: number } {
  let fmt = dayFormatters.get(timezone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
    });
    dayFormatters.set(timezone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(instant).map((p) => [p.type, p.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday };
}

/**
 * Whole business days from `from` to `to`: the business days after the day of `from`, up to and
 * including the day of `to`, in the brand's time zone. An order placed Friday and looked at on
 * Tuesday is two business days old.
 */
export function businessDaysBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  if (to <= from) return 0;
  const holidays = new Set(calendar.holidays);
  const start = localDay(from, calendar.timezone).date;
  const end = localDay(to, calendar.timezone).date;
  let count = 0;
  // Step through calendar days at noon UTC, which never crosses a date line twice.
  const cursor = new Date(`${start}T12:00:00Z`);
  const last = new Date(`${end}T12:00:00Z`);
  for (
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    cursor <= last;
    cursor.setUTCDate(cursor.getUTCDate() + 1)
  ) {
    const date = cursor.toISOString().slice(0, 10);
    const weekday = cursor.getUTCDay() === 0 ? 7 : cursor.getUTCDay();
    if (calendar.businessDays.includes(weekday) && !holidays.has(date)) count++;
  }
  return count;
}

/** Parses an ISO 8601 duration of days, hours and minutes (`P7D`, `PT24H`, `P1DT12H`) into hours. */
export function durationHours(iso: string): number | null {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return null;
  const [, w, d, h, min] = m;
  return Number(w ?? 0) * 168 + Number(d ?? 0) * 24 + Number(h ?? 0) + Number(min ?? 0) / 60;
}

/** Formats an instant's date in a time zone with a DD/MM/YYYY-style pattern. */
export function formatDate(instant: Date, pattern: string, timezone: string): string {
  const [year, month, day] = localDay(instant, timezone).date.split('-') as [string, string, string];
  return pattern.replace('YYYY', year).replace('MM', month).replace('DD', day);
}
