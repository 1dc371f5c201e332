/** GET /v1/me: who the caller is and what it may do (the dashboard disables what it may not). */
import { z } from 'zod';
import { json, operation } from './http.js';

export const MeView = z
  .object({
    name: z.string().describe('The API key name, or the Cognito username.'),
    role: z
      .enum(['admin', 'viewer'])
      .nullable()
      .describe('admin: everything; viewer: reads only (writes answer 403); null: nothing.'),
    via: z.enum(['api-key', 'cognito']),
  })
  .meta({ id: 'MeView' });

export const getMe = operation({
  id: 'getMe',
  summary: 'The caller: API key or user name and role',
  responses: { 200: MeView },
  async handle({ principal }) {
    return json(200, {
      name: principal?.name ?? '',
      role: principal?.role ?? null,
      via: principal?.via ?? 'api-key',
    });
  },
});
