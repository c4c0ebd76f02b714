import fs from 'node:fs';
import path from 'node:path';
import { advise, checkExpectations, type Scenario, scenarioSchema } from '@casebook/core';
import type { PackRegistry } from './packs';

/** A scenario file that is not valid: the file and the JSON path of its first problem. */
export class ScenarioFileError extends Error {
  constructor(
    readonly file: string,
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${file}: ${jsonPath || '$'}: ${problem}`);
  }
}

/** Reads and validates one scenario file. */
export function readScenario(file: string, packs: PackRegistry): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioFileError(file, '$', `not valid JSON (${(error as Error).message})`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const jsonPath = `$${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
    const keys = (issue as { keys?: string[] }).keys;
    throw new ScenarioFileError(file, jsonPath, keys ? `unknown field(s) ${keys.join(', ')}` : issue.message);
  }
  if (!packs.get(parsed.data.pack)) {
    const known = packs
      .list()
      .map((p) => p.manifest.id)
      .join(', ');
    throw new ScenarioFileError(file, '$.pack', `"${parsed.data.pack}" is not an installed pack (${known})`);
  }
  return parsed.data;
}

/** Every `*.json` file under the given files and folders, in a stable order. */
export function scenarioFiles(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else if (p.endsWith('.json')) files.push(p);
  };
  for (const p of paths) walk(p);
  return files;
}

export type CheckReport = { passed: number; failed: { file: string; id: string; failures: string[] }[] };

/** Runs every scenario that has an `expect` block and compares the advice with it. */
export function checkScenarios(paths: string[], packs: PackRegistry): CheckReport {
  const report: CheckReport = { passed: 0, failed: [] };
  for (const file of scenarioFiles(paths)) {
    const scenario = readScenario(file, packs);
    if (!scenario.expect) continue;
    const result = advise(packs.get(scenario.pack)!, scenario);
    const failures = checkExpectations(scenario.expect, result);
    if (failures.length === 0) report.passed++;
    else report.failed.push({ file, id: scenario.id, failures });
  }
  return report;
}
