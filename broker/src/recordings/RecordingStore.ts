import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, type RecordingPart } from '@wardlink/protocol';
import { recordingFileName } from '@wardlink/recordings/node';
import { BrokerError } from '../errors.ts';

/** A stored segment's file name; the group is its index. */
const SEGMENT_FILE = /^segment-(\d{6})$/;

/** Result of storing a part: written now, or the same bytes were already there (a retried upload). */
export type StoreOutcome = 'new' | 'duplicate';

/**
 * Append-only storage of recording parts (docs/SPEC.md UPL3): one folder per recording under
 * `<dataDir>/recordings/`, one file per part. A part is written to a temporary file, synced, and
 * then hard-linked to its name, which fails if the name exists: a stored part is never replaced,
 * and a crash or a full disk leaves at most a temporary file, never a short part.
 */
export class RecordingStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'recordings');
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    this.sweepTemporaries();
  }

  /** Stores `bytes` as `part` of `recordingId`. Throws `conflict` when other bytes are stored there, `storage_full` on ENOSPC. */
  put(recordingId: string, part: RecordingPart, bytes: Uint8Array): StoreOutcome {
    const dir = join(this.root, recordingId);
    const target = join(dir, fileName(part));
    const existing = readIfExists(target);
    if (existing) return sameBytes(existing, bytes);
    const temp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const fd = openSync(temp, 'wx', 0o600);
      try {
        let offset = 0;
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      linkSync(temp, target);
      syncDirectory(dir);
      return 'new';
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return sameBytes(readFileSync(target), bytes);
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new BrokerError(ErrorCode.STORAGE_FULL, 'recording storage is full');
      throw err;
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** The stored parts of a recording: the header and manifest if present, segments in index order. */
  read(recordingId: string): { header?: Uint8Array; segments: Array<{ index: number; bytes: Uint8Array }>; manifest?: Uint8Array } {
    const dir = join(this.root, recordingId);
    const names = safeList(dir);
    const segments = names
      .map((name) => SEGMENT_FILE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ index: Number(m[1]), bytes: readFileSync(join(dir, m[0])) }))
      .sort((a, b) => a.index - b.index);
    const header = readIfExists(join(dir, 'header'));
    const manifest = readIfExists(join(dir, 'manifest'));
    return { ...(header ? { header } : {}), segments, ...(manifest ? { manifest } : {}) };
  }

  /**
   * Which parts of a recording are stored, from the folder listing alone (nothing is read):
   * header and manifest present or not, and the indexes of the stored segments in order.
   */
  parts(recordingId: string): { header: boolean; manifest: boolean; segments: number[] } {
    const names = safeList(join(this.root, recordingId));
    const segments = names
      .map((name) => SEGMENT_FILE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    return { header: names.includes('header'), manifest: names.includes('manifest'), segments };
  }

  /**
   * The bytes of one stored part by its file name (`header`, `manifest`, `segment-000000`, as
   * {@link fileName} makes them), or undefined when it is not stored. The caller validates the name.
   */
  async readPart(recordingId: string, name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.root, recordingId, name));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  /** Whether a recording folder exists. */
  has(recordingId: string): boolean {
    return safeList(join(this.root, recordingId)).length > 0;
  }

  /** Removes temporary files left by a crash or a full disk; stored parts are never touched. */
  private sweepTemporaries(): void {
    for (const recording of safeList(this.root)) {
      const dir = join(this.root, recording);
      for (const name of safeList(dir)) if (name.startsWith('.tmp-')) rmSync(join(dir, name), { force: true });
    }
  }
}

/** File name of a part, as the recording format names it (recordings/FORMAT.md REC24). */
function fileName(part: RecordingPart): string {
  return recordingFileName(part === 'header' || part === 'manifest' ? part : { segment: Number(part.slice('segment-'.length)) });
}

function sameBytes(stored: Uint8Array, bytes: Uint8Array): StoreOutcome {
  if (Buffer.compare(Buffer.from(stored), Buffer.from(bytes)) === 0) return 'duplicate';
  throw new BrokerError(ErrorCode.CONFLICT, 'a different part is already stored under this name');
}

function readIfExists(path: string): Buffer | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
