import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { PIN_ATTEMPTS, PIN_DIGITS, parseJson } from '@wardlink/protocol';
import { writeDurably } from '../durable.ts';

/** Failed attempts after which the PIN is void and the host locks (PIN5). */
export const MAX_PIN_FAILURES = PIN_ATTEMPTS;

const GATE_FILE = 'pin-gate.json';

/** What survives an agent restart: the attempt counter and the lock (PIN5). Never the PIN itself. */
const GateRecord = v.strictObject({
  version: v.literal(1),
  /** Attempts on the current PIN that have not (yet) been confirmed. */
  failures: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000)),
  /** When the host locked, milliseconds since the epoch; absent when not locked. */
  lockedAt: v.optional(v.pipe(v.number(), v.finite())),
  /** Whether the broker has acknowledged the lock's audit event. */
  lockReported: v.boolean(),
});
type GateRecord = v.InferOutput<typeof GateRecord>;

const UNLOCKED: GateRecord = { version: 1, failures: 0, lockReported: true };

/**
 * The host's PIN gate: makes PINs and counts handshake attempts on disk, so a restart cannot reset
 * the count (docs/SPEC.md PIN5). An attempt is written as failed before the host answers M1 and is
 * only cleared when the viewer's key confirmation verifies. An unreadable state file locks the gate
 * (fail closed) until the ward user acknowledges the alarm.
 */
export class PinGate {
  private readonly file: string;
  private record: GateRecord;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = join(dataDir, GATE_FILE);
    this.record = this.load();
  }

  /** A fresh PIN: 8 uniformly random digits from the CSPRNG. Shown on the ward page only. */
  newPin(): string {
    return String(randomInt(0, 10 ** PIN_DIGITS)).padStart(PIN_DIGITS, '0');
  }

  get locked(): boolean {
    return this.record.lockedAt !== undefined;
  }

  get lockedAt(): number | undefined {
    return this.record.lockedAt;
  }

  get lockReported(): boolean {
    return this.record.lockReported;
  }

  /** Attempts left on the current PIN. */
  get attemptsLeft(): number {
    return Math.max(0, MAX_PIN_FAILURES - this.record.failures);
  }

  /** A new PIN was made: its attempts start from zero (a lock stays until acknowledged). */
  resetForNewPin(): void {
    if (!this.locked) this.save({ ...this.record, failures: 0 });
  }

  /** Counts an attempt as failed, durably, before the host answers it. */
  beginAttempt(): void {
    this.save({ ...this.record, failures: this.record.failures + 1 });
  }

  /** Key confirmation verified: the attempt did not fail after all. */
  confirmAttempt(): void {
    this.save({ ...this.record, failures: 0 });
  }

  /** The attempt failed; locks when no attempts are left. Returns whether the gate is now locked. */
  failAttempt(now = Date.now()): boolean {
    if (this.record.failures >= MAX_PIN_FAILURES && !this.locked) {
      this.save({ ...this.record, lockedAt: now, lockReported: false });
    }
    return this.locked;
  }

  /** The broker stored the lock's audit event. */
  markLockReported(): void {
    if (this.locked) this.save({ ...this.record, lockReported: true });
  }

  /** The ward user acknowledged the alarm: new requests for help are possible again. */
  acknowledgeLock(): void {
    this.save(UNLOCKED);
  }

  private load(): GateRecord {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return UNLOCKED;
      return lockedNow();
    }
    const parsed = parseJson(GateRecord, text, 4096);
    return parsed.ok ? parsed.value : lockedNow();
  }

  /** Writes the record atomically and durably. */
  private save(record: GateRecord): void {
    writeDurably(this.file, JSON.stringify(record));
    this.record = record;
  }
}

/** The state an unreadable gate file is read as: locked, so the ward user must look (fail closed). */
function lockedNow(): GateRecord {
  return { version: 1, failures: MAX_PIN_FAILURES, lockedAt: Date.now(), lockReported: false };
}
