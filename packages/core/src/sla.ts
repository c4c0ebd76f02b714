import type { PackCalendar } from './packs/schema';
import type { StatusCategory } from './tickets';

/**
 * SLA targets counted in business time. Pure: every function takes the instants it works on. Local
 * wall times become instants through Intl (the zone's rules, DST included), never a fixed offset.
 */

/** When a brand's support works; `null` in its place means around the clock. */
export type BusinessHours = {
  /** IANA time zone the hours are in. */
  timezone: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday) with business hours. */
  days: number[];
  /** Opening time, `HH:MM` local. */
  start: string;
  /** Closing time, `HH:MM` local, after `start`; `24:00` for midnight. */
  end: string;
  /** Dates (YYYY-MM-DD, local) without business hours. */
  holidays: string[];
};

const MINUTE = 60_000;
const DAY = 86_400_000;
const QUARTER_HOUR = 900_000;
/** How far the day walk looks for business time before it gives up on a calendar. */
const MAX_DAYS = 366 * 20;

/**
 * The instant `minutes` business minutes after `start`: the clock runs only inside business
 * hours, and a start outside them waits for the next opening. Fractions of a minute are kept.
 *
 * @example addBusinessMinutes(fridayAt16, 120, nineToFive) // Monday 10:00
 */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours | null): Date {
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new RangeError(`cannot add ${minutes} business minutes: must be a number ≥ 0`);
  const from = start.getTime();
  let remaining = minutes * MINUTE;
  if (hours === null || remaining === 0) return new Date(from + remaining);
  const h = compile(hours);
  const first = localDay(h.timezone, from);
  for (let day = first; day < first + MAX_DAYS; day++) {
    const window = windowOf(h, day);
    if (!window) continue;
    const open = Math.max(window[0], from);
    if (open >= window[1]) continue;
    if (remaining <= window[1] - open) return new Date(open + remaining);
    remaining -= window[1] - open;
  }
  throw new RangeError(`no business hours within ${MAX_DAYS} days of ${start.toISOString()}`);
}

/**
 * Business minutes from `from` to `to` (fractions kept); 0 when `to` is not after `from`. The
 * inverse of `addBusinessMinutes`: `businessMinutesBetween(s, addBusinessMinutes(s, m, h), h) === m`.
 */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHours | null): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (hours === null) return (b - a) / MINUTE;
  const h = compile(hours);
  let total = 0;
  for (let day = localDay(h.timezone, a), last = localDay(h.timezone, b); day <= last; day++) {
    const window = windowOf(h, day);
    if (!window) continue;
    const overlap = Math.min(window[1], b) - Math.max(window[0], a);
    if (overlap > 0) total += overlap;
  }
  return total / MINUTE;
}

/** An SLA policy's targets in business minutes (`null`: no such target). */
export type SlaPolicyTargets = {
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  /** A target turns to `warning` this many (clock) minutes before it is due. */
  warnMinutes: number;
  businessHours: BusinessHours | null;
};

/** What the SLA clock reads from a ticket. */
export type SlaTicket = {
  createdAt: Date;
  firstRespondedAt: Date | null;
  lastCustomerMessageAt: Date | null;
  lastAgentReplyAt: Date | null;
  statusCategory: StatusCategory;
};

/** Each target's due time while it is due, else null; `dueAt` is the earliest of them. */
export type SlaDue = {
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  dueAt: Date | null;
};

/**
 * The ticket's SLA targets that are due now. First response: from creation, until an agent first
 * replies. Next response: from the customer's latest message when it came after the last agent
 * reply (once there has been a first response). Resolution: from creation. While the ticket is
 * pending or on hold it waits for someone else, so only resolution is due; solved or closed,
 * nothing is.
 */
export function computeSlaDue(policy: SlaPolicyTargets, t: SlaTicket): SlaDue {
  const none: SlaDue = {
    firstResponseDueAt: null,
    nextResponseDueAt: null,
    resolutionDueAt: null,
    dueAt: null,
  };
  if (t.statusCategory === 'solved' || t.statusCategory === 'closed') return none;
  const hours = policy.businessHours;
  const awaitingUs = t.statusCategory === 'open';

  const firstResponseDueAt =
    awaitingUs && policy.firstResponseMinutes !== null && t.firstRespondedAt === null
      ? addBusinessMinutes(t.createdAt, policy.firstResponseMinutes, hours)
      : null;
  const nextResponseDueAt =
    awaitingUs &&
    policy.nextResponseMinutes !== null &&
    t.firstRespondedAt !== null &&
    t.lastCustomerMessageAt !== null &&
    t.lastCustomerMessageAt.getTime() > (t.lastAgentReplyAt ?? t.firstRespondedAt).getTime()
      ? addBusinessMinutes(t.lastCustomerMessageAt, policy.nextResponseMinutes, hours)
      : null;
  const resolutionDueAt =
    policy.resolutionMinutes !== null
      ? addBusinessMinutes(t.createdAt, policy.resolutionMinutes, hours)
      : null;

  const due = [firstResponseDueAt, nextResponseDueAt, resolutionDueAt].filter((d) => d !== null);
  const dueAt = due.length === 0 ? null : new Date(Math.min(...due.map((d) => d.getTime())));
  return { firstResponseDueAt, nextResponseDueAt, resolutionDueAt, dueAt };
}

export type SlaState = 'ok' | 'warning' | 'breached';

/**
 * `breached` from the due time on, `warning` in the `warnMinutes` (clock minutes) before it, else
 * `ok`; nothing due is `ok`.
 */
export function slaState(dueAt: Date | null, warnMinutes: number, now: Date): SlaState {
  if (dueAt === null) return 'ok';
  const left = dueAt.getTime() - now.getTime();
  if (left <= 0) return 'breached';
  return left <= warnMinutes * MINUTE ? 'warning' : 'ok';
}

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Business hours from a pack's `calendar` (its time zone, business days and holidays) and the
 * opening and closing times, which the calendar does not hold.
 */
export function calendarToBusinessHours(
  calendar: PackCalendar,
  start = '09:00',
  end = '17:00',
): BusinessHours {
  const days = [...new Set(calendar.businessDays.map((d) => WEEKDAY_NAMES.indexOf(d) + 1))].sort(
    (a, b) => a - b,
  );
  return { timezone: calendar.timezone, days, start, end, holidays: [...calendar.holidays] };
}

// --- business days and their windows -------------------------------------------------------

type CompiledHours = {
  timezone: string;
  days: Set<number>;
  /** Minutes after local midnight. */
  start: number;
  end: number;
  /** Epoch days. */
  holidays: Set<number>;
};

function compile(hours: BusinessHours): CompiledHours {
  const start = clockMinutes(hours.start);
  const end = clockMinutes(hours.end);
  if (start === null || end === null || start >= end)
    throw new RangeError(
      `business hours "${hours.start}"–"${hours.end}" must be HH:MM times with the start before the end`,
    );
  const days = new Set(hours.days.filter((d) => Number.isInteger(d) && d >= 1 && d <= 7));
  if (days.size === 0) throw new RangeError('business hours need at least one day (1 = Monday … 7 = Sunday)');
  offsetAt(hours.timezone, 0); // an unknown time zone throws here, not deep in a walk
  return { timezone: hours.timezone, days, start, end, holidays: new Set(hours.holidays.map(epochDay)) };
}

/** `HH:MM` → minutes after midnight, `24:00` included; null when it is not a time. */
function clockMinutes(time: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 1440 ? minutes : null;
}

const windows = new Map<string, readonly [number, number] | null>();

/** The instants a business day opens and closes, or null for a day without business hours. */
function windowOf(h: CompiledHours, day: number): readonly [number, number] | null {
  if (!h.days.has(isoWeekday(day)) || h.holidays.has(day)) return null;
  const key = `${h.timezone}|${day}|${h.start}|${h.end}`;
  let window = windows.get(key);
  if (window === undefined) {
    if (windows.size > 50_000) windows.clear();
    const open = wallToInstant(h.timezone, day, h.start);
    const close = wallToInstant(h.timezone, day, h.end);
    window = close > open ? [open, close] : null;
    windows.set(key, window);
  }
  return window;
}

/**
 * The instant of a local wall time. A time the clocks skip (spring forward) moves forward by the
 * gap; a time that happens twice (fall back) is its first occurrence.
 */
function wallToInstant(timezone: string, day: number, minute: number): number {
  const wall = day * DAY + minute * MINUTE;
  const before = offsetAt(timezone, wall - DAY);
  const after = offsetAt(timezone, wall + DAY);
  const earlier = wall - before;
  if (offsetAt(timezone, earlier) === before) return earlier;
  const later = wall - after;
  if (offsetAt(timezone, later) === after) return later;
  return earlier;
}

/** The local calendar day (days since 1970-01-01) of an instant in a zone. */
function localDay(timezone: string, instant: number): number {
  return Math.floor((instant + offsetAt(timezone, instant)) / DAY);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/**
 * The zone's offset from UTC (ms, local minus UTC) at an instant. Zones change offset only on
 * quarter hours, so the answer is cached per zone and quarter hour.
 */
function offsetAt(timezone: string, instant: number): number {
  const quarter = Math.floor(instant / QUARTER_HOUR);
  const key = `${timezone}|${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size > 100_000) offsets.clear();
    offset = computeOffset(timezone, quarter * QUARTER_HOUR);
    offsets.set(key, offset);
  }
  return offset;
}

function computeOffset(timezone: string, instant: number): number {
  let fmt = formatters.get(timezone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, fmt);
  }
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(instant))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - instant;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function epochDay(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number; day 0 was a Thursday. */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}
