import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthStore } from '../store/AuthStore.ts';
import { SqliteStore, type UserRecord } from '../store/SqliteStore.ts';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, totpCode, totpStep, totpUri } from './totp.ts';
import { TotpFactor } from './TotpFactor.ts';

/** RFC 6238 appendix B, SHA-1 key "12345678901234567890", last 6 of the 8 digits. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('TOTP codes (AUTH5)', () => {
  test('codes match the RFC 6238 SHA-1 test vectors', () => {
    for (const [seconds, code] of RFC_VECTORS) assert.equal(totpCode(RFC_SECRET, seconds * 1000), code, `T=${seconds}`);
  });

  test('a code matches one step either side of now and names its step; two steps away it does not', () => {
    const now = 1_700_000_015_000;
    const step = totpStep(now);
    for (const delta of [-1, 0, 1]) {
      assert.equal(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now + delta * 30_000), now), step + delta);
    }
    for (const delta of [-2, 2]) assert.equal(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now + delta * 30_000), now), undefined);
    assert.equal(matchTotp(RFC_SECRET, '12345', now), undefined);
    assert.equal(matchTotp(RFC_SECRET, '12345a', now), undefined);
  });

  test('a new secret has 160 bits and its URI names the issuer, account and parameters', () => {
    const secret = newTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'tanaka', 'Ward Hospital'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Ward Hospital:tanaka');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });

  test('recovery codes are ten distinct 80-bit codes; their hash ignores case and dashes', () => {
    const codes = newRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    assert.equal(hashRecoveryCode(codes[0]!), hashRecoveryCode(codes[0]!.replace(/-/g, ' ').toUpperCase()));
    assert.notEqual(hashRecoveryCode(codes[0]!), hashRecoveryCode(codes[1]!));
  });
});

describe('TotpFactor (AUTH6-AUTH8)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-totp-'));
  const store = new SqliteStore(dir);
  const auth = new AuthStore(store);
  let now = 1_700_000_000_000;
  const factor = new TotpFactor({ store: auth, issuer: 'wardlink', now: () => now });
  let users = 0;
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function newUser(): UserRecord {
    const user: UserRecord = { id: `user-${String(++users).padStart(4, '0')}`, username: `u${users}`, name: 'U', organisation: '', role: 'vendor', passwordHash: 'x' };
    store.addUser(user);
    return user;
  }

  function enrolled(): { user: UserRecord; secret: string; recoveryCodes: string[] } {
    const user = newUser();
    const setup = factor.begin(user)!;
    assert.equal(factor.confirm(user.id, totpCode(setup.secret, now)), true);
    now += 30_000;
    return { user, secret: setup.secret, recoveryCodes: setup.recoveryCodes };
  }

  test('AUTH8: a pending secret signs nobody in until a code from it confirms it', () => {
    const user = newUser();
    const setup = factor.begin(user)!;
    assert.equal(factor.isEnrolled(user.id), false);
    assert.deepEqual(factor.verify(user.id, { code: totpCode(setup.secret, now) }), { ok: false, reason: 'wrong_code' });
    assert.equal(factor.confirm(user.id, totpCode(setup.secret, now + 90_000)), false, 'a code three steps away does not confirm');
    assert.equal(factor.confirm(user.id, totpCode(setup.secret, now)), true);
    assert.equal(factor.isEnrolled(user.id), true);
    assert.equal(factor.begin(user), undefined, 'an enrolled user cannot be enrolled again without a reset');
  });

  test('AUTH8: enrolling again before confirming replaces the secret and the recovery codes', () => {
    const user = newUser();
    const first = factor.begin(user)!;
    const second = factor.begin(user)!;
    assert.notEqual(first.secret, second.secret);
    assert.equal(factor.confirm(user.id, totpCode(first.secret, now)), false);
    assert.equal(factor.confirm(user.id, totpCode(second.secret, now)), true);
    assert.equal(factor.verify(user.id, { recoveryCode: first.recoveryCodes[0] }).ok, false);
    assert.equal(factor.recoveryCodesLeft(user.id), 10);
  });

  test('AUTH6: a code works once; a replay and an older step after a newer one are refused', () => {
    const { user, secret } = enrolled();
    const code = totpCode(secret, now);
    assert.deepEqual(factor.verify(user.id, { code }), { ok: true, method: 'totp' });
    assert.deepEqual(factor.verify(user.id, { code }), { ok: false, reason: 'replayed_code' });
    assert.deepEqual(factor.verify(user.id, { code: totpCode(secret, now + 30_000) }), { ok: true, method: 'totp' });
    assert.deepEqual(factor.verify(user.id, { code: totpCode(secret, now - 30_000) }), { ok: false, reason: 'replayed_code' });
  });

  test('AUTH6: the code that confirmed enrolment cannot sign in afterwards', () => {
    const user = newUser();
    const setup = factor.begin(user)!;
    const code = totpCode(setup.secret, now);
    assert.equal(factor.confirm(user.id, code), true);
    assert.deepEqual(factor.verify(user.id, { code }), { ok: false, reason: 'replayed_code' });
  });

  test('AUTH5: a wrong or missing code is refused', () => {
    const { user, secret } = enrolled();
    const right = totpCode(secret, now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    assert.deepEqual(factor.verify(user.id, { code: wrong }), { ok: false, reason: 'wrong_code' });
    assert.deepEqual(factor.verify(user.id, {}), { ok: false, reason: 'missing_code' });
  });

  test('AUTH7: each recovery code works once, in any case and spacing; others stay usable', () => {
    const { user, recoveryCodes } = enrolled();
    const [first, second] = recoveryCodes;
    assert.deepEqual(factor.verify(user.id, { recoveryCode: first!.toUpperCase() }), { ok: true, method: 'recovery_code' });
    assert.deepEqual(factor.verify(user.id, { recoveryCode: first }), { ok: false, reason: 'wrong_recovery_code' });
    assert.equal(factor.recoveryCodesLeft(user.id), 9);
    assert.deepEqual(factor.verify(user.id, { recoveryCode: second!.replace(/-/g, '') }), { ok: true, method: 'recovery_code' });
    assert.deepEqual(factor.verify(user.id, { recoveryCode: 'aaaa-bbbb-cccc-dddd' }), { ok: false, reason: 'wrong_recovery_code' });
  });

  test('AUTH7: a recovery code of another user does not work', () => {
    const a = enrolled();
    const b = enrolled();
    assert.deepEqual(factor.verify(b.user.id, { recoveryCode: a.recoveryCodes[0] }), { ok: false, reason: 'wrong_recovery_code' });
  });

  test('AUTH8: a reset forgets the secret and the recovery codes', () => {
    const { user, secret, recoveryCodes } = enrolled();
    factor.reset(user.id);
    assert.equal(factor.isEnrolled(user.id), false);
    assert.equal(factor.verify(user.id, { code: totpCode(secret, now) }).ok, false);
    assert.equal(factor.verify(user.id, { recoveryCode: recoveryCodes[0] }).ok, false);
    assert.ok(factor.begin(user));
  });
});
