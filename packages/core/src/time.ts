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
const dayCache = new Map<string, { date: string; weekday: number }>();
const QUARTER_HOUR = 900_000;

/**
 * The calendar date (YYYY-MM-DD) and ISO weekday of an instant in a time zone. Every zone's offset
 * is a whole number of quarter hours, so the answer is cached per zone and quarter hour.
 */
function localDay(instant: Date, timezone: string): { date: string; weekday: number } {
  const key = `${timezone}|${Math.floor(instant.getTime() / QUARTER_HOUR)}`;
  const cached = dayCache.get(key);
  if (cached) return cached;
  if (dayCache.size > 50_000) dayCache.clear();
  const day = computeLocalDay(instant, timezone);
  dayCache.set(key, day);
  return day;
}

function computeLocalDay(instant: Date, timezone: string): { date: string; weekday: number } {
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
  const first = epochDay(localDay(from, calendar.timezone).date) + 1;
  const last = epochDay(localDay(to, calendar.timezone).date);
  if (last < first) return 0;
  const days = last - first + 1;
  const business = new Set(calendar.businessDays);
  // Whole weeks hold each business day once; the remaining days are counted one by one.
  let count = Math.floor(days / 7) * business.size;
  for (let d = first + days - (days % 7); d <= last; d++) if (business.has(isoWeekday(d))) count++;
  for (const holiday of calendar.holidays) {
    const d = epochDay(holiday);
    if (d >= first && d <= last && business.has(isoWeekday(d))) count--;
  }
  return count;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function epochDay(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number; day 0 was a Thursday. */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
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
