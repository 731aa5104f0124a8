import { useCallback, useEffect, useState, type DependencyList } from 'react';
import type { ApiError } from '../api/client';

/**
 * A panel's data from the API: loaded now and whenever `deps` change, reloadable after a write,
 * with the refusal's message (for an Alert) instead of the data when the load is refused.
 */
export function useRemote<T>(load: () => Promise<T>, deps: DependencyList) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await load());
    } catch (e) {
      setError((e as ApiError).message);
    }
    // `deps` are the inputs of `load`, as with useCallback.
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, setData, error, setError, reload };
}
