import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** Options for {@link ensureLocalPki}. */
export interface LocalPkiOptions {
  /** Folder holding the CA and server files (keys written with mode 0600). */
  dir: string;
  /** DNS names and IP addresses the broker's server certificate must cover. */
  names: string[];
  /** Organisation shown in the certificates. */
  organisation?: string;
}

/** The hospital-local PKI material the broker serves HTTPS with. */
export interface LocalPki {
  /** Path of the CA certificate the admin distributes to browsers and host agents. */
  caCertPath: string;
  caCertPem: string;
  /** SHA-256 of the CA certificate (DER), colon-separated hex, for out-of-band comparison. */
  caFingerprint: string;
  serverCertPem: string;
  serverKeyPem: string;
  /** True when this call created a new CA. */
  createdCa: boolean;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/**
 * Makes sure a hospital CA and a broker server certificate exist in `dir`,
 * creating them on first start. The server certificate is re-issued when it
 * does not cover all `names` or expires within 30 days; the CA is kept.
 */
export async function ensureLocalPki(options: LocalPkiOptions): Promise<LocalPki> {
  const { dir, names } = options;
  const org = options.organisation ?? 'wardlink hospital';
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    cert: join(dir, 'server.crt'),
    key: join(dir, 'server.key'),
  };

  let createdCa = false;
  if (!existsSync(paths.caCert) || !existsSync(paths.caKey)) {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      name: `CN=${org} local CA, O=${org}`,
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + 10 * 365 * DAY_MS),
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    writeSecret(paths.caKey, await exportKeyPem(keys.privateKey));
    writeFileSync(paths.caCert, ca.toString('pem') + '\n');
    createdCa = true;
  }

  const caCertPem = readFileSync(paths.caCert, 'utf8');
  const caCert = new x509.X509Certificate(caCertPem);
  if (createdCa || needsServerCert(paths.cert, names)) {
    const caKey = await importKeyPem(readFileSync(paths.caKey, 'utf8'));
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.create({
      subject: `CN=${names[0] ?? 'localhost'}, O=${org}`,
      issuer: caCert.subject,
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + 397 * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names.map(toGeneralName)),
        await x509.AuthorityKeyIdentifierExtension.create(caCert),
      ],
    });
    writeSecret(paths.key, await exportKeyPem(keys.privateKey));
    writeFileSync(paths.cert, cert.toString('pem') + '\n' + caCertPem);
  }

  return {
    caCertPath: paths.caCert,
    caCertPem,
    caFingerprint: fingerprint(caCertPem),
    serverCertPem: readFileSync(paths.cert, 'utf8'),
    serverKeyPem: readFileSync(paths.key, 'utf8'),
    createdCa,
  };
}

/** Options for {@link issueClientCertificate}. */
export interface ClientCertificateOptions {
  /** Folder of the local CA (the broker's certificate folder, made by {@link ensureLocalPki}). */
  dir: string;
  /** Account the certificate is for; becomes the subject's common name. */
  commonName: string;
  /** Organisation shown in the subject. */
  organisation?: string;
  /** Days the certificate stays valid. */
  days: number;
}

/** A client certificate and its private key, as issued. */
export interface ClientCertificate {
  /** Serial number, hex upper case (as Node's `getPeerCertificate().serialNumber` shows it). */
  serial: string;
  /** SHA-256 of the certificate (DER), `AB:CD:...` (as Node's `fingerprint256` shows it). */
  fingerprint: string;
  certPem: string;
  /** PKCS#8 private key (ECDSA P-256). */
  keyPem: string;
  caCertPem: string;
  notAfter: Date;
}

/**
 * Issues a TLS client certificate (ECDSA P-256, extended key usage
 * clientAuth) from the local CA in `dir`, for a technician's browser.
 * Fails when the CA does not exist yet (the broker makes it on first start).
 */
export async function issueClientCertificate(options: ClientCertificateOptions): Promise<ClientCertificate> {
  const caCertPath = join(options.dir, 'ca.crt');
  const caKeyPath = join(options.dir, 'ca.key');
  if (!existsSync(caCertPath) || !existsSync(caKeyPath)) {
    throw new Error(`no local CA in ${options.dir}: start the broker once first`);
  }
  const caCertPem = readFileSync(caCertPath, 'utf8');
  const caCert = new x509.X509Certificate(caCertPem);
  const caKey = await importKeyPem(readFileSync(caKeyPath, 'utf8'));
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  // 16 random bytes, positive and without a leading zero byte, so every tool prints the same hex.
  const serialBytes = randomBytes(16);
  serialBytes[0] = (serialBytes[0]! & 0x7f) | 0x40;
  const serial = serialBytes.toString('hex').toUpperCase();
  const notAfter = new Date(Date.now() + options.days * DAY_MS);
  const org = options.organisation ?? 'wardlink hospital';
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${escapeDn(options.commonName)}, O=${escapeDn(org)}`,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  const certPem = cert.toString('pem') + '\n';
  return {
    serial,
    fingerprint: fingerprint(certPem),
    certPem,
    keyPem: await exportKeyPem(keys.privateKey),
    caCertPem,
    notAfter,
  };
}

/** Escapes the characters RFC 4514 reserves in a distinguished name value. */
function escapeDn(value: string): string {
  return value.replace(/[,+"\\<>;=#]/g, (c) => `\\${c}`);
}

/** SHA-256 fingerprint of the first certificate in a PEM text, as `AB:CD:...`. */
export function fingerprint(pem: string): string {
  const der = Buffer.from(new x509.X509Certificate(pem).rawData);
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

function needsServerCert(path: string, names: string[]): boolean {
  if (!existsSync(path)) return true;
  const cert = new x509.X509Certificate(readFileSync(path, 'utf8'));
  if (cert.notAfter.getTime() - Date.now() < 30 * DAY_MS) return true;
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const covered = new Set(san?.names.items.map((n) => n.value.toLowerCase()) ?? []);
  return names.some((n) => !covered.has(n.toLowerCase()));
}

function toGeneralName(name: string): x509.JsonGeneralName {
  const isIp = /^[\d.]+$/.test(name) || name.includes(':');
  return { type: isIp ? 'ip' : 'dns', value: name };
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0]!;
  return webcrypto.subtle.importKey('pkcs8', der, ALG, false, ['sign']);
}

function writeSecret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}
