/**
 * The HTTP API client: same origin (`/v1/...`), bearer token from the session, JSON in and out.
 * Types come from the generated OpenAPI types (schema.generated.ts), never written by hand.
 */
import { expire, getToken } from '../auth';
import type { components } from './schema.generated';

export type Schemas = components['schemas'];
export type StationView = Schemas['StationView'];
export type TransactionView = Schemas['TransactionView'];
export type TransactionDetail = Schemas['TransactionDetail'];
export type CommandView = Schemas['CommandView'];
export type IdTokenView = Schemas['IdTokenView'];
export type MeView = Schemas['MeView'];
export type FieldError = Schemas['FieldError'];
export type WebhookView = Schemas['WebhookView'];
export type WebhookList = Schemas['WebhookList'];
export type DeliveryList = Schemas['DeliveryList'];
export type WebhookReplayView = Schemas['WebhookReplayView'];
export type CreateWebhookRequest = Schemas['CreateWebhookRequest'];
export type RolloutView = Schemas['Rollout'];
export type RolloutSummary = Schemas['RolloutPage']['items'][number];
export type RolloutAccepted = Schemas['RolloutAccepted'];
export type CreateRolloutRequest = Schemas['CreateRolloutRequest'];
export type Page<T> = { items: T[]; nextCursor: string | null };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; fields?: FieldError[] };
      message?: string;
    };
    if (body.error) {
      return new ApiError(
        res.status,
        body.error.code ?? 'error',
        body.error.message ?? res.statusText,
        body.error.fields,
      );
    }
    return new ApiError(res.status, 'error', body.message ?? `${res.status} ${res.statusText}`);
  } catch {
    return new ApiError(res.status, 'error', `${res.status} ${res.statusText}`);
  }
}

export interface Conditional<T> {
  /** undefined: 304, nothing changed since `etag`. */
  readonly data: T | undefined;
  readonly etag: string | null;
}

/** A GET that sends If-None-Match: the live views poll with it and mostly get bodiless 304s. */
export async function getConditional<T>(path: string, etag: string | null): Promise<Conditional<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${getToken() ?? ''}` };
  if (etag) headers['if-none-match'] = etag;
  const res = await fetch(path, { headers, cache: 'no-store' });
  if (res.status === 304) return { data: undefined, etag };
  if (!res.ok) throw await unauthorizedAware(res);
  return { data: (await res.json()) as T, etag: res.headers.get('etag') };
}

async function unauthorizedAware(res: Response): Promise<ApiError> {
  const error = await errorOf(res);
  if (res.status === 401) expire();
  return error;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${getToken() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    cache: 'no-store',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw await unauthorizedAware(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const enc = encodeURIComponent;
