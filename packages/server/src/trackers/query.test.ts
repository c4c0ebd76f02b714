import type { TrackerType } from '@casebook/core';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { RecordRow } from './commands';
import { recordsCsv } from './query';

const def: TrackerType = {
  title: 'Notes',
  fields: { note: { type: 'text', required: true }, amount: { type: 'money', required: false } },
  states: ['Open', 'Closed'],
  log: ['agent'],
  read: ['agent'],
  resolve: ['agent'],
  source: 'test',
};

const row = (n: number, note: string, amount?: number): RecordRow =>
  ({
    id: `id-${n}`,
    brandId: 'b',
    type: 'notes',
    number: n,
    state: 'Open',
    fields: amount === undefined ? { note } : { note, amount },
    vendorId: null,
    trendKey: null,
    createdBy: null,
    createdByLabel: n === 1 ? '=cmd|calc' : 'agent@example.com',
    version: 1,
    createdAt: new Date('2026-03-01T10:00:00Z'),
    updatedAt: new Date('2026-03-01T10:00:00Z'),
  }) as RecordRow;

describe('tracker CSV export', () => {
  it('neutralises every cell a spreadsheet would read as a formula, and keeps the rest as written', () => {
    const values = ['=1+1', '+1', '-1+1', '@SUM(A1)', '\tTAB', '\rCR', 'ok, "quoted"\nline', '＝1'];
    const csv = recordsCsv(def, [...values.map((v, i) => row(i + 1, v)), row(99, 'refund', 12.5)]);
    const rows: string[][] = parse(csv);
    expect(rows[0]).toEqual(['Number', 'State', 'Logged at', 'Logged by', 'note', 'amount']);
    expect(rows.slice(1, -1).map((r) => r[4])).toEqual([
      "'=1+1",
      "'+1",
      "'-1+1",
      "'@SUM(A1)",
      "'\tTAB",
      "'\rCR",
      'ok, "quoted"\nline',
      "'＝1",
    ]);
    // Who logged a record is text from outside too.
    expect(rows[1]![3]).toBe("'=cmd|calc");
    expect(rows.at(-1)!.slice(4)).toEqual(['refund', '12.5']);
  });
});
