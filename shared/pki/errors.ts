/**
 * The CA's refusal of a CSR, in a module of its own so the station path can recognise it without
 * loading the CA and its X.509 library at import (issue 14: they load on the first SignCertificate).
 */
import type { CsrRefusal } from './csr.js';

export class CsrRefusedError extends Error {
  constructor(
    readonly reason: CsrRefusal,
    readonly detail: string,
  ) {
    super(`certificate signing request refused (${reason}): ${detail}`);
    this.name = 'CsrRefusedError';
  }
}
