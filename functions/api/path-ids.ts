/**
 * The ids that appear in request paths (and as list filters), bounded before anything reaches the
 * table: DynamoDB refuses a partition key over 2,048 bytes or a sort key over 1,024 bytes with a
 * ValidationException, which would otherwise surface as a 500. An id that no stored item can have
 * is a client error (400, naming the parameter); the bounds are those the ids are created with,
 * and the OpenAPI document carries them (maxLength / pattern).
 */
import { z } from 'zod';

/**
 * Stations are created (and admitted) with an identity matching STATION_ID
 * (functions/ocpp/station-auth.ts): 1 to 48 of these characters. One message per wrong thing.
 */
export const StationIdParam = z
  .string()
  .min(1)
  .max(48, 'must be at most 48 characters')
  .regex(/^[A-Za-z0-9*\-_=+|@.]*$/, 'may contain only A-Z a-z 0-9 * - _ = + | @ .');

/**
 * 2.0.1 / 2.1 transactionId is string[36]; a 1.6 transactionId is an integer (at most 11 characters
 * as text).
 */
export const TransactionIdParam = z
  .string()
  .min(1)
  .max(36, 'must be at most 36 characters')
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII');

/** 2.0.1 IdTokenType.idToken is string[36] (a 1.6 idTag, CiString20, fits); PUT refuses longer. */
export const IdTokenParam = z.string().min(1).max(36, 'must be at most 36 characters');

/** Commands get a UUID (shared/calls/service.ts). */
export const CommandIdParam = z
  .string()
  .max(36, 'must be at most 36 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII');

/** `{id}`: the station of every /v1/stations/{id}/... route. */
export const StationPath = z.object({ id: StationIdParam });
