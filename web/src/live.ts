/**
 * Live data: each view polls what it shows every POLL_MS with If-None-Match, so an unchanged
 * resource costs a bodiless 304 and a change shows within POLL_MS plus one request (the issue asks
 * for 5 s). Polling pauses while the tab is hidden. Cost on AWS: BENCHMARKS.md "Dashboard".
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from './api/client';
import { getConditional } from './api/client';

export const POLL_MS = 2000;

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: ApiError | Error | undefined;
  readonly loading: boolean;
  /** Fetch now (after a command, say). */
  readonly reload: () => void;
}

export function useResource<T>(path: string | null, pollMs: number = POLL_MS): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | Error | undefined>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const etag = useRef<string | null>(null);
  const generation = useRef(0);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  // A new path: forget what the previous one returned.
  useEffect(() => {
    etag.current = null;
    setData(undefined);
    setError(undefined);
    setLoading(path !== null);
  }, [path]);

  useEffect(() => {
    if (path === null) return;
    const mine = ++generation.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async (): Promise<void> => {
      if (document.hidden) {
        timer = setTimeout(() => void poll(), pollMs);
        return;
      }
      try {
        const result = await getConditional<T>(path, etag.current);
        if (stopped || mine !== generation.current) return;
        if (result.data !== undefined) {
          etag.current = result.etag;
          setData(result.data);
        }
        setError(undefined);
      } catch (e) {
        if (stopped || mine !== generation.current) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        // A 401 sends the session to the login form; keep polling so the view refreshes after it.
      } finally {
        if (!stopped && mine === generation.current) {
          setLoading(false);
          timer = setTimeout(() => void poll(), pollMs);
        }
      }
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [path, pollMs, tick]);

  return { data, error, loading, reload };
}
