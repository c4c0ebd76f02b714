import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { type PackManifest, packManifestSchema } from './schema';

/** One file of a pack, as read from disk by the caller: the core does no I/O. */
export type PackFile = { path: string; text: string };

/** A problem that keeps a pack from loading: the file, the place inside it and what is wrong. */
export type PackProblem = { file: string; path: string; line?: number; message: string };

export type Pack = { manifest: PackManifest };

export type PackLoadResult = { ok: true; pack: Pack } | { ok: false; problems: PackProblem[] };

/**
 * Parses and validates a pack. A pack that has any problem is refused whole: the result lists
 * every problem with its file, its path inside the file and, where known, its line.
 */
export function loadPack(files: PackFile[]): PackLoadResult {
  const manifestFile = files.find((f) => f.path === 'pack.yaml' || f.path.endsWith('/pack.yaml'));
  if (!manifestFile) {
    return { ok: false, problems: [{ file: 'pack.yaml', path: '', message: 'the pack has no pack.yaml' }] };
  }
  const parsed = parseYaml(manifestFile, packManifestSchema);
  if (!parsed.ok) return parsed;
  return { ok: true, pack: { manifest: parsed.value } };
}

function parseYaml<S extends z.ZodType>(
  file: PackFile,
  schema: S,
): { ok: true; value: z.output<S> } | { ok: false; problems: PackProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        file: file.path,
        path: '',
        line: lineCounter.linePos(e.pos[0]).line,
        message: e.message.split('\n')[0]!,
      })),
    };
  }
  const result = schema.safeParse(doc.toJS());
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const path = issue.path.map(String);
      return {
        file: file.path,
        path: path.join('.'),
        line: lineOf(doc.contents, path, lineCounter),
        message: issue.message,
      };
    }),
  };
}

/** The line of the deepest node that exists along `path`, so a problem points at its place. */
function lineOf(root: YamlNode | null, path: string[], lines: LineCounter): number | undefined {
  let node: unknown = root;
  let line: number | undefined;
  for (const key of [undefined, ...path]) {
    if (key !== undefined) {
      if (isMap(node)) node = node.get(key, true);
      else if (isSeq(node)) node = node.get(Number(key), true);
      else break;
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) line = lines.linePos(range[0]).line;
  }
  return line;
}
