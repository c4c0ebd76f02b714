import { describe, expect, it } from 'vitest';
import { checkFieldValues, isFinalState, nextStates, type TrackerType, trackerPermissions } from './records';
import { trendFields, trendKey, trendRecords } from './trend';

const def: TrackerType = {
  title: 'Item Issue',
  fields: {
    order: { type: 'order', required: true },
    sku: { type: 'sku', required: true },
    issue_type: { type: 'choice', required: true, options: ['broken', 'missing'] },
    amount: { type: 'money', required: false },
    on: { type: 'date', required: false },
    link: { type: 'url', required: false },
    count: { type: 'number', required: false },
    ok: { type: 'boolean', required: false },
  },
  states: ['Logged', 'Posted', 'Done'],
  log: ['agent'],
  read: ['agent', 'supplier', 'ops'],
  resolve: ['supplier'],
  source: 'test',
};

describe('tracker field values', () => {
  it('accepts values that fit and names every field that does not', () => {
    expect(
      checkFieldValues(def, { order: ' A1 ', sku: 'S', issue_type: 'broken', amount: 1.5, ok: 'true' }),
    ).toEqual({
      values: { order: 'A1', sku: 'S', issue_type: 'broken', amount: 1.5, ok: true },
      problems: [],
    });
    const { problems } = checkFieldValues(def, {
      issue_type: 'melted',
      amount: -1,
      on: '2026-02-30',
      link: 'ftp://x',
      count: 'many',
      colour: 'red',
    });
    expect(problems).toEqual([
      { field: 'fields.issue_type', problem: 'must be one of: broken, missing' },
      { field: 'fields.amount', problem: 'must not be negative' },
      { field: 'fields.on', problem: 'must be a date YYYY-MM-DD' },
      { field: 'fields.link', problem: 'must be a link starting with http:// or https://' },
      { field: 'fields.count', problem: 'must be a number' },
      { field: 'fields.colour', problem: 'is not a field of Item Issue' },
      { field: 'fields.order', problem: 'is required' },
      { field: 'fields.sku', problem: 'is required' },
    ]);
  });

  it('checks only the given fields of an update, and refuses clearing a required one', () => {
    expect(checkFieldValues(def, { amount: 2.25 }, { partial: true }).problems).toEqual([]);
    expect(checkFieldValues(def, { sku: '' }, { partial: true }).problems).toEqual([
      { field: 'fields.sku', problem: 'is required' },
    ]);
    expect(checkFieldValues(def, { amount: 1.234 }, { partial: true }).problems).toEqual([
      { field: 'fields.amount', problem: 'must have at most two decimals' },
    ]);
  });
});

describe('tracker permissions and states', () => {
  const role = (name: string, capabilities: string[] = []) => ({ name, capabilities: new Set(capabilities) });
  it('follows the pack’s lists, and the log capability for roles the brand made', () => {
    expect(trackerPermissions('item_issue', def, role('agent'))).toEqual({
      see: true,
      log: true,
      resolve: false,
    });
    expect(trackerPermissions('item_issue', def, role('supplier'))).toEqual({
      see: true,
      log: false,
      resolve: true,
    });
    expect(trackerPermissions('item_issue', def, role('manager'))).toEqual({
      see: false,
      log: false,
      resolve: false,
    });
    expect(trackerPermissions('item_issue', def, role('custom', ['tracker.item_issue.log']))).toEqual({
      see: true,
      log: true,
      resolve: false,
    });
  });
  it('moves anywhere without transitions, along them with, and knows the final state', () => {
    expect(nextStates(def, 'Logged')).toEqual(['Posted', 'Done']);
    expect(nextStates({ ...def, transitions: { Logged: ['Posted'] } }, 'Logged')).toEqual(['Posted']);
    expect(nextStates({ ...def, transitions: { Logged: ['Posted'] } }, 'Done')).toEqual([]);
    expect(isFinalState(def, 'Done')).toBe(true);
    expect(isFinalState({ ...def, final: ['Posted'] }, 'Done')).toBe(false);
  });
});

describe('trend detection', () => {
  const rule = {
    from: 'item_issue',
    match: ['sku', 'issue_type'],
    count: 3,
    within: 'P7D',
    fill: { issue: 'Trend: {summary}', tickets: '{records}', severity: 'recurring' },
    source: 'test',
  };
  const at = (day: number) => new Date(Date.UTC(2026, 2, 1 + day, 12));
  it('keys records by the matched values, case-insensitively, and skips records lacking one', () => {
    expect(trendKey(rule, { sku: 'Ring-1', issue_type: 'broken' })).toBe(
      trendKey(rule, { sku: 'RING-1 ', issue_type: 'broken' }),
    );
    expect(trendKey(rule, { sku: 'RING-1' })).toBeNull();
  });
  it('finds a trend only with enough records inside the window ending now', () => {
    const c = (id: string, day: number) => ({ id, at: at(day) });
    expect(trendRecords(rule, [c('c', 6), c('a', 0), c('b', 1)], at(6))).toEqual([
      c('a', 0),
      c('b', 1),
      c('c', 6),
    ]);
    // Exactly seven days before is inside the window; a moment earlier is not.
    expect(trendRecords(rule, [c('a', 0), c('b', 1), c('c', 7)], at(7))).toHaveLength(3);
    const justBefore = { id: 'a', at: new Date(at(0).getTime() - 1) };
    expect(trendRecords(rule, [justBefore, c('b', 1), c('c', 7)], at(7))).toBeNull();
    // Records after `now` do not count.
    expect(trendRecords(rule, [c('a', 0), c('b', 1), c('c', 9)], at(1))).toBeNull();
  });
  it('fills the raised record from the rule', () => {
    const raised: TrackerType = {
      ...def,
      fields: {
        sku: { type: 'sku', required: false },
        issue: { type: 'text', required: true },
        tickets: { type: 'long_text', required: true },
        severity: { type: 'choice', required: true, options: ['recurring'] },
      },
    };
    expect(
      trendFields(
        rule,
        raised,
        { sku: 'R1', issue_type: 'broken' },
        [{ label: '#1' }, { label: '#2' }, { label: '#3' }],
        '7 days',
      ),
    ).toEqual({
      sku: 'R1',
      issue: 'Trend: sku R1, issue_type broken: 3 records within 7 days',
      tickets: '#1, #2, #3',
      severity: 'recurring',
    });
  });
});
