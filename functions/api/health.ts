/** Liveness of the HTTP API; the one route without authentication. */
import { z } from 'zod';
import { json, operation } from './http.js';

export const HealthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'HealthResponse' });

export const health = operation({
  id: 'health',
  summary: 'Liveness check (no authentication)',
  responses: { 200: HealthResponse },
  async handle() {
    const body: z.output<typeof HealthResponse> = { status: 'ok' };
    return json(200, body);
  },
});
