import { describe, expect, it } from 'vitest';
import { businessDaysBetween, DEFAULT_CALENDAR, durationHours, formatDate } from './time';

describe('time rules', () => {
  it('counts business days after the start day, skipping weekends and holidays', () => {
    const friday = new Date('2026-03-06T15:00:00Z');
    expect(businessDaysBetween(friday, new Date('2026-03-09T10:00:00Z'), DEFAULT_CALENDAR)).toBe(1);
    expect(businessDaysBetween(friday, new Date('2026-03-13T10:00:00Z'), DEFAULT_CALENDAR)).toBe(5);
    expect(
      businessDaysBetween(friday, new Date('2026-03-13T10:00:00Z'), {
        ...DEFAULT_CALENDAR,
        holidays: ['2026-03-10'],
      }),
    ).toBe(4);
    expect(businessDaysBetween(friday, new Date('2026-03-07T10:00:00Z'), DEFAULT_CALENDAR)).toBe(0);
  });

  it('agrees with counting day by day over many spans, zones, weekends and holidays', () => {
    const dayByDay = (from: Date, to: Date, cal: typeof DEFAULT_CALENDAR) => {
      if (to <= from) return 0;
      const fmt = new Intl.DateTimeFormat('en-CA', {
        timeZone: cal.timezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      const cursor = new Date(`${fmt.format(from)}T12:00:00Z`);
      const last = new Date(`${fmt.format(to)}T12:00:00Z`);
      let count = 0;
      for (
        cursor.setUTCDate(cursor.getUTCDate() + 1);
        cursor <= last;
        cursor.setUTCDate(cursor.getUTCDate() + 1)
      ) {
        const weekday = cursor.getUTCDay() === 0 ? 7 : cursor.getUTCDay();
        if (cal.businessDays.includes(weekday) && !cal.holidays.includes(cursor.toISOString().slice(0, 10)))
          count++;
      }
      return count;
    };
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      const from = new Date(Date.UTC(2026, 0, 1) + random() * 3e10);
      const to = new Date(from.getTime() + random() * 9e9 - 1e9);
      const cal = {
        timezone: ['UTC', 'America/New_York', 'Asia/Manila', 'Australia/Adelaide'][i % 4]!,
        businessDays: i % 3 ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6],
        holidays: ['2026-03-10', '2026-07-04', '2026-12-25'],
      };
      expect(businessDaysBetween(from, to, cal)).toBe(dayByDay(from, to, cal));
    }
  });

  it('uses the brand’s time zone for the day boundary', () => {
    // 02:00 UTC on Tuesday is still Monday evening in New York.
    const from = new Date('2026-03-09T14:00:00Z');
    const to = new Date('2026-03-10T02:00:00Z');
    expect(businessDaysBetween(from, to, DEFAULT_CALENDAR)).toBe(1);
    expect(businessDaysBetween(from, to, { ...DEFAULT_CALENDAR, timezone: 'America/New_York' })).toBe(0);
  });

  it('reads ISO 8601 durations and formats dates', () => {
    expect(durationHours('PT24H')).toBe(24);
    expect(durationHours('P7D')).toBe(168);
    expect(durationHours('P1DT12H')).toBe(36);
    expect(durationHours('P')).toBeNull();
    expect(durationHours('24h')).toBeNull();
    expect(formatDate(new Date('2026-03-10T23:30:00Z'), 'DD-MM-YYYY', 'UTC')).toBe('10-03-2026');
    expect(formatDate(new Date('2026-03-10T23:30:00Z'), 'DD-MM-YYYY', 'Asia/Manila')).toBe('11-03-2026');
  });
});
