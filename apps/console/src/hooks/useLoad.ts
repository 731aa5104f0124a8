import { useCallback, useEffect, type DependencyList } from 'react';
import type { ApiError } from '../api/client';

/**
 * A page's load: run now, again whenever `deps` change, and on demand through the returned
 * function (after a write); a refusal goes to `onError` (an ErrorAlert's state).
 */
export function useLoad(load: () => Promise<void>, onError: (e: ApiError) => void, deps: DependencyList): () => Promise<void> {
  const reload = useCallback(async () => {
    try {
      await load();
    } catch (e) {
      onError(e as ApiError);
    }
    // `deps` are the inputs of `load`, as with useCallback.
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return reload;
}
