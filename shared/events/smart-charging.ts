/**
 * Smart-charging events (2.0.1 K11-K17, 2.1 K21-K22 / K28): what stations report about external
 * limits and EV charging needs, and what the CSMS did with it. Spread into the catalog (./catalog.ts).
 */
import { z } from 'zod';

const timestamp = z.string().describe('ISO 8601');
const base = { stationId: z.string(), occurredAt: timestamp };
const evse = z.number().int().describe('0: the whole station');

export const SMART_CHARGING_EVENTS = {
  'charging.limit-set.v1': z.object({
    ...base,
    evseId: evse,
    source: z.string().describe('chargingLimitSource: EMS, SO, Other (2.1: any string)'),
    isGridCritical: z.boolean().optional(),
    isLocalGeneration: z.boolean().optional(),
    schedules: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('The limit schedules as reported (ChargingScheduleType), when the station sent them'),
  }),
  'charging.limit-cleared.v1': z.object({
    ...base,
    evseId: evse.optional().describe('Absent: every EVSE'),
    source: z.string(),
  }),
  'ev.charging-needs.v1': z.object({
    ...base,
    evseId: z.number().int(),
    transactionId: z.string().optional(),
    status: z.enum(['Accepted', 'Processing', 'Rejected']).describe('The answer (K15.FR.03-05)'),
    requestedEnergyTransfer: z.string(),
    energyAmountWh: z.number().optional(),
    departureTime: timestamp.optional(),
    limit: z
      .object({ value: z.number(), unit: z.enum(['A', 'W']) })
      .optional()
      .describe('The limit of the TxProfile sent for the needs'),
    profileId: z.number().int().optional(),
  }),
  'ev.charging-needs-unmet.v1': z.object({
    ...base,
    evseId: z.number().int(),
    transactionId: z.string().optional(),
    status: z.enum(['Accepted', 'Processing', 'Rejected']),
    reason: z.string().describe('Why the needs cannot be met (fully)'),
    energyAmountWh: z.number().optional(),
    deliverableWh: z.number().optional().describe('What the schedule sent delivers by the departure time'),
    departureTime: timestamp.optional(),
  }),
  'ev.charging-schedule-deviated.v1': z.object({
    ...base,
    evseId: z.number().int(),
    transactionId: z.string().optional(),
    profileId: z.number().int().optional(),
    deviations: z
      .array(
        z.object({
          at: timestamp.describe('Start of the EV period that exceeds the limit'),
          evLimit: z.number(),
          csmsLimit: z.number().optional().describe('Absent: the CSMS sent no schedule for that time'),
          unit: z.enum(['A', 'W']),
        }),
      )
      .describe('The EV schedule periods above what the CSMS sent (K15.FR.12 / K17.FR.12)'),
  }),
  'charging.priority-changed.v1': z.object({
    ...base,
    transactionId: z.string(),
    activated: z.boolean(),
  }),
  'charging.dynamic-schedule-requested.v1': z.object({
    ...base,
    chargingProfileId: z.number().int(),
    status: z.enum(['Accepted', 'Rejected']).describe('The answer to the station'),
  }),
} as const;
