import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { assertNoUnfilledPlaceholders, unresolvedPlaceholders } from './macros';

describe('unfilled placeholders', () => {
  it('lists each placeholder left in a text once, however it is spaced', () => {
    expect(unresolvedPlaceholders('Hi {{ customer.firstName }}, {{order.id}} / {{order.id}}')).toEqual([
      'customer.firstName',
      'order.id',
    ]);
    expect(unresolvedPlaceholders('Hi Dana, all filled in.')).toEqual([]);
  });

  it('refuses a reply that still holds one, naming each', () => {
    expect(() => assertNoUnfilledPlaceholders('Tracking: {{tracking.number}}')).toThrow(
      'body: the placeholder {{tracking.number}} has no value on this ticket; fill it in before sending',
    );
    try {
      assertNoUnfilledPlaceholders('{{a.b}} and {{ c }}', 'text');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
      expect((error as AppError).details?.problems).toHaveLength(2);
      expect((error as AppError).message).toMatch(
        /^text: the placeholder \{\{a\.b\}\}.*; text: the placeholder \{\{c\}\}/,
      );
    }
    expect(() => assertNoUnfilledPlaceholders('Nothing left to fill.')).not.toThrow();
  });
});
