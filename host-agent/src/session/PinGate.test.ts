// PIN5: PIN attempts are counted on disk and a lock survives a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PIN_FAILURES, PinGate } from './PinGate.ts';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'pingate-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('PINs are 8 digits and vary', () => {
  withDir((dir) => {
    const gate = new PinGate(dir);
    const pins = new Set(Array.from({ length: 200 }, () => gate.newPin()));
    for (const pin of pins) assert.match(pin, /^\d{8}$/);
    assert.ok(pins.size > 195);
  });
});

test('an attempt counts from its start, a confirmation clears it, and the count is on disk', () => {
  withDir((dir) => {
    const gate = new PinGate(dir);
    gate.beginAttempt();
    assert.equal(new PinGate(dir).attemptsLeft, MAX_PIN_FAILURES - 1, 'a crash mid-attempt keeps the count');
    gate.confirmAttempt();
    assert.equal(new PinGate(dir).attemptsLeft, MAX_PIN_FAILURES);
  });
});

test('the third failure locks; the lock survives a restart until acknowledged', () => {
  withDir((dir) => {
    const gate = new PinGate(dir);
    for (let i = 1; i <= MAX_PIN_FAILURES; i++) {
      gate.beginAttempt();
      assert.equal(gate.failAttempt(1000), i === MAX_PIN_FAILURES);
    }
    const restarted = new PinGate(dir);
    assert.equal(restarted.locked, true);
    assert.equal(restarted.lockedAt, 1000);
    assert.equal(restarted.lockReported, false);
    restarted.resetForNewPin();
    assert.equal(new PinGate(dir).locked, true, 'a new PIN does not clear a lock');
    restarted.markLockReported();
    assert.equal(new PinGate(dir).lockReported, true);
    restarted.acknowledgeLock();
    assert.equal(new PinGate(dir).locked, false);
    assert.equal(new PinGate(dir).attemptsLeft, MAX_PIN_FAILURES);
  });
});

test('an unreadable or tampered state file locks (fail closed); nothing about the PIN is stored', () => {
  withDir((dir) => {
    const gate = new PinGate(dir);
    gate.beginAttempt();
    const stored = readFileSync(join(dir, 'pin-gate.json'), 'utf8');
    assert.deepEqual(Object.keys(JSON.parse(stored) as object).sort(), ['failures', 'lockReported', 'version']);
    for (const bad of ['{not json', JSON.stringify({ version: 1, failures: -1, lockReported: true }), JSON.stringify({ version: 2 })]) {
      writeFileSync(join(dir, 'pin-gate.json'), bad);
      assert.equal(new PinGate(dir).locked, true, bad);
    }
  });
});
