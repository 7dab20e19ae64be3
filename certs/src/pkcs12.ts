// PKCS#12 (RFC 7292) export of a client certificate and its key, for importing into a browser or
// the operating system's certificate store. The layout is OpenSSL 3's default: the key in a
// PBES2 shrouded key bag (PBKDF2-HMAC-SHA256, AES-256-CBC), the certificates in plain cert bags
// (they are public), and an HMAC-SHA256 integrity MAC keyed with the PKCS#12 KDF.
import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** What goes into a .p12 file. */
export interface Pkcs12Options {
  certPem: string;
  /** PKCS#8 private key of `certPem`. */
  keyPem: string;
  /** The issuing CA, included so the importer can show the chain. */
  caCertPem?: string;
  passphrase: string;
  /** Name shown by the importer. */
  name: string;
  /** PBKDF2 and MAC iterations. */
  iterations?: number;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

/** Encodes a certificate, its key and optionally the CA certificate as a password-protected PKCS#12 file. */
export function toPkcs12(options: Pkcs12Options): Buffer {
  const iterations = options.iterations ?? 2048;
  const certDer = pemBody(options.certPem, 'CERTIFICATE');
  const keyId = createHash('sha1').update(certDer).digest();
  const attributes = set(
    attribute(OID.friendlyName, bmpString(options.name)),
    attribute(OID.localKeyId, octetString(keyId)),
  );
  const certBags = [safeBag(OID.certBag, certBag(certDer), attributes)];
  if (options.caCertPem) certBags.push(safeBag(OID.certBag, certBag(pemBody(options.caCertPem, 'CERTIFICATE'))));
  const keyBag = safeBag(OID.shroudedKeyBag, shroudKey(pemBody(options.keyPem, 'PRIVATE KEY'), options.passphrase, iterations), attributes);

  const authSafe = seq(dataContentInfo(seq(...certBags)), dataContentInfo(seq(keyBag)));
  const macSalt = randomBytes(16);
  const macKey = pkcs12Kdf(options.passphrase, macSalt, iterations);
  const mac = createHmac('sha256', macKey).update(authSafe).digest();
  const macData = seq(seq(algorithm(OID.sha256, nullValue()), octetString(mac)), octetString(macSalt), integer(iterations));
  return seq(integer(3), dataContentInfo(authSafe), macData);
}

/** EncryptedPrivateKeyInfo with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC). */
function shroudKey(pkcs8: Buffer, passphrase: string, iterations: number): Buffer {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  const kdf = algorithm(OID.pbkdf2, seq(octetString(salt), integer(iterations), algorithm(OID.hmacWithSha256, nullValue())));
  const scheme = algorithm(OID.aes256Cbc, octetString(iv));
  return seq(algorithm(OID.pbes2, seq(kdf, scheme)), octetString(encrypted));
}

/**
 * The PKCS#12 key derivation (RFC 7292 appendix B.2) with SHA-256 for the
 * MAC key (ID 3): the password as a NUL-terminated BMPString.
 */
export function pkcs12Kdf(passphrase: string, salt: Buffer, iterations: number): Buffer {
  const u = 32;
  const v = 64;
  const password = Buffer.concat([bmpBytes(passphrase), Buffer.alloc(2)]);
  const fill = (bytes: Buffer): Buffer => {
    if (bytes.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(bytes.length / v));
    for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length]!;
    return out;
  };
  const d = Buffer.alloc(v, 3);
  let a = createHash('sha256').update(Buffer.concat([d, fill(salt), fill(password)])).digest();
  for (let i = 1; i < iterations; i++) a = createHash('sha256').update(a).digest();
  // One block suffices: the MAC key is u = 32 bytes long.
  return a.subarray(0, u);
}

function safeBag(bagId: string, value: Buffer, attributes?: Buffer): Buffer {
  return attributes ? seq(oid(bagId), explicit0(value), attributes) : seq(oid(bagId), explicit0(value));
}

function certBag(der: Buffer): Buffer {
  return seq(oid(OID.x509Certificate), explicit0(octetString(der)));
}

function attribute(id: string, value: Buffer): Buffer {
  return seq(oid(id), set(value));
}

function dataContentInfo(content: Buffer): Buffer {
  return seq(oid(OID.data), explicit0(octetString(content)));
}

function algorithm(id: string, params: Buffer): Buffer {
  return seq(oid(id), params);
}

function pemBody(pem: string, label: string): Buffer {
  const match = new RegExp(`-----BEGIN ${label}-----([^-]+)-----END ${label}-----`).exec(pem);
  if (!match) throw new Error(`no ${label} in the PEM text`);
  return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
}

function bmpBytes(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

// A minimal DER writer: just the types PKCS#12 needs.

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/** DER SET OF: elements in ascending order of their encodings. */
function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));
}

function explicit0(content: Buffer): Buffer {
  return tlv(0xa0, content);
}

function octetString(bytes: Buffer): Buffer {
  return tlv(0x04, bytes);
}

function nullValue(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

function bmpString(text: string): Buffer {
  return tlv(0x1e, bmpBytes(text));
}

function integer(value: number): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk = [part & 0x7f];
    for (let rest = Math.floor(part / 128); rest > 0; rest = Math.floor(rest / 128)) chunk.unshift((rest & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
