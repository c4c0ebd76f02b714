import type { Expect, Matcher } from '../scenario';
import { type Action, matches, normalize } from './actions';
import type { AdviceResult } from './engine';

/** Every way an advice result falls short of a scenario's `expect` block, as sentences. */
export function checkExpectations(expect: Expect, result: AdviceResult): string[] {
  const failures: string[] = [];
  const show = (m: Matcher) => JSON.stringify(m);
  const got = (actions: Action[]) =>
    actions.length ? actions.map((a) => JSON.stringify(a)).join(', ') : 'none';
  if (expect.intent !== undefined && normalize(expect.intent) !== normalize(result.intent.name)) {
    failures.push(
      `intent: expected "${expect.intent}", got "${result.intent.name}" (confidence ${result.intent.confidence})`,
    );
  }
  for (const m of expect.actions ?? []) {
    if (!result.actions.some((a) => matches(m, a)))
      failures.push(`expected action ${show(m)}; actions were ${got(result.actions)}`);
  }
  for (const m of expect.absent ?? []) {
    const hit = result.actions.find((a) => matches(m, a));
    if (hit) failures.push(`expected no action matching ${show(m)}, got ${JSON.stringify(hit)}`);
  }
  if (expect.first) {
    const first = result.actions.find((a) => a.type !== 'inform');
    if (!first || !matches(expect.first, first)) {
      failures.push(
        `expected first action ${show(expect.first)}, got ${first ? JSON.stringify(first) : 'none'}`,
      );
    }
  }
  for (const m of expect.blocked ?? []) {
    if (!result.blocked.some((b) => matches(m, b.action))) {
      failures.push(
        `expected blocked action ${show(m)}; blocked were ${got(result.blocked.map((b) => b.action))}`,
      );
    }
  }
  return failures;
}
