/** Small pieces every view uses: the loading, empty and error states, times, status words. */
import type { ComponentChildren } from 'preact';
import { ApiError } from './api/client';
import { absoluteTime, relativeTime } from './format';

export function Loading({ what }: { what: string }) {
  return (
    <p class="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state empty">{children}</p>;
}

export function ErrorBox({ error, what }: { error: Error; what?: string }) {
  const code = error instanceof ApiError ? ` (${error.status} ${error.code})` : '';
  return (
    <div class="error" role="alert">
      {what ? `Could not load ${what}: ` : ''}
      {error.message}
      {code}
      {error instanceof ApiError && error.fields.length > 0 && (
        <ul>
          {error.fields.map((f) => (
            <li key={f.path}>
              <strong>{f.path || '(body)'}</strong>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>never</span>;
  return (
    <time dateTime={iso} title={absoluteTime(iso)}>
      {relativeTime(iso)}
    </time>
  );
}

const STATUS_CLASS: Record<string, string> = {
  Available: 'ok',
  Charging: 'busy',
  Occupied: 'busy',
  Preparing: 'busy',
  SuspendedEV: 'busy',
  SuspendedEVSE: 'busy',
  Finishing: 'busy',
  Reserved: 'busy',
  Faulted: 'bad',
  Unavailable: 'off',
};

/** A status as its word, with a colour only as a second cue. */
export function StatusWord({ status }: { status: string }) {
  return <span class={`badge ${STATUS_CLASS[status] ?? 'off'}`}>{status}</span>;
}

export function Online({ connected }: { connected: boolean }) {
  return <span class={`badge ${connected ? 'ok' : 'off'}`}>{connected ? 'Online' : 'Offline'}</span>;
}

/** "Load more" under a list read a page at a time (useAllPages with a growing maxPages). */
export function LoadMore({ more, what, onMore }: { more: boolean; what: string; onMore: () => void }) {
  if (!more) return null;
  return (
    <p>
      <button type="button" class="secondary" onClick={onMore}>
        Load more {what}
      </button>
    </p>
  );
}
