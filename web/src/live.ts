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

/** Every page of a list, walked through its cursor (the cursors are deterministic, so each page keeps its ETag). */
export interface AllPages<T> extends Resource<readonly T[]> {
  /** How many requests the last walk made (one per page). */
  readonly pages: number;
  /** The walk stopped at maxPages and the list goes on (a "Load more" can raise maxPages). */
  readonly more: boolean;
}

/** A page's URL: the list's path with `limit` and, after the first, `cursor`. */
function pageUrl(path: string, limit: number, cursor: string | null): string {
  const sep = path.includes('?') ? '&' : '?';
  return `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
}

/**
 * The whole list behind `path` (a paged API list), polled like useResource: each walk follows
 * nextCursor from the first page to the last with If-None-Match per page, so counts, search and
 * filters cover every item, not the first page only. `maxPages` bounds one walk: a runaway cursor,
 * or a long history (sessions, id tokens) shown a page at a time with "Load more".
 */
export function useAllPages<T>(
  path: string | null,
  {
    limit = 100,
    pollMs = POLL_MS,
    maxPages = 200,
  }: { limit?: number; pollMs?: number; maxPages?: number } = {},
): AllPages<T> {
  const [data, setData] = useState<readonly T[] | undefined>(undefined);
  const [pages, setPages] = useState(0);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const cache = useRef(
    new Map<string, { etag: string | null; page: { items: T[]; nextCursor: string | null } }>(),
  );
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    cache.current = new Map();
    setData(undefined);
    setError(undefined);
    setLoading(path !== null);
  }, [path]);

  useEffect(() => {
    if (path === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let shown: readonly { items: T[] }[] = [];
    const walk = async (): Promise<void> => {
      if (document.hidden) {
        timer = setTimeout(() => void walk(), pollMs);
        return;
      }
      try {
        const seen: { items: T[]; nextCursor: string | null }[] = [];
        const next = new Map<
          string,
          { etag: string | null; page: { items: T[]; nextCursor: string | null } }
        >();
        let cursor: string | null = null;
        do {
          const url = pageUrl(path, limit, cursor);
          const cached = cache.current.get(url);
          const result = await getConditional<{ items: T[]; nextCursor: string | null }>(
            url,
            cached?.etag ?? null,
          );
          if (stopped) return;
          const page = result.data ?? cached?.page;
          if (!page) throw new Error(`No data for ${url}`);
          next.set(url, { etag: result.etag, page });
          seen.push(page);
          cursor = page.nextCursor;
        } while (cursor && seen.length < maxPages);
        cache.current = next;
        setMore(cursor !== null);
        // A new array only when a page changed: an unchanged fleet renders nothing again.
        if (seen.length !== shown.length || seen.some((p, i) => p !== shown[i])) {
          shown = seen;
          setData(seen.flatMap((p) => p.items));
          setPages(seen.length);
        }
        setError(undefined);
      } catch (e) {
        if (stopped) return;
        setError(e instanceof Error ? e : new Error(String(e)));
      } finally {
        if (!stopped) {
          setLoading(false);
          timer = setTimeout(() => void walk(), pollMs);
        }
      }
    };
    void walk();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [path, limit, pollMs, maxPages, tick]);

  return { data, error, loading, reload, pages, more };
}
