/**
 * The local station CA (npm start, tests): an ECDSA P-256 key and its self-signed certificate in
 * `{dataDir}/pki/` (`ca.pem`, `ca-key.pem` mode 0600), created on first start like the API token;
 * or, without a data dir, a process-wide CA in memory. The gateway's wss:// listener reads
 * `ca.pem` as its trust anchor for client certificates (security profile 3).
 */
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SigningAuthority,
  type AuthorityOptions,
  type CaCertificateStore,
  type CaSigner,
} from './authority.js';

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Signs with a WebCrypto private key held in this process. */
export class KeySigner implements CaSigner {
  constructor(
    private readonly privateKey: CryptoKey,
    private readonly spki: ArrayBuffer,
  ) {}

  static async generate(): Promise<{ signer: KeySigner; pkcs8Pem: string }> {
    const pair = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
    const spki = await webcrypto.subtle.exportKey('spki', pair.publicKey);
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey));
    const pkcs8Pem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
      .toString('base64')
      .replace(/(.{64})/g, '$1\n')
      .replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
    return { signer: new KeySigner(pair.privateKey, spki), pkcs8Pem };
  }

  static async fromPkcs8Pem(pem: string, spki: ArrayBuffer): Promise<KeySigner> {
    const der = Buffer.from(pem.replace(/-----(BEGIN|END) PRIVATE KEY-----|\s+/g, ''), 'base64');
    const key = await webcrypto.subtle.importKey('pkcs8', der, EC_P256, false, ['sign']);
    return new KeySigner(key, spki);
  }

  async publicKeySpki(): Promise<ArrayBuffer> {
    return this.spki;
  }

  async sign(data: ArrayBuffer): Promise<ArrayBuffer> {
    return webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.privateKey, data);
  }
}

/** A CA certificate kept in memory (with the in-memory signer). */
export class MemoryCertificateStore implements CaCertificateStore {
  #pem: string | undefined;
  async get(): Promise<string | undefined> {
    return this.#pem;
  }
  async putIfAbsent(pem: string): Promise<string> {
    this.#pem ??= pem;
    return this.#pem;
  }
}

const exists = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/**
 * The CA in `dir`: created (key, then certificate) when `ca.pem` is not there yet. Called by the
 * local host at start, so `ca.pem` exists before any station connects, and by the functions.
 */
export async function fileAuthority(dir: string, options: AuthorityOptions): Promise<SigningAuthority> {
  const certFile = join(dir, CA_CERT_FILE);
  const keyFile = join(dir, CA_KEY_FILE);
  let keyPem = await exists(keyFile);
  let signer: KeySigner;
  if (keyPem === undefined) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const generated = await KeySigner.generate();
    try {
      // 'wx': a concurrent first start keeps the key written first.
      await writeFile(keyFile, generated.pkcs8Pem, { mode: 0o600, flag: 'wx' });
      signer = generated.signer;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      keyPem = (await exists(keyFile)) ?? '';
      signer = await signerFromPem(keyPem);
    }
  } else {
    signer = await signerFromPem(keyPem);
  }
  const certificates: CaCertificateStore = {
    get: () => exists(certFile),
    async putIfAbsent(pem) {
      try {
        await writeFile(certFile, pem, { mode: 0o644, flag: 'wx' });
        return pem;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        return (await exists(certFile)) ?? pem;
      }
    },
  };
  const authority = new SigningAuthority(signer, certificates, options);
  await authority.caCertificatesPem(); // ca.pem exists from now on
  return authority;
}

async function signerFromPem(pkcs8Pem: string): Promise<KeySigner> {
  const spki = createPublicKey(createPrivateKey(pkcs8Pem)).export({ format: 'der', type: 'spki' });
  return KeySigner.fromPkcs8Pem(pkcs8Pem, new Uint8Array(spki).buffer);
}

let memory: Promise<SigningAuthority> | undefined;

/** A CA that lives as long as this process (no data dir: tests). */
export function memoryAuthority(options: AuthorityOptions): Promise<SigningAuthority> {
  memory ??= KeySigner.generate().then(
    ({ signer }) => new SigningAuthority(signer, new MemoryCertificateStore(), options),
  );
  return memory;
}
