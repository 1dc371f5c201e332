/**
 * ISO 15118 Plug & Charge on the CSMS side (2.0.1 M01, M02, M06): the contract-certificate and
 * OCSP provider behind Get15118EVCertificate and GetCertificateStatus, as one port.
 *
 * - get15118EvCertificate: the CSMS forwards the EV's EXI CertificateInstallationReq /
 *   CertificateUpdateReq to the secondary actor (a contract-certificate pool / Mobility Operator
 *   PKI, e.g. Hubject's "Get Signed Contract Data") and returns its EXI response (M01.FR.01,
 *   M02.FR.01 notes). No such PKI is configured by default: answered Failed. A real PKI plugs in
 *   by implementing `ContractCertificateForwarder` (docs/smart-charging.md, "Plug & Charge").
 * - certificateStatus: OCSP (RFC 6960) for the station's V2G certificates. The CSMS builds the
 *   DER OCSPRequest from the station's OCSPRequestDataType, POSTs it to the responderURL the
 *   station named, and returns the DER OCSPResponse base64-encoded (M06.FR.02, .03, .08, .09),
 *   or Failed when the responder cannot be reached or does not answer `successful` (M06.FR.04).
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
} from '@peculiar/asn1-ocsp';

export interface OcspRequestData {
  readonly hashAlgorithm: 'SHA256' | 'SHA384' | 'SHA512';
  /** Hex. */
  readonly issuerNameHash: string;
  /** Hex. */
  readonly issuerKeyHash: string;
  /** Hex. */
  readonly serialNumber: string;
  readonly responderURL: string;
}

export interface EvCertificateRequest {
  readonly stationId: string;
  readonly iso15118SchemaVersion: string;
  readonly action: 'Install' | 'Update';
  /** Base64 EXI of the EV's request. */
  readonly exiRequest: string;
  readonly maximumContractCertificateChains?: number;
  readonly prioritizedEMAIDs?: readonly string[];
}

export interface EvCertificateAnswer {
  readonly status: 'Accepted' | 'Failed';
  /** Base64 EXI of the response for the EV ('' when Failed without one). */
  readonly exiResponse: string;
  readonly remainingContracts?: number;
  /** Why it failed, for statusInfo and the log. */
  readonly reason?: string;
}

export interface CertificateStatusAnswer {
  readonly status: 'Accepted' | 'Failed';
  /** Base64 of the DER OCSPResponse (M06.FR.03). */
  readonly ocspResult?: string;
  readonly reason?: string;
}

export interface ContractCertificates {
  get15118EvCertificate(request: EvCertificateRequest): Promise<EvCertificateAnswer>;
  certificateStatus(data: OcspRequestData): Promise<CertificateStatusAnswer>;
}

/** Where a Mobility Operator / contract-certificate pool plugs in (Hubject-style PKI). */
export type ContractCertificateForwarder = (request: EvCertificateRequest) => Promise<EvCertificateAnswer>;

const HASH_OIDS = {
  SHA256: '2.16.840.1.101.3.4.2.1',
  SHA384: '2.16.840.1.101.3.4.2.2',
  SHA512: '2.16.840.1.101.3.4.2.3',
} as const;

/** M06.FR.10 responses fit the ocspResult field (at most 5500 characters in 2.0.1). */
const MAX_OCSP_RESULT = 5500;
const OCSP_TIMEOUT_MS = 5000;

const hexBytes = (hex: string): Uint8Array => {
  const clean = hex.length % 2 === 1 ? `0${hex}` : hex;
  if (!/^[0-9a-fA-F]*$/.test(clean)) throw new Error('not hex');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
};

const arrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** The DER OCSPRequest for one certificate (RFC 6960 §4.1.1), unsigned, without nonce. */
export function ocspRequestDer(data: OcspRequestData): Uint8Array {
  const certId = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: HASH_OIDS[data.hashAlgorithm] }),
    issuerNameHash: new OctetString(arrayBuffer(hexBytes(data.issuerNameHash))),
    issuerKeyHash: new OctetString(arrayBuffer(hexBytes(data.issuerKeyHash))),
    serialNumber: arrayBuffer(hexBytes(data.serialNumber)),
  });
  const request = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }),
  });
  return new Uint8Array(AsnConvert.serialize(request));
}

/** The default provider: OCSP through the station's responder, no contract-certificate PKI unless given one. */
export class OcspContractCertificates implements ContractCertificates {
  constructor(
    private readonly forward?: ContractCertificateForwarder,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async get15118EvCertificate(request: EvCertificateRequest): Promise<EvCertificateAnswer> {
    if (!this.forward) {
      return { status: 'Failed', exiResponse: '', reason: 'No contract-certificate provider is configured' };
    }
    return this.forward(request);
  }

  async certificateStatus(data: OcspRequestData): Promise<CertificateStatusAnswer> {
    let url: URL;
    let body: Uint8Array;
    try {
      url = new URL(data.responderURL);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
      body = ocspRequestDer(data);
    } catch {
      return { status: 'Failed', reason: 'The OCSP request data cannot be used (responderURL, hex fields)' };
    }
    let der: Uint8Array;
    try {
      const res = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
        body,
        signal: AbortSignal.timeout(OCSP_TIMEOUT_MS),
      });
      if (!res.ok) return { status: 'Failed', reason: `The OCSP responder answered HTTP ${res.status}` };
      der = new Uint8Array(await res.arrayBuffer());
    } catch (error) {
      return {
        status: 'Failed',
        reason: `The OCSP responder could not be reached: ${(error as Error).message}`,
      };
    }
    let parsed: OCSPResponse;
    try {
      parsed = AsnConvert.parse(der, OCSPResponse);
    } catch {
      return {
        status: 'Failed',
        reason: 'The OCSP responder answered something that is not an OCSPResponse',
      };
    }
    if (parsed.responseStatus !== OCSPResponseStatus.successful) {
      return {
        status: 'Failed',
        reason: `The OCSP responder answered ${OCSPResponseStatus[parsed.responseStatus]}`,
      };
    }
    const ocspResult = Buffer.from(der).toString('base64');
    if (ocspResult.length > MAX_OCSP_RESULT) {
      return {
        status: 'Failed',
        reason: `The OCSP response is too long for ocspResult (${ocspResult.length} characters)`,
      };
    }
    return { status: 'Accepted', ocspResult };
  }
}

/** No provider at all (unit tests of the dispatcher): every request Failed. */
export class UnconfiguredContractCertificates implements ContractCertificates {
  async get15118EvCertificate(): Promise<EvCertificateAnswer> {
    return { status: 'Failed', exiResponse: '', reason: 'No contract-certificate provider is configured' };
  }
  async certificateStatus(): Promise<CertificateStatusAnswer> {
    return { status: 'Failed', reason: 'No OCSP provider is configured' };
  }
}
