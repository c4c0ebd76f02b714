import type { PackDefinition } from '../packs/schema';

/**
 * Tracker records: the pack's record types (trackers.yaml) turned into the rules the API enforces.
 * Pure functions: who may log, see and resolve a type, which state moves a type allows, and whether
 * field values fit the type. The server stores and links; these decide.
 */

export type TrackerType = PackDefinition['trackers'][string];
export type TrackerField = TrackerType['fields'][string];
export type FieldValue = string | number | boolean;
export type FieldValues = Record<string, FieldValue>;

/** A role as tracker rules see it: its name in the pack and the capabilities it holds. */
export type TrackerRole = { name: string; capabilities: ReadonlySet<string> };

/** What a role may do with records of one type. */
export type TrackerPermissions = { see: boolean; log: boolean; resolve: boolean };

/**
 * A pack role may do what the type's `log`, `read` and `resolve` lists name it in. A role the brand
 * made itself is in no list; holding the capability `tracker.<type>.log` lets it log and see the type.
 */
export function trackerPermissions(type: string, def: TrackerType, role: TrackerRole): TrackerPermissions {
  const logCapability = role.capabilities.has(`tracker.${type}.log`);
  const log = def.log.includes(role.name) || logCapability;
  const resolve = def.resolve.includes(role.name);
  return { see: def.read.includes(role.name) || log || resolve, log, resolve };
}

/** The states a record may move to from `from`: the type's transitions, or every other state. */
export function nextStates(def: TrackerType, from: string): string[] {
  if (def.transitions) return [...(def.transitions[from] ?? [])];
  return def.states.filter((s) => s !== from);
}

/** Whether a record in this state needs nothing more: the type's final states, or its last one. */
export function isFinalState(def: TrackerType, state: string): boolean {
  return def.final ? def.final.includes(state) : def.states.at(-1) === state;
}

/** One problem with one field value; `field` is the path the API reports (`fields.sku`). */
export type FieldProblem = { field: string; problem: string };

const MAX_TEXT = 500;
const MAX_LONG_TEXT = 10_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks field values against the type. `partial`: only the given fields are checked (an update),
 * and a required field may not be cleared; otherwise every required field must have a value.
 * Returns the values normalised (text trimmed, empty text dropped) with the problems found.
 */
export function checkFieldValues(
  def: TrackerType,
  values: Record<string, unknown>,
  options: { partial?: boolean } = {},
): { values: FieldValues; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const out: FieldValues = {};
  for (const [name, raw] of Object.entries(values)) {
    const field = def.fields[name];
    const path = `fields.${name}`;
    if (!field) {
      problems.push({ field: path, problem: `is not a field of ${def.title}` });
      continue;
    }
    if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
      if (field.required) problems.push({ field: path, problem: 'is required' });
      continue;
    }
    const checked = checkValue(field, raw);
    if (typeof checked === 'object') problems.push({ field: path, problem: checked.problem });
    else out[name] = checked;
  }
  if (!options.partial) {
    for (const [name, field] of Object.entries(def.fields)) {
      if (field.required && !(name in out) && !problems.some((p) => p.field === `fields.${name}`))
        problems.push({ field: `fields.${name}`, problem: 'is required' });
    }
  }
  return { values: out, problems };
}

function checkValue(field: TrackerField, raw: unknown): FieldValue | { problem: string } {
  switch (field.type) {
    case 'text':
    case 'sku':
    case 'order':
    case 'po': {
      if (typeof raw !== 'string') return { problem: 'must be text' };
      const v = raw.trim();
      if (v.length > MAX_TEXT) return { problem: `must be at most ${MAX_TEXT} characters` };
      return v;
    }
    case 'long_text': {
      if (typeof raw !== 'string') return { problem: 'must be text' };
      const v = raw.trim();
      if (v.length > MAX_LONG_TEXT) return { problem: `must be at most ${MAX_LONG_TEXT} characters` };
      return v;
    }
    case 'number': {
      const n = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { problem: 'must be a number' };
      return n;
    }
    case 'money': {
      const n = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { problem: 'must be an amount' };
      if (n < 0) return { problem: 'must not be negative' };
      if (Math.abs(Math.round(n * 100) - n * 100) > 1e-6)
        return { problem: 'must have at most two decimals' };
      return Math.round(n * 100) / 100;
    }
    case 'date': {
      if (typeof raw !== 'string') return { problem: 'must be a date YYYY-MM-DD' };
      const m = DATE.exec(raw.trim());
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
      if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3]))
        return { problem: 'must be a date YYYY-MM-DD' };
      return raw.trim();
    }
    case 'boolean': {
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      if (typeof raw !== 'boolean') return { problem: 'must be true or false' };
      return raw;
    }
    case 'choice': {
      const options = field.options ?? [];
      if (typeof raw !== 'string' || !options.includes(raw))
        return { problem: `must be one of: ${options.join(', ')}` };
      return raw;
    }
    case 'url': {
      const v = typeof raw === 'string' ? raw.trim() : '';
      if (!/^https?:\/\/[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$/i.test(v) || v.length > 2000)
        return { problem: 'must be a link starting with http:// or https://' };
      return v;
    }
  }
}

/** The record's label in lists: the type's title and its number. */
export function recordLabel(def: TrackerType, number: number): string {
  return `${def.title} #${number}`;
}
