/**
 * The one entry to @peculiar/x509: it needs the reflect-metadata polyfill loaded once before it is
 * used (its ASN.1 schemas are registered through decorators). Everything in shared/pki imports
 * X.509 from here, never from the package directly.
 */
import 'reflect-metadata';

export * as x509 from '@peculiar/x509';
