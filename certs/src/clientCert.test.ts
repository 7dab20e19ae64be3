import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { ensureLocalPki, issueClientCertificate, type LocalPki } from './LocalPki.ts';
import { toPkcs12 } from './pkcs12.ts';

let dir: string;
let pki: LocalPki;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wl-client-cert-'));
  pki = await ensureLocalPki({ dir, names: ['localhost'] });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('AUTH11: a client certificate is signed by the local CA, for client authentication only, with its own key', async () => {
  const cert = await issueClientCertificate({ dir, commonName: 'tanaka', organisation: 'Vendor, KK', days: 30 });
  const x = new X509Certificate(cert.certPem);
  assert.ok(x.verify(new X509Certificate(pki.caCertPem).publicKey));
  assert.match(x.subject, /CN=tanaka/);
  assert.deepEqual(x.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.equal(x.ca, false);
  assert.equal(x.serialNumber.toUpperCase(), cert.serial);
  assert.equal(x.fingerprint256, cert.fingerprint);
  assert.ok(Math.abs(new Date(x.validTo).getTime() - (Date.now() + 30 * 86_400_000)) < 120_000);
  assert.ok(x.checkPrivateKey(createPrivateKey(cert.keyPem)));
  const other = await issueClientCertificate({ dir, commonName: 'tanaka', days: 30 });
  assert.notEqual(other.serial, cert.serial);
});

test('issuing fails without a local CA', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'wl-no-ca-'));
  try {
    await assert.rejects(issueClientCertificate({ dir: empty, commonName: 'x', days: 1 }), /no local CA/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('AUTH11: the PKCS#12 export opens with its passphrase only and holds the key and both certificates', async () => {
  const cert = await issueClientCertificate({ dir, commonName: 'tanaka', days: 30 });
  const pfx = toPkcs12({ certPem: cert.certPem, keyPem: cert.keyPem, caCertPem: cert.caCertPem, passphrase: 'correct horse', name: 'tanaka' });
  // OpenSSL (through Node) checks the MAC, decrypts the key and pairs it with the certificate.
  assert.doesNotThrow(() => createSecureContext({ pfx, passphrase: 'correct horse' }));
  assert.throws(() => createSecureContext({ pfx, passphrase: 'wrong horse' }));
  const der = pfx.toString('latin1');
  assert.ok(der.includes(Buffer.from(new X509Certificate(cert.certPem).raw).toString('latin1')), 'the client certificate');
  assert.ok(der.includes(Buffer.from(new X509Certificate(cert.caCertPem).raw).toString('latin1')), 'the CA certificate');
});
