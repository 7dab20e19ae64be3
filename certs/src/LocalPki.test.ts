import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { ensureLocalPki } from './LocalPki.ts';

test('creates a CA once and a server certificate signed by it that covers every name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-pki-'));
  try {
    const first = await ensureLocalPki({ dir, names: ['localhost', '127.0.0.1'] });
    assert.equal(first.createdCa, true);
    const ca = new X509Certificate(first.caCertPem);
    const server = new X509Certificate(first.serverCertPem);
    assert.ok(server.verify(ca.publicKey));
    assert.ok(server.checkHost('localhost'));
    assert.ok(server.checkIP('127.0.0.1'));
    assert.equal(statSync(join(dir, 'ca.key')).mode & 0o777, 0o600);

    const again = await ensureLocalPki({ dir, names: ['localhost', '127.0.0.1', 'broker.ward.local'] });
    assert.equal(again.createdCa, false);
    assert.equal(again.caFingerprint, first.caFingerprint);
    assert.ok(new X509Certificate(again.serverCertPem).checkHost('broker.ward.local'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
