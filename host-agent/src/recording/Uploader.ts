import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import * as v from 'valibot';
import { Id, RecordingPart, parseJson, type RecordingUploadGrant, type UploadResult } from '@wardlink/protocol';
import { writeDurably } from '../durable.ts';

/** What the uploader needs from the broker link (BrokerClient implements it). */
export interface UploadLink {
  readonly online: boolean;
  startRecording(recordingId: string, sessionId: string): Promise<RecordingUploadGrant>;
  uploadPart(recordingId: string, part: string, bytes: Uint8Array, token: string): Promise<UploadResult>;
  on(event: 'online', listener: () => void): () => void;
}

/** Options for {@link Uploader}. */
export interface UploaderOptions {
  /** The agent's data folder; the spool lives in `spool/` under it. */
  dataDir: string;
  link: UploadLink;
  log: Logger;
  /** Milliseconds of the first retry delay; doubles up to 30 s. */
  retryMs?: number;
}

/** The spool's record of a recording: which session it belongs to. Files on disk are validated. */
const SpoolMeta = v.strictObject({ recordingId: Id, sessionId: Id });

const MAX_RETRY_MS = 30_000;

/**
 * Uploads a recording's ciphertext parts without loss (docs/SPEC.md UPL5, REC*): each part is
 * written to the agent's spool (`<dataDir>/spool/<recordingId>/`, fsynced, atomic rename) before
 * anything is sent, and removed only once the broker acknowledged it (`new` or `duplicate`). A
 * network cut, a broker restart, a full disk at the broker or an agent restart only delay the
 * upload: the spool is read again at start and retried with backoff. Only ciphertext is spooled.
 */
export class Uploader {
  private readonly options: UploaderOptions;
  private readonly root: string;
  private readonly grants = new Map<string, RecordingUploadGrant>();
  private running: Promise<void> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs: number;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(options: UploaderOptions) {
    this.options = options;
    this.root = join(options.dataDir, 'spool');
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    this.retryMs = options.retryMs ?? 1000;
    this.unsubscribe = options.link.on('online', () => this.kick());
  }

  /** Announces a recording of `sessionId` (kept in the spool, so it survives a restart). */
  begin(recordingId: string, sessionId: string): void {
    const dir = join(this.root, recordingId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeDurably(join(dir, 'meta.json'), Buffer.from(JSON.stringify({ recordingId, sessionId })));
  }

  /** Spools one part durably, then schedules its upload. Resolves once it is on disk. */
  add(recordingId: string, part: RecordingPart, bytes: Uint8Array): void {
    writeDurably(join(this.root, recordingId, part), bytes);
    this.kick();
  }

  /** Parts not yet acknowledged, per recording. */
  pending(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const recordingId of list(this.root)) {
      const parts = list(join(this.root, recordingId)).filter((n) => v.is(RecordingPart, n));
      if (parts.length > 0) out.set(recordingId, parts);
    }
    return out;
  }

  /** Starts (or restarts) the upload loop now. */
  kick(): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.options.log.warn({ err: String(err) }, 'upload round failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when every spooled part is acknowledged (for tests and orderly shutdown), or rejects after `timeoutMs`. */
  async flushed(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending().size > 0 || this.running) {
      if (Date.now() > deadline) throw new Error('recording parts are still waiting for the broker');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops uploading; spooled parts stay for the next start. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.unsubscribe();
  }

  private async drain(): Promise<void> {
    if (!this.options.link.online) return;
    let failed = false;
    for (const [recordingId, parts] of this.pending()) {
      if (this.closed) return;
      try {
        await this.uploadRecording(recordingId, parts);
      } catch (err) {
        failed = true;
        this.grants.delete(recordingId);
        this.options.log.warn({ recordingId, err: String(err) }, 'recording upload will be retried');
      }
    }
    if (failed) this.scheduleRetry();
    else this.retryMs = this.options.retryMs ?? 1000;
  }

  private async uploadRecording(recordingId: string, parts: string[]): Promise<void> {
    const dir = join(this.root, recordingId);
    const meta = parseJson(SpoolMeta, readFileSync(join(dir, 'meta.json'), 'utf8'), 1024);
    if (!meta.ok) throw new Error(`spool of ${recordingId} has no readable meta.json`);
    let grant = this.grants.get(recordingId);
    if (!grant || grant.expiresAt - 60_000 < Date.now()) {
      grant = await this.options.link.startRecording(recordingId, meta.value.sessionId);
      this.grants.set(recordingId, grant);
    }
    for (const part of order(parts)) {
      const bytes = readFileSync(join(dir, part));
      await this.options.link.uploadPart(recordingId, part, bytes, grant.uploadToken);
      rmSync(join(dir, part));
      if (part === 'manifest') {
        rmSync(dir, { recursive: true, force: true });
        this.grants.delete(recordingId);
      }
    }
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.kick(), this.retryMs);
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
  }
}

/** Header first, segments in order, manifest last: the broker's index then grows in order. */
function order(parts: string[]): string[] {
  const rank = (p: string): number => (p === 'header' ? -1 : p === 'manifest' ? Number.MAX_SAFE_INTEGER : Number(p.slice(8)));
  return [...parts].sort((a, b) => rank(a) - rank(b));
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}
