/**
 * Install side of the certificate lifecycle, version-neutral, through the command path (issue 11
 * item 5): InstallCertificate, GetInstalledCertificateIds, DeleteCertificate (2.0.1 M03-M05, 1.6
 * security whitepaper M03-M05), and one station's firmware update, signed or not (1.6 security
 * L01 SignedUpdateFirmware, 2.x L01 UpdateFirmware). Certificates must parse as PEM X.509 and
 * signatures as base64, else 400 naming the field. Each answers like the raw route: 202 with the
 * command, `wait`, `queue=false`, `Idempotency-Key`. What the station answers is stored by the call
 * modules (shared/store/certificates.ts) and listed by GET /v1/stations/{id}/certificates.
 */
import { z } from 'zod';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import { base64Problem, pemCertificateProblem } from '../../shared/pki/pem.js';
import { firmwareCommand } from '../rollout/firmware-command.js';
import { refuse, type Outgoing } from './command-mapping/outgoing.js';
import {
  COMMAND_CONFLICTS,
  CommandHeaders,
  commandQuery,
  commandResponses,
  requestOf,
  sendCommand,
} from './commands.js';
import { newId } from './conveniences/common.js';
import { operation } from './http.js';
import { StationPath } from './path-ids.js';

const CommandQuery = z.strictObject(commandQuery);
const common = {
  params: StationPath,
  headers: CommandHeaders,
  responses: commandResponses,
  conflicts: COMMAND_CONFLICTS,
  query: CommandQuery,
} as const;

const PemCertificate = z
  .string()
  .min(1)
  .max(5500)
  .superRefine((pem, ctx) => {
    const problem = pemCertificateProblem(pem);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** 2.x names; 1.6 knows the CSMS (Central System) and manufacturer roots only. */
const INSTALL_TYPES = [
  'CSMSRootCertificate',
  'ManufacturerRootCertificate',
  'V2GRootCertificate',
  'MORootCertificate',
] as const;
const V16_TYPES: Readonly<Record<string, string>> = {
  CSMSRootCertificate: 'CentralSystemRootCertificate',
  ManufacturerRootCertificate: 'ManufacturerRootCertificate',
};

export const InstallCertificateBody = z
  .strictObject({
    certificateType: z
      .enum(INSTALL_TYPES)
      .describe(
        '1.6 stations: CSMSRootCertificate (CentralSystemRootCertificate) or ManufacturerRootCertificate.',
      ),
    certificate: PemCertificate.describe('PEM X.509 certificate.'),
  })
  .meta({ id: 'InstallCertificateRequest' });

export const ReadInstalledCertificatesBody = z
  .strictObject({
    certificateTypes: z
      .array(z.enum([...INSTALL_TYPES, 'V2GCertificateChain']))
      .min(1)
      .optional()
      .describe(
        'Which types; default all (2.x). A 1.6 station needs exactly one of CSMSRootCertificate, ManufacturerRootCertificate.',
      ),
  })
  .meta({ id: 'ReadInstalledCertificatesRequest' });

const hex = z.string().regex(/^[0-9A-Fa-f]{1,128}$/, 'must be hex');
export const DeleteInstalledCertificateBody = z
  .strictObject({
    hashAlgorithm: z.enum(['SHA256', 'SHA384', 'SHA512']),
    issuerNameHash: hex,
    issuerKeyHash: hex,
    serialNumber: z.string().regex(/^[0-9A-Fa-f]{1,40}$/, 'must be hex'),
  })
  .meta({ id: 'DeleteInstalledCertificateRequest' });

export const FirmwareUpdateBody = z
  .strictObject({
    location: z.url().max(512).describe('Where the station downloads the image.'),
    retrieveAt: z.iso.datetime({ offset: true }).optional().describe('When to download; default now.'),
    installAt: z.iso.datetime({ offset: true }).optional(),
    signature: z
      .string()
      .min(1)
      .max(800)
      .superRefine((value, ctx) => {
        const problem = base64Problem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .describe('Base64 signature of the image (1.6: SignedUpdateFirmware).'),
    signingCertificate: PemCertificate.optional().describe('PEM certificate the signature verifies with.'),
  })
  .superRefine((f, ctx) => {
    if ((f.signature === undefined) !== (f.signingCertificate === undefined)) {
      const path = f.signature === undefined ? 'signature' : 'signingCertificate';
      ctx.addIssue({ code: 'custom', path: [path], message: 'signature and signingCertificate go together' });
    }
  })
  .meta({ id: 'FirmwareUpdateRequest' });

function installCertificate(protocol: OcppProtocol, body: z.output<typeof InstallCertificateBody>): Outgoing {
  if (protocol !== 'ocpp1.6') return { action: 'InstallCertificate', payload: body };
  const certificateType = V16_TYPES[body.certificateType];
  if (!certificateType) refuse('certificateType', `${body.certificateType} does not exist in OCPP 1.6`);
  return { action: 'InstallCertificate', payload: { certificateType, certificate: body.certificate } };
}

function readInstalled(
  protocol: OcppProtocol,
  body: z.output<typeof ReadInstalledCertificatesBody>,
): Outgoing {
  if (protocol !== 'ocpp1.6') {
    return {
      action: 'GetInstalledCertificateIds',
      payload: body.certificateTypes ? { certificateType: body.certificateTypes } : {},
      toField: (p) => p.replace(/^certificateType/, 'certificateTypes'),
    };
  }
  const [only, ...more] = body.certificateTypes ?? [];
  const certificateType = only && more.length === 0 ? V16_TYPES[only] : undefined;
  if (!certificateType) {
    refuse(
      'certificateTypes',
      'OCPP 1.6 asks for exactly one of CSMSRootCertificate, ManufacturerRootCertificate',
    );
  }
  return { action: 'GetInstalledCertificateIds', payload: { certificateType } };
}

export const installStationCertificate = operation({
  ...common,
  id: 'installStationCertificate',
  summary: 'Install a root certificate on the station (InstallCertificate)',
  body: InstallCertificateBody,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => installCertificate(p, body),
      query,
      headers,
      deps,
      requestOf('installStationCertificate', { params, query, body }),
    );
  },
});

export const readInstalledCertificates = operation({
  ...common,
  id: 'readInstalledCertificates',
  summary: 'Ask the station which certificates it has installed (GetInstalledCertificateIds)',
  body: ReadInstalledCertificatesBody,
  bodyOptional: true,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => readInstalled(p, body),
      query,
      headers,
      deps,
      requestOf('readInstalledCertificates', { params, query, body }),
    );
  },
});

export const deleteInstalledCertificate = operation({
  ...common,
  id: 'deleteInstalledCertificate',
  summary: 'Delete an installed certificate from the station, by its hash data (DeleteCertificate)',
  body: DeleteInstalledCertificateBody,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      () => ({
        action: 'DeleteCertificate',
        payload: { certificateHashData: body },
        toField: (p) => p.replace(/^certificateHashData\./, ''),
      }),
      query,
      headers,
      deps,
      requestOf('deleteInstalledCertificate', { params, query, body }),
    );
  },
});

export const updateStationFirmware = operation({
  ...common,
  id: 'updateStationFirmware',
  summary:
    "Update one station's firmware (UpdateFirmware; signed: 1.6 SignedUpdateFirmware, 2.x with signature)",
  body: FirmwareUpdateBody,
  async handle({ params, query, body, headers }, deps) {
    const firmware = {
      location: body.location,
      version: '',
      ...(body.retrieveAt !== undefined ? { retrieveAt: body.retrieveAt } : {}),
      ...(body.installAt !== undefined ? { installAt: body.installAt } : {}),
      ...(body.signature !== undefined ? { signature: body.signature } : {}),
      ...(body.signingCertificate !== undefined ? { signingCertificate: body.signingCertificate } : {}),
    };
    return sendCommand(
      params.id,
      (p) => ({
        ...firmwareCommand(p, firmware, newId(), deps.clock()),
        toField: (f) => f.replace(/^firmware\./, ''),
      }),
      query,
      headers,
      deps,
      requestOf('updateStationFirmware', { params, query, body }),
    );
  },
});
