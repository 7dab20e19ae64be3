import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostAuthMessage, PROTOCOL_VERSION } from '@wardlink/protocol';
import { SqliteStore } from '../store/SqliteStore.ts';
import { HostRegistry } from './HostRegistry.ts';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'wl-hosts-'));
  const store = new SqliteStore(dir);
  const hosts = new HostRegistry({ store });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = String(publicKey.export({ format: 'jwk' }).x);
  const signNonce = (hostId: string, nonce: string) =>
    sign(null, Buffer.from(hostAuthMessage(hostId, nonce)), privateKey).toString('base64url');
  return { hosts, raw, signNonce, done: () => (store.close(), rmSync(dir, { recursive: true, force: true })) };
}

test('AUTH3: an enrollment token works once', () => {
  const { hosts, raw, done } = setup();
  try {
    const token = hosts.issueEnrollToken('PC');
    assert.ok(hosts.enroll(token, 'PC', raw));
    assert.equal(hosts.enroll(token, 'PC again', raw), undefined);
    assert.equal(hosts.enroll('A'.repeat(43), 'PC', raw), undefined);
  } finally {
    done();
  }
});

test('AUTH3: an expired enrollment token is refused', () => {
  const { hosts, raw, done } = setup();
  try {
    assert.equal(hosts.enroll(hosts.issueEnrollToken('PC', -1), 'PC', raw), undefined);
  } finally {
    done();
  }
});

test('AUTH4: a signed nonce authenticates once; a replay, a wrong host or a bad signature does not', () => {
  const { hosts, raw, signNonce, done } = setup();
  try {
    const host = hosts.enroll(hosts.issueEnrollToken('PC'), 'PC', raw)!;
    const nonce = hosts.challenge(host.id)!;
    const auth = { protocolVersion: PROTOCOL_VERSION, hostId: host.id, nonce, signature: signNonce(host.id, nonce) };
    assert.equal(hosts.authenticate(auth)?.id, host.id);
    assert.equal(hosts.authenticate(auth), undefined, 'replayed nonce');

    const n2 = hosts.challenge(host.id)!;
    const forged = signNonce(host.id, n2).replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    assert.equal(hosts.authenticate({ ...auth, nonce: n2, signature: forged }), undefined, 'bad signature');
    assert.equal(hosts.challenge('unknown-host-id'), undefined);
  } finally {
    done();
  }
});
