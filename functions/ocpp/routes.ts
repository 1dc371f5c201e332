/** The route tables of every version, for the dispatcher. */
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import type { AnyRoute } from './context.js';
import { V16_ROUTES } from './v16/routes.js';
import { V201_ROUTES } from './v201/routes.js';
import { V21_ROUTES } from './v21/routes.js';

export const ROUTES: Readonly<Record<OcppProtocol, Readonly<Record<string, AnyRoute | undefined>>>> = {
  'ocpp1.6': V16_ROUTES,
  'ocpp2.0.1': V201_ROUTES,
  'ocpp2.1': V21_ROUTES,
};
