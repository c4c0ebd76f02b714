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
