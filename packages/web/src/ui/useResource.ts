import { type DependencyList, useCallback, useEffect, useState } from 'react';

export type Resource<T> = {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again, e.g. after a change was saved. */
  reload: () => void;
  /** Replaces the loaded data locally, e.g. with a row the API returned after an update. */
  setData: (update: (current: T | undefined) => T | undefined) => void;
};

/**
 * Loads data for a component and reloads when `deps` change. A load that is superseded is aborted,
 * so switching brands never shows the previous brand's rows.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` stands for what `load` reads.
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setDataState(value);
        setLoading(false);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setDataState(undefined);
        setError(e);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback(
    (update: (current: T | undefined) => T | undefined) => setDataState(update),
    [],
  );
  return { data, error, loading, reload, setData };
}

const noop = () => {};

/** Data already at hand as a Resource, for components such as ResourceTable that take one. */
export function loadedResource<T>(data: T): Resource<T> {
  return { data, error: null, loading: false, reload: noop, setData: noop };
}
