import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  type BusinessHours,
  businessMinutesBetween,
  calendarToBusinessHours,
  computeSlaDue,
  type SlaPolicyTargets,
  type SlaTicket,
  slaState,
} from './sla';

const utc: BusinessHours = {
  timezone: 'UTC',
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  holidays: [],
};
const newYork: BusinessHours = { ...utc, timezone: 'America/New_York' };
const at = (iso: string) => new Date(iso);
const add = (start: string, minutes: number, hours: BusinessHours | null) =>
  addBusinessMinutes(at(start), minutes, hours).toISOString();

describe('addBusinessMinutes', () => {
  it('adds clock minutes around the clock when there are no business hours', () => {
    expect(add('2026-03-07T22:00:00Z', 90, null)).toBe('2026-03-07T23:30:00.000Z');
  });

  it('counts only business hours, carrying over nights and weekends', () => {
    expect(add('2026-03-09T10:00:00Z', 60, utc)).toBe('2026-03-09T11:00:00.000Z');
    expect(add('2026-03-09T16:00:00Z', 60, utc)).toBe('2026-03-09T17:00:00.000Z');
    expect(add('2026-03-09T16:00:00Z', 61, utc)).toBe('2026-03-10T09:01:00.000Z');
    // Friday 16:00 + 2 hours: one hour on Friday, one on Monday.
    expect(add('2026-03-06T16:00:00Z', 120, utc)).toBe('2026-03-09T10:00:00.000Z');
    // Three business days.
    expect(add('2026-03-04T12:00:00Z', 3 * 480, utc)).toBe('2026-03-09T12:00:00.000Z');
  });

  it('starts the clock at the next opening when it starts outside business hours', () => {
    expect(add('2026-03-09T07:00:00Z', 30, utc)).toBe('2026-03-09T09:30:00.000Z');
    expect(add('2026-03-09T18:00:00Z', 30, utc)).toBe('2026-03-10T09:30:00.000Z');
    // Saturday and Sunday wait for Monday.
    expect(add('2026-03-07T10:00:00Z', 60, utc)).toBe('2026-03-09T10:00:00.000Z');
    expect(add('2026-03-08T23:59:00Z', 1, utc)).toBe('2026-03-09T09:01:00.000Z');
    expect(add('2026-03-07T10:00:00Z', 0, utc)).toBe('2026-03-07T10:00:00.000Z');
  });

  it('skips holidays', () => {
    const holidays = { ...utc, holidays: ['2026-03-09', '2026-03-10'] };
    expect(add('2026-03-06T16:00:00Z', 120, holidays)).toBe('2026-03-11T10:00:00.000Z');
  });

  it('follows the zone across the March 2026 change to daylight saving time', () => {
    // Friday 16:00 EST (UTC-5) + 2 business hours = Monday 10:00 EDT (UTC-4), after the 8 March change.
    expect(add('2026-03-06T21:00:00Z', 120, newYork)).toBe('2026-03-09T14:00:00.000Z');
    // Opening on the Monday after the change is 09:00 EDT = 13:00 UTC.
    expect(add('2026-03-09T05:00:00Z', 1, newYork)).toBe('2026-03-09T13:01:00.000Z');
    // And back in November: Monday 2 November opens at 09:00 EST = 14:00 UTC.
    expect(add('2026-10-30T20:00:00Z', 120, newYork)).toBe('2026-11-02T15:00:00.000Z');
  });

  it('uses the local day and weekday, not the UTC one', () => {
    // Monday 23:00 UTC is Tuesday 08:00 in Tokyo, an hour before opening.
    const tokyo = { ...utc, timezone: 'Asia/Tokyo' };
    expect(add('2026-03-09T23:00:00Z', 60, tokyo)).toBe('2026-03-10T01:00:00.000Z');
  });

  it('supports hours until midnight and every day of the week', () => {
    const allDay = { ...newYork, days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
    // Saturday 23:00 EST + 3 hours of wall time, the clocks skipping 02:00–03:00: 03:00 EDT.
    expect(add('2026-03-08T04:00:00Z', 180, allDay)).toBe('2026-03-08T07:00:00.000Z');
    const evening = { ...utc, start: '18:00', end: '24:00' };
    expect(add('2026-03-09T23:00:00Z', 90, evening)).toBe('2026-03-10T18:30:00.000Z');
  });

  it('refuses negative targets and hours that never open', () => {
    expect(() => addBusinessMinutes(at('2026-03-09T10:00:00Z'), -1, utc)).toThrow(RangeError);
    expect(() => addBusinessMinutes(at('2026-03-09T10:00:00Z'), 1, { ...utc, end: '09:00' })).toThrow(
      'start before the end',
    );
    expect(() => addBusinessMinutes(at('2026-03-09T10:00:00Z'), 1, { ...utc, days: [] })).toThrow(
      'at least one day',
    );
    expect(() =>
      addBusinessMinutes(at('2026-03-09T10:00:00Z'), 1, { ...utc, timezone: 'Mars/Base' }),
    ).toThrow();
  });
});

describe('businessMinutesBetween', () => {
  it('counts the business minutes in a span', () => {
    expect(businessMinutesBetween(at('2026-03-06T16:00:00Z'), at('2026-03-09T10:00:00Z'), utc)).toBe(120);
    expect(businessMinutesBetween(at('2026-03-07T00:00:00Z'), at('2026-03-08T23:00:00Z'), utc)).toBe(0);
    expect(businessMinutesBetween(at('2026-03-09T10:00:00Z'), at('2026-03-09T09:00:00Z'), utc)).toBe(0);
    expect(businessMinutesBetween(at('2026-03-09T10:00:00Z'), at('2026-03-09T10:00:30Z'), null)).toBe(0.5);
    expect(
      businessMinutesBetween(at('2026-03-06T16:00:00Z'), at('2026-03-10T10:00:00Z'), {
        ...utc,
        holidays: ['2026-03-09'],
      }),
    ).toBe(120);
  });

  it('counts the 23- and 25-hour days of the DST changes', () => {
    const allDay = { ...newYork, days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
    // Sunday 8 March 2026: midnight EST (05:00 UTC) to midnight EDT (04:00 UTC the next day).
    expect(businessMinutesBetween(at('2026-03-08T05:00:00Z'), at('2026-03-09T04:00:00Z'), allDay)).toBe(
      23 * 60,
    );
    expect(businessMinutesBetween(at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'), allDay)).toBe(
      25 * 60,
    );
    // 01:00–04:00 local on the spring day holds only two hours.
    const night = { ...allDay, start: '01:00', end: '04:00' };
    expect(businessMinutesBetween(at('2026-03-08T00:00:00Z'), at('2026-03-08T12:00:00Z'), night)).toBe(120);
  });

  it('is the inverse of addBusinessMinutes over many starts, zones and targets', () => {
    const random = seeded(7);
    const zones = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Adelaide', 'Asia/Kolkata'];
    for (let i = 0; i < 500; i++) {
      const hours: BusinessHours = {
        timezone: zones[i % zones.length]!,
        days: i % 3 ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6],
        start: i % 2 ? '08:30' : '00:00',
        end: i % 4 ? '17:15' : '24:00',
        holidays: ['2026-03-09', '2026-04-03', '2026-10-05', '2026-12-25'],
      };
      const start = new Date(Date.UTC(2026, 0, 1) + random() * 3.3e10);
      const minutes = Math.round(random() * 6000);
      const due = addBusinessMinutes(start, minutes, hours);
      expect(businessMinutesBetween(start, due, hours)).toBeCloseTo(minutes, 6);
    }
  });

  it('agrees with counting five minutes at a time in the zone', () => {
    const random = seeded(11);
    for (let i = 0; i < 40; i++) {
      const hours: BusinessHours = {
        timezone: i % 2 ? 'America/New_York' : 'Europe/Berlin',
        days: [1, 2, 3, 4, 5, 7],
        start: '00:30',
        end: i % 3 ? '17:05' : '24:00',
        holidays: ['2026-03-09', '2026-03-30', '2026-10-26', '2026-11-03'],
      };
      // Starts on 5-minute marks in the days before the spring and autumn changes of each zone.
      const base = [
        Date.UTC(2026, 2, 26),
        Date.UTC(2026, 2, 5),
        Date.UTC(2026, 9, 21),
        Date.UTC(2026, 9, 28),
      ][i % 4]!;
      const start = new Date(base + Math.floor(random() * 3000) * 300_000);
      const minutes = 5 * Math.ceil(random() * 400);
      expect(addBusinessMinutes(start, minutes, hours).toISOString(), `${i}`).toBe(
        slowAdd(start, minutes, hours).toISOString(),
      );
    }
  });
});

it('handles 10,000 targets of a few days quickly', () => {
  const random = seeded(3);
  const starts = Array.from({ length: 10_000 }, () => new Date(Date.UTC(2026, 0, 1) + random() * 3.1e10));
  const begin = Date.now();
  for (const [i, start] of starts.entries()) addBusinessMinutes(start, 480 + (i % 5) * 480, newYork);
  expect(Date.now() - begin).toBeLessThan(1000);
});

describe('computeSlaDue', () => {
  const policy: SlaPolicyTargets = {
    firstResponseMinutes: 60,
    nextResponseMinutes: 120,
    resolutionMinutes: 3 * 480,
    warnMinutes: 30,
    businessHours: utc,
  };
  const created = at('2026-03-09T10:00:00Z'); // Monday
  const ticket: SlaTicket = {
    createdAt: created,
    firstRespondedAt: null,
    lastCustomerMessageAt: created,
    lastAgentReplyAt: null,
    statusCategory: 'open',
  };
  const iso = (due: ReturnType<typeof computeSlaDue>) =>
    Object.fromEntries(Object.entries(due).map(([k, v]) => [k, v?.toISOString() ?? null]));

  it('is due for a first response and a resolution on a new ticket', () => {
    expect(iso(computeSlaDue(policy, ticket))).toEqual({
      firstResponseDueAt: '2026-03-09T11:00:00.000Z',
      nextResponseDueAt: null,
      resolutionDueAt: '2026-03-12T10:00:00.000Z',
      dueAt: '2026-03-09T11:00:00.000Z',
    });
  });

  it('is due for a next response when the customer wrote after the last agent reply', () => {
    const replied = { ...ticket, firstRespondedAt: at('2026-03-09T10:30:00Z') };
    const wrote = { ...replied, lastAgentReplyAt: at('2026-03-09T10:30:00Z') };
    expect(computeSlaDue(policy, wrote)).toMatchObject({
      firstResponseDueAt: null,
      nextResponseDueAt: null,
      dueAt: at('2026-03-12T10:00:00Z'),
    });
    const again = { ...wrote, lastCustomerMessageAt: at('2026-03-09T16:00:00Z') };
    expect(computeSlaDue(policy, again)).toMatchObject({
      nextResponseDueAt: at('2026-03-10T10:00:00Z'),
      dueAt: at('2026-03-10T10:00:00Z'),
    });
    // Without a recorded last reply, the first response counts as one.
    expect(
      computeSlaDue(policy, { ...replied, lastCustomerMessageAt: at('2026-03-09T16:00:00Z') }),
    ).toMatchObject({
      nextResponseDueAt: at('2026-03-10T10:00:00Z'),
    });
  });

  it('keeps only resolution due while the ticket waits on someone else', () => {
    for (const statusCategory of ['pending', 'on_hold'] as const)
      expect(iso(computeSlaDue(policy, { ...ticket, statusCategory }))).toEqual({
        firstResponseDueAt: null,
        nextResponseDueAt: null,
        resolutionDueAt: '2026-03-12T10:00:00.000Z',
        dueAt: '2026-03-12T10:00:00.000Z',
      });
  });

  it('has nothing due once solved or closed, or without targets', () => {
    const nothing = { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null, dueAt: null };
    expect(computeSlaDue(policy, { ...ticket, statusCategory: 'solved' })).toEqual(nothing);
    expect(computeSlaDue(policy, { ...ticket, statusCategory: 'closed' })).toEqual(nothing);
    expect(
      computeSlaDue(
        { ...policy, firstResponseMinutes: null, nextResponseMinutes: null, resolutionMinutes: null },
        ticket,
      ),
    ).toEqual(nothing);
  });

  it('counts around the clock without business hours', () => {
    expect(
      computeSlaDue({ ...policy, businessHours: null }, { ...ticket, createdAt: at('2026-03-07T10:00:00Z') })
        .dueAt,
    ).toEqual(at('2026-03-07T11:00:00Z'));
  });
});

describe('slaState', () => {
  const due = at('2026-03-09T11:00:00Z');
  it('is ok, then warning within warnMinutes of the due time, then breached from it', () => {
    expect(slaState(null, 30, due)).toBe('ok');
    expect(slaState(due, 30, at('2026-03-09T10:29:59Z'))).toBe('ok');
    expect(slaState(due, 30, at('2026-03-09T10:30:00Z'))).toBe('warning');
    expect(slaState(due, 30, at('2026-03-09T10:59:59Z'))).toBe('warning');
    expect(slaState(due, 30, due)).toBe('breached');
    expect(slaState(due, 30, at('2026-03-10T00:00:00Z'))).toBe('breached');
    expect(slaState(due, 0, at('2026-03-09T10:59:00Z'))).toBe('ok');
  });
});

describe('calendarToBusinessHours', () => {
  it('turns a pack calendar into business hours', () => {
    expect(
      calendarToBusinessHours({
        timezone: 'Europe/Berlin',
        businessDays: ['sat', 'mon', 'tue'],
        holidays: ['2026-12-25'],
      }),
    ).toEqual({
      timezone: 'Europe/Berlin',
      days: [1, 2, 6],
      start: '09:00',
      end: '17:00',
      holidays: ['2026-12-25'],
    });
    expect(
      calendarToBusinessHours({ timezone: 'UTC', businessDays: ['sun'], holidays: [] }, '08:00', '24:00'),
    ).toMatchObject({ days: [7], start: '08:00', end: '24:00' });
  });
});

/** A deterministic pseudo-random sequence in [0, 1). */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** addBusinessMinutes the slow way: five minutes at a time, reading each mark's local time. */
function slowAdd(start: Date, minutes: number, hours: BusinessHours): Date {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: hours.timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  });
  const open = (t: number) => {
    const p = Object.fromEntries(fmt.formatToParts(t).map((x) => [x.type, x.value]));
    const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!) + 1;
    const clock = `${p.hour}:${p.minute}`;
    return (
      hours.days.includes(weekday) &&
      !hours.holidays.includes(`${p.year}-${p.month}-${p.day}`) &&
      clock >= hours.start &&
      clock < hours.end
    );
  };
  let t = start.getTime();
  for (let left = minutes; left > 0; t += 300_000) if (open(t)) left -= 5;
  return new Date(t);
}
