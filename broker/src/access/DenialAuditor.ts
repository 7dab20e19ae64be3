import type { AuditEvent } from '../store/SqliteStore.ts';

/** Options for {@link DenialAuditor}. */
export interface DenialAuditorOptions {
  /** Writes one audit event (the store's `audit`). */
  write: (event: AuditEvent) => void;
  /** Milliseconds of one rate window. */
  windowMs?: number;
  /** Most `access.denied` events written per window, over all addresses. */
  maxPerWindow?: number;
  /** Clock, for tests. Milliseconds since the epoch. */
  now?: () => number;
}

/** One refused request or connection. */
export interface Denial {
  /** Canonical client address, or the raw peer text (at most 64 characters) when it did not parse. */
  address: string;
  /** The scope and name of the list that refused (see `Decision`). */
  scope: string;
  name: string;
  /** `http`, `socket` (transport handshake), `/tech` or `/host` (namespace). */
  channel: string;
  /** Why: `outside_list` at the door, `list_changed` for a connected socket that was cut off. */
  reason: 'outside_list' | 'list_changed';
  actor?: string;
  hostId?: string;
}

/**
 * Writes an `access.denied` audit event for each refusal (ACL12) without
 * letting a flood fill the disk: the same address, list and channel is
 * written once per window, and at most `maxPerWindow` events per window in
 * all. What was held back is summed up in one `access.denied_suppressed`
 * event when the window ends.
 */
export class DenialAuditor {
  private readonly write: (event: AuditEvent) => void;
  private readonly windowMs: number;
  private readonly maxPerWindow: number;
  private readonly now: () => number;
  private windowStart = 0;
  private readonly seen = new Set<string>();
  private suppressed = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: DenialAuditorOptions) {
    this.write = options.write;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxPerWindow = options.maxPerWindow ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** Records a refusal; true when it was written, false when it was only counted. */
  record(denial: Denial): boolean {
    if (this.closed) return false;
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.flush();
      this.windowStart = now;
    }
    const key = `${denial.address}|${denial.scope}|${denial.name}|${denial.channel}|${denial.reason}`;
    if (this.seen.has(key) || this.seen.size >= this.maxPerWindow) {
      this.suppressed++;
      this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.windowStart + this.windowMs - now)).unref();
      return false;
    }
    this.seen.add(key);
    this.write({
      type: 'access.denied',
      address: denial.address,
      ...(denial.actor ? { actor: denial.actor } : {}),
      ...(denial.hostId ? { hostId: denial.hostId } : {}),
      detail: { scope: denial.scope, list: denial.name, channel: denial.channel, reason: denial.reason },
    });
    return true;
  }

  /** Writes the summary of held-back refusals, if any, and starts a new window. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.suppressed > 0 && !this.closed) {
      this.write({ type: 'access.denied_suppressed', detail: { count: this.suppressed, windowMs: this.windowMs } });
    }
    this.suppressed = 0;
    this.seen.clear();
    this.windowStart = this.now();
  }

  /** Writes the last summary and stops. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }
}
