import fs from 'node:fs';
import path from 'node:path';
import { loadPack, type Pack, type PackFile, type PackProblem } from '@casebook/core';

export type PackRegistry = {
  get(id: string): Pack | undefined;
  list(): Pack[];
};

export class PackLoadError extends Error {
  constructor(readonly problems: PackProblem[]) {
    super(
      `SOP packs failed to load:\n${problems
        .map((p) => `  ${p.file}${p.line ? `:${p.line}` : ''}${p.path ? ` at ${p.path}` : ''}: ${p.message}`)
        .join('\n')}`,
    );
  }
}

/** Reads every file of one pack folder, with paths relative to the packs root. */
function readPackFiles(root: string, dir: string): PackFile[] {
  const files: PackFile[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(entry.name)) {
        files.push({ path: path.relative(root, full), text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  walk(dir);
  return files;
}

/** Loads every pack under `packsDir`. Any problem in any pack refuses the whole set. */
export function loadPacks(packsDir: string): PackRegistry {
  const packs = new Map<string, Pack>();
  const problems: PackProblem[] = [];
  const dirs = fs
    .readdirSync(packsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const name of dirs) {
    const result = loadPack(readPackFiles(packsDir, path.join(packsDir, name)));
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    if (result.pack.manifest.id !== name) {
      problems.push({
        file: `${name}/pack.yaml`,
        path: 'id',
        message: `id "${result.pack.manifest.id}" must equal the folder name "${name}"`,
      });
      continue;
    }
    packs.set(name, result.pack);
  }
  if (problems.length > 0) throw new PackLoadError(problems);
  return { get: (id) => packs.get(id), list: () => [...packs.values()] };
}
