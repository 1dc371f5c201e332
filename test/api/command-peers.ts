/**
 * Test peers for the command routes: provisioned, booted ocpp-rpc stations in strict mode (they
 * validate every CALL the CSMS sends against the official schemas) that record what they receive
 * and answer with valid payloads; and an HTTP helper that sends headers (Idempotency-Key).
 */
import type { Harness, RpcClient } from '../support/harness.js';

export type Version = 'ocpp1.6' | 'ocpp2.0.1';

export interface Received {
  readonly method: string;
  readonly params: any;
}

export interface Peer {
  readonly id: string;
  readonly client: RpcClient;
  readonly received: Received[];
  /** What it received after the first `mark` CALLs. */
  since(mark: number): Received[];
}

/** A valid answer to every CSMS-initiated CALL the tests send. */
function answer(method: string, params: any, version: Version): unknown {
  switch (method) {
    case 'GetConfiguration':
      return {
        configurationKey: ((params.key as string[] | undefined) ?? ['HeartbeatInterval']).map((key) => ({
          key,
          readonly: false,
          value: '300',
        })),
      };
    case 'GetVariables':
      return {
        getVariableResult: params.getVariableData.map((d: any) => ({
          attributeStatus: 'Accepted',
          component: d.component,
          variable: d.variable,
          attributeValue: '300',
        })),
      };
    case 'SetVariables':
      return {
        setVariableResult: params.setVariableData.map((d: any) => ({
          attributeStatus: 'Accepted',
          component: d.component,
          variable: d.variable,
        })),
      };
    case 'GetLocalListVersion':
      return version === 'ocpp1.6' ? { listVersion: 3 } : { versionNumber: 3 };
    case 'UnlockConnector':
      return { status: 'Unlocked' };
    case 'GetCompositeSchedule':
      return { status: 'Rejected' };
    default:
      return { status: 'Accepted' };
  }
}

interface Wildcard {
  handle(handler: (call: { method: string; params: any }) => unknown): void;
}

/** `override`: an answer of its own for some CALLs (undefined: the default answer). */
export async function peer(
  h: Harness,
  id: string,
  version: Version,
  override?: (method: string, params: any) => unknown,
): Promise<Peer> {
  await h.provision(id);
  const client = await h.station(id, version);
  const received: Received[] = [];
  // ocpp-rpc's wildcard handler (the harness types only handle(method, handler)).
  (client as unknown as Wildcard).handle(({ method, params }) => {
    received.push({ method, params });
    return override?.(method, params) ?? answer(method, params, version);
  });
  const boot =
    version === 'ocpp1.6'
      ? await client.call('BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'Fast-1' })
      : await client.call('BootNotification', {
          reason: 'PowerUp',
          chargingStation: { vendorName: 'ACME', model: 'Fast-2' },
        });
  if (boot.status !== 'Accepted') throw new Error(`${id} booted ${boot.status}`);
  return {
    id,
    client,
    received,
    since: (mark) => received.slice(mark),
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

/** An API call with extra headers (the harness's api() sends none). */
export async function call(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const res = await fetch(`${h.host.httpUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${h.host.apiToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
