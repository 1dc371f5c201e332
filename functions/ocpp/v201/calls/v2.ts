/**
 * A call module shared by 2.0.1 and 2.1: typed by the union of both versions' request and response
 * (2.1 widens enums: more certificate types, profile purposes, statuses), so the one module is
 * checked against each version's method map in ../calls.ts and ../../v21/calls.ts.
 */
import type { Methods as V201 } from '../../../../shared/ocpp/generated/v201/types.js';
import type { Methods as V21 } from '../../../../shared/ocpp/generated/v21/types.js';
import type { CallPort, CallSpec } from '../../../../shared/calls/spec.js';

// Without password and redactResponse: they return a request / response, which must be one version's.
export type V2CallOf<A extends keyof V201 & keyof V21, P extends CallPort = CallPort> = Omit<
  CallSpec<V201[A]['request'] | V21[A]['request'], V201[A]['response'] | V21[A]['response'], P>,
  'password' | 'redactResponse'
>;
