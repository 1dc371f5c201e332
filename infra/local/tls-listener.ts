/**
 * The local host's `wss://` listener (security profiles 2 and 3): what CloudFront's TLS side does
 * on AWS. It serves the same routes as the plain listener; the gateway tells the two apart by the
 * socket (CloudFront-Forwarded-Proto: https) and forwards the client certificate the way viewer
 * mTLS in optional mode does (CloudFront-Viewer-Cert-*).
 *
 * A client certificate is requested but never required nor verified here (requestCert without
 * rejectUnauthorized): a refusal at the TLS level would leave no trace, so the authorizer decides
 * and records a security event. TLS 1.2 at least (2.0.1 A00.FR.313 / A00.FR.416). TLS still
 * proves the station holds the certificate's private key (its CertificateVerify signature).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface TlsListenerOptions {
  /** The server certificate (chain), PEM: the content of CSMS_TLS_CERT. */
  readonly cert: string;
  /** Its private key, PEM: the content of CSMS_TLS_KEY. */
  readonly key: string;
  /** CSMS_TLS_PORT; 0 picks a free one. Default 8443. */
  readonly port?: number | undefined;
}

export const DEFAULT_TLS_PORT = 8443;

export async function startTlsListener(
  options: TlsListenerOptions,
  host: string,
  handlers: {
    request: (req: IncomingMessage, res: ServerResponse) => void;
    upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  },
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer(
    {
      cert: options.cert,
      key: options.key,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    handlers.request,
  );
  server.on('upgrade', handlers.upgrade);
  // A TLS handshake that fails (a client that does not trust the server certificate) is its problem.
  server.on('tlsClientError', () => undefined);
  const port = options.port ?? DEFAULT_TLS_PORT;
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${host} is in use: set CSMS_TLS_PORT (0 picks a free one).`)
          : error,
      );
    server.once('error', failed);
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
