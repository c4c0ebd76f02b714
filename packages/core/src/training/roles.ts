import { normalizeText } from './text';

/**
 * Who the asker is, for Ask the SOP: "I'm an advocate", "as shift lead", "lead here", "I'm not a
 * lead" name a role of the pack, and steps whose condition tests `actor.role` are then the ones
 * meant for that role. The role's name, its title and the common names of a front-line agent are
 * recognised; the cue words are ordinary English.
 */

/** A test of the actor's role in a step's condition: `actor.role in [...]`, `==`, `!=`, negated or not. */
export type RoleCheck = { roles: ReadonlySet<string>; negated: boolean };

/** The role tests among a condition's top-level atoms. */
export function roleChecks(atoms: string[]): RoleCheck[] {
  const checks: RoleCheck[] = [];
  for (const atom of atoms) {
    const t = atom.trim();
    const list = /^(!?)\(?\s*actor\.role\s+in\s+\[([^\]]*)\]\s*\)?$/.exec(t);
    if (list) {
      const roles = new Set([...list[2]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
      checks.push({ roles, negated: list[1] === '!' });
      continue;
    }
    const one = /^actor\.role\s*(==|!=)\s*"([^"]+)"$/.exec(t);
    if (one) checks.push({ roles: new Set([one[2]!]), negated: one[1] === '!=' });
  }
  return checks;
}

/** Other names of the front-line role (`agent`) that agents call themselves. */
const AGENT_NAMES = [
  'agent',
  'advocate',
  'csr',
  'rep',
  'support rep',
  'regular csr',
  'normal csr',
  'cs agent',
];

/** Names a pack's roles go by in a question, longest first, each with its role. */
export function roleNames(roles: Record<string, { title: string }>): [string, string][] {
  const names = new Map<string, string>();
  for (const [name, role] of Object.entries(roles)) {
    for (const n of [name.replace(/_/g, ' '), role.title]) {
      const key = normalizeText(n);
      if (key.length >= 2 && !names.has(key)) names.set(key, name);
    }
  }
  if (roles.agent) for (const n of AGENT_NAMES) if (!names.has(n)) names.set(n, 'agent');
  return [...names].sort((a, b) => b[0].length - a[0].length);
}

export type StatedRole = { role: string; negated: boolean };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The role the asker says they hold (or do not hold), if any. */
export function statedRole(question: string, names: [string, string][]): StatedRole | undefined {
  if (names.length === 0) return undefined;
  const text = normalizeText(question).replace(/[^a-z0-9' ]+/g, ' ');
  const alternatives = names.map(([n]) => escapeRegExp(n)).join('|');
  const article = '(?:(?:just|only|a|an|the|regular|normal|simple|shift|new)\\s+)*';
  const self = `(?:i'?m|i am|im|as|me being|being|we'?re|we are)`;
  const negated = new RegExp(`\\b${self}\\s+not\\s+${article}(${alternatives})s?\\b`).exec(text);
  if (negated) return { role: lookup(names, negated[1]!), negated: true };
  const positive =
    new RegExp(`\\b${self}\\s+${article}(${alternatives})s?\\b`).exec(text) ??
    new RegExp(`^(?:${article})(${alternatives})\\s+here\\b|\\b(${alternatives})\\s+here\\b`).exec(text);
  if (positive) return { role: lookup(names, (positive[1] ?? positive[2])!), negated: false };
  return undefined;
}

function lookup(names: [string, string][], found: string): string {
  return names.find(([n]) => n === found)![1];
}

/** +1 for each role test the stated role passes, -1 for each it fails; 0 when nothing is stated. */
export function roleFit(checks: RoleCheck[], stated: StatedRole | undefined): number {
  if (!stated) return 0;
  let fit = 0;
  for (const check of checks) {
    const inList = check.roles.has(stated.role);
    if (stated.negated) {
      // "I'm not a lead": a test that excludes leads holds; one that requires them fails.
      if (inList) fit += check.negated ? 1 : -1;
      continue;
    }
    fit += inList !== check.negated ? 1 : -1;
  }
  return fit;
}
