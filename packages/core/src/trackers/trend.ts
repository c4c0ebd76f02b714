import { durationHours } from '../time';
import type { FieldValue, FieldValues, TrackerType } from './records';

/**
 * Trend detection: the same issue logged again and again (e.g. the same issue type on the same SKU
 * three times within seven days) raises a record of another type by itself, once per trend.
 */

export type TrendRule = NonNullable<TrackerType['trend']>;

/**
 * The key that records of one trend share: the values of the `match` fields, or null when the
 * record lacks one of them (it then belongs to no trend).
 */
export function trendKey(rule: TrendRule, fields: FieldValues): string | null {
  const parts: FieldValue[] = [];
  for (const name of rule.match) {
    const value = fields[name];
    if (value === undefined || value === '') return null;
    parts.push(typeof value === 'string' ? value.trim().toLowerCase() : value);
  }
  return JSON.stringify(parts);
}

export type TrendCandidate = { id: string; at: Date };

/**
 * The records that make a trend at `now`: those of `candidates` (records with the same key) inside
 * the rule's window ending at `now` (both ends included: "within seven days" counts a record made
 * exactly seven days earlier), when there are at least `count` of them; oldest first. Null
 * when there is no trend yet.
 */
export function trendRecords(
  rule: TrendRule,
  candidates: TrendCandidate[],
  now: Date,
): TrendCandidate[] | null {
  const hours = durationHours(rule.within);
  if (hours === null) return null;
  const from = now.getTime() - hours * 3_600_000;
  const inWindow = candidates
    .filter((c) => c.at.getTime() >= from && c.at.getTime() <= now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return inWindow.length >= rule.count ? inWindow : null;
}

/**
 * The field values of the raised record: the rule's `fill`, with `{summary}` (what matched) and
 * `{records}` (the records' labels) replaced in text, plus the matched fields the type also has.
 */
export function trendFields(
  rule: TrendRule,
  raised: TrackerType,
  matched: FieldValues,
  records: { label: string }[],
  withinText: string,
): FieldValues {
  const summary = `${rule.match.map((m) => `${m} ${matched[m]}`).join(', ')}: ${records.length} records within ${withinText}`;
  const list = records.map((r) => r.label).join(', ');
  const out: FieldValues = {};
  for (const name of rule.match) {
    if (name in raised.fields && matched[name] !== undefined) out[name] = matched[name]!;
  }
  for (const [name, value] of Object.entries(rule.fill)) {
    out[name] =
      typeof value === 'string'
        ? value.replaceAll('{summary}', summary).replaceAll('{records}', list)
        : value;
  }
  return out;
}

/** Checks the references of the pack's trackers: trend types and fields, notify channels. */
export function trackerReferenceProblems(pack: {
  trackers: Record<string, TrackerType>;
  channels: Record<string, { templates?: Record<string, string> }>;
}): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const [id, def] of Object.entries(pack.trackers)) {
    if (def.notify) {
      const channel = pack.channels[def.notify.channel];
      if (!channel)
        problems.push({
          path: ['trackers', id, 'notify', 'channel'],
          message: `"${def.notify.channel}" is not a channel defined in the pack`,
        });
      else if (!(def.notify.template in (channel.templates ?? {})))
        problems.push({
          path: ['trackers', id, 'notify', 'template'],
          message: `"${def.notify.template}" is not a template of the channel "${def.notify.channel}"`,
        });
    }
    const rule = def.trend;
    if (!rule) continue;
    const from = pack.trackers[rule.from];
    if (!from) {
      problems.push({
        path: ['trackers', id, 'trend', 'from'],
        message: `"${rule.from}" is not a tracker type of this pack`,
      });
      continue;
    }
    rule.match.forEach((field, i) => {
      if (!(field in from.fields))
        problems.push({
          path: ['trackers', id, 'trend', 'match', i],
          message: `"${field}" is not a field of ${rule.from}`,
        });
    });
    for (const field of Object.keys(rule.fill)) {
      if (!(field in def.fields))
        problems.push({
          path: ['trackers', id, 'trend', 'fill', field],
          message: `"${field}" is not a field of ${id}`,
        });
    }
  }
  return problems;
}
