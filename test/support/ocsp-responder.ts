/**
 * A local OCSP responder (RFC 6960) on loopback for tests: parses the DER OCSPRequest POSTed to
 * it and answers a signed BasicOCSPResponse per certificate asked about — `good`, or `revoked` for
 * the serial numbers given. Records what it was asked.
 */
import { createServer, type Server } from 'node:http';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  BasicOCSPResponse,
  CertStatus,
  KeyHash,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

export interface OcspResponder {
  readonly url: string;
  /** Serial numbers (hex, lower case) asked about, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

export async function startOcspResponder(revokedSerials: readonly string[] = []): Promise<OcspResponder> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyHash = createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
  const revoked = new Set(revokedSerials.map((s) => s.toLowerCase()));
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let request: OCSPRequest;
      try {
        request = AsnConvert.parse(Buffer.concat(chunks), OCSPRequest);
      } catch {
        const bad = new OCSPResponse({ responseStatus: OCSPResponseStatus.malformedRequest });
        res.writeHead(200, { 'content-type': 'application/ocsp-response' });
        res.end(Buffer.from(AsnConvert.serialize(bad)));
        return;
      }
      const now = new Date();
      const responses = request.tbsRequest.requestList.map((r) => {
        const serial = Buffer.from(r.reqCert.serialNumber).toString('hex');
        asked.push(serial);
        const certStatus = revoked.has(serial)
          ? new CertStatus({ revoked: new RevokedInfo({ revocationTime: now }) })
          : new CertStatus({ good: null });
        return new SingleResponse({ certID: r.reqCert, certStatus, thisUpdate: now });
      });
      const tbsResponseData = new ResponseData({
        responderID: new ResponderID({ byKey: new KeyHash(keyHash) }),
        producedAt: now,
        responses,
      });
      const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbsResponseData)), privateKey);
      const basic = new BasicOCSPResponse({
        tbsResponseData,
        signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
        signature: new Uint8Array(signature).buffer,
      });
      const response = new OCSPResponse({
        responseStatus: OCSPResponseStatus.successful,
        responseBytes: new ResponseBytes({
          responseType: id_pkix_ocsp_basic,
          response: new OctetString(AsnConvert.serialize(basic)),
        }),
      });
      res.writeHead(200, { 'content-type': 'application/ocsp-response' });
      res.end(Buffer.from(AsnConvert.serialize(response)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ocsp`,
    asked,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The certificate statuses inside a base64 OCSPResponse (ocspResult): serial (hex) -> good / revoked / unknown. */
export function statusesIn(ocspResult: string): Record<string, string> {
  const response = AsnConvert.parse(Buffer.from(ocspResult, 'base64'), OCSPResponse);
  if (response.responseStatus !== OCSPResponseStatus.successful || !response.responseBytes) return {};
  const basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
  return Object.fromEntries(
    basic.tbsResponseData.responses.map((r) => [
      Buffer.from(r.certID.serialNumber).toString('hex'),
      r.certStatus.revoked ? 'revoked' : r.certStatus.unknown !== undefined ? 'unknown' : 'good',
    ]),
  );
}
