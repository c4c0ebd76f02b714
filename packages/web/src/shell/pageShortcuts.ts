import { createContext, useContext, useEffect, useRef } from 'react';

/**
 * Single-key shortcuts a page adds while it is open (`r` reply, `j` next ticket …). The shell
 * dispatches them, so they never fire as the second key of a `g` chord, and lists them under `?`.
 */
export type PageShortcut = {
  /** The key as KeyboardEvent.key reports it, e.g. "r" or "j". */
  key: string;
  /** What it does, for the help overlay: "Reply to the customer". */
  label: string;
  run: () => void;
};

export type PageShortcutRegistry = {
  /** Adds a page's shortcuts; returns the function that removes them again. */
  register(shortcuts: PageShortcut[]): () => void;
};

export const PageShortcutsContext = createContext<PageShortcutRegistry | null>(null);

/**
 * Registers shortcuts for as long as the calling component is mounted. The keys and labels are
 * registered when they change; `run` always calls the latest function given.
 */
export function usePageShortcuts(shortcuts: PageShortcut[]): void {
  const registry = useContext(PageShortcutsContext);
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });
  const signature = shortcuts.map((s) => `${s.key}\u0000${s.label}`).join('\u0001');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `signature` stands for the keys and labels.
  useEffect(() => {
    if (!registry) return;
    return registry.register(
      latest.current.map((s) => ({
        key: s.key,
        label: s.label,
        run: () => latest.current.find((current) => current.key === s.key)?.run(),
      })),
    );
  }, [registry, signature]);
}
