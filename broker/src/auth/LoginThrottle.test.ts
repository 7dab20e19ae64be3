import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthStore } from '../store/AuthStore.ts';
import { SqliteStore } from '../store/SqliteStore.ts';
import { LoginThrottle, type ThrottleVerdict } from './LoginThrottle.ts';

const WINDOW = 15 * 60_000;

describe('LoginThrottle (AUTH9)', () => {
  let dir: string;
  let store: SqliteStore;
  let now: number;
  let throttle: LoginThrottle;

  const open = (): LoginThrottle => {
    store = new SqliteStore(dir);
    return new LoginThrottle({ store: new AuthStore(store), windowMs: WINDOW, maxPerUser: 5, maxPerAddress: 8, now: () => now });
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wl-throttle-'));
    now = 1_700_000_000_000;
    throttle = open();
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Lets `count` attempts through and leaves them failed, one second apart. */
  function fail(count: number, username = 'tanaka', address = '10.0.0.1'): void {
    for (let i = 0; i < count; i++) {
      assert.equal(throttle.begin(username, address).ok, true, `attempt ${i + 1} is let through`);
      now += 1000;
    }
  }

  function refused(verdict: ThrottleVerdict): { scope: string; retryAt: number } {
    assert.equal(verdict.ok, false);
    return verdict as { ok: false; scope: string; retryAt: number };
  }

  test('the sixth attempt on a username within the window is refused until the first failure ages out', () => {
    const first = now;
    fail(5);
    const verdict = refused(throttle.begin('tanaka', '10.0.0.2'));
    assert.equal(verdict.scope, 'user');
    assert.equal(verdict.retryAt, first + WINDOW);
    now = first + WINDOW - 1;
    assert.equal(throttle.begin('tanaka', '10.0.0.2').ok, false);
    now = first + WINDOW;
    assert.equal(throttle.begin('tanaka', '10.0.0.2').ok, true, 'the window slides');
  });

  test('a refused attempt does not extend the lock', () => {
    const first = now;
    fail(5);
    for (let i = 0; i < 20; i++) assert.equal(refused(throttle.begin('tanaka', '10.0.0.1')).retryAt, first + WINDOW);
  });

  test('one address guessing many usernames is refused after its own limit', () => {
    for (let i = 0; i < 8; i++) fail(1, `user${i}`, '10.0.0.9');
    const verdict = refused(throttle.begin('somebody', '10.0.0.9'));
    assert.equal(verdict.scope, 'address');
    assert.equal(throttle.begin('somebody', '10.0.0.10').ok, true, 'other addresses are not affected');
  });

  test('a success forgets the username failures but still counts earlier ones for the address', () => {
    fail(4);
    const verdict = throttle.begin('tanaka', '10.0.0.1');
    assert.ok(verdict.ok);
    throttle.succeeded(verdict.attempt);
    fail(4);
    assert.equal(throttle.begin('tanaka', '10.0.0.1').ok, false, 'the address has 8 failures now');
    assert.equal(throttle.begin('tanaka', '10.0.0.3').ok, true, 'the username has 4 failures since its success');
  });

  test('a withdrawn attempt does not count', () => {
    for (let i = 0; i < 10; i++) {
      const verdict = throttle.begin('tanaka', '10.0.0.1');
      assert.ok(verdict.ok);
      throttle.withdraw(verdict.attempt);
    }
    assert.equal(throttle.begin('tanaka', '10.0.0.1').ok, true);
  });

  test('attempts still in flight count, so parallel guesses cannot pass the limit', () => {
    const verdicts = Array.from({ length: 12 }, () => throttle.begin('tanaka', '10.0.0.1'));
    assert.equal(verdicts.filter((v) => v.ok).length, 5);
  });

  test('failures survive reopening the database (a broker restart)', () => {
    const first = now;
    fail(5);
    store.close();
    throttle = open();
    assert.equal(refused(throttle.begin('tanaka', '10.0.0.1')).retryAt, first + WINDOW);
  });

  test('unlock forgets the username failures', () => {
    fail(5);
    throttle.unlock('tanaka');
    assert.equal(throttle.begin('tanaka', '10.0.0.2').ok, true);
  });
});
