/**
 * Node-only helpers for the on-disk layout of a recording folder (FORMAT.md REC24): one file per
 * record, `header`, `segment-000000`, `segment-000001`, ..., `manifest`. Writes are append-only:
 * a part goes to a temporary file, is synced, then hard-linked to its name, which fails if the
 * name exists, so a stored part is never replaced and a crash leaves no short part.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { equalBytes } from './bytes.ts';
import { RecordingError } from './errors.ts';
import { LIMITS, declaredSegmentLength } from './format.ts';
import type { VerifyReport } from './types.ts';
import { verifyRecording } from './verify.ts';

export { runCli } from './command.ts';

/** File names of the records in a recording folder (REC24). */
export const RECORDING_FILES = { header: 'header', manifest: 'manifest', segmentPrefix: 'segment-' } as const;

const SEGMENT_NAME = /^segment-(\d{6})$/;
/** Bytes read at most from a manifest file: enough for LIMITS.segments entries. */
const MANIFEST_READ_LIMIT = 256 + LIMITS.segments * 41 + 128;

/** A part of a recording: the header, the manifest, or a segment by index. */
export type RecordingPartName = 'header' | 'manifest' | { segment: number };

/** The file name of a part: `header`, `manifest` or `segment-` and the zero-padded index (6 digits). */
export function recordingFileName(part: RecordingPartName): string {
  if (part === 'header' || part === 'manifest') return RECORDING_FILES[part];
  if (!Number.isInteger(part?.segment) || part.segment < 0 || part.segment >= LIMITS.segments) {
    throw RecordingError.invalidInput(`Segment index must be 0..${LIMITS.segments - 1}.`);
  }
  return `${RECORDING_FILES.segmentPrefix}${String(part.segment).padStart(6, '0')}`;
}

/** The stored records of a recording folder. */
export interface RecordingFolder {
  header?: Uint8Array;
  manifest?: Uint8Array;
  /** Segment records in file-name order: the "stored order" the verifier checks. */
  segments: Uint8Array[];
  /** File names of `segments`, same order. */
  segmentNames: string[];
  /** Other files (not temporaries), listed so a caller can warn about them. */
  unexpected: string[];
}

/**
 * Reads a recording folder. Oversized files are read only up to one byte past their limit, so
 * the decoders refuse them without loading gigabytes. Files starting with `.` (temporaries) are skipped.
 */
export async function readRecordingFolder(dir: string): Promise<RecordingFolder> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new RecordingError('invalid_input', `Cannot read the recording folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`, { cause: err });
  }
  const folder: RecordingFolder = { segments: [], segmentNames: [], unexpected: [] };
  const segmentNames = names.filter((n) => SEGMENT_NAME.test(n)).sort();
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    if (name === RECORDING_FILES.header) folder.header = await readBounded(join(dir, name), LIMITS.headerBytes + 1);
    else if (name === RECORDING_FILES.manifest) folder.manifest = await readBounded(join(dir, name), MANIFEST_READ_LIMIT);
    else if (!SEGMENT_NAME.test(name)) folder.unexpected.push(name);
  }
  for (const name of segmentNames) {
    folder.segments.push(await readBounded(join(dir, name), LIMITS.segmentBytes + 1));
    folder.segmentNames.push(name);
  }
  return folder;
}

async function readBounded(path: string, limit: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = new Uint8Array(Math.min(size, limit));
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return buffer.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

/**
 * Stores one part append-only: `new` when written now, `duplicate` when the same bytes were
 * already there (a retried upload). Other bytes under the same name are refused (`invalid_input`).
 */
export async function writeRecordingPart(dir: string, part: RecordingPartName, bytes: Uint8Array): Promise<'new' | 'duplicate'> {
  const target = join(dir, recordingFileName(part));
  const existing = await readIfFile(target);
  if (existing) return sameOrRefuse(existing, bytes, target);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return sameOrRefuse((await readIfFile(target)) ?? new Uint8Array(0), bytes, target);
      throw err;
    }
    await syncDirectory(dir);
    return 'new';
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Writes a whole recording (header, segments named by their own index, manifest) with
 * {@link writeRecordingPart}. Segment bytes that do not parse are named by their position.
 */
export async function writeRecordingFolder(dir: string, parts: { header: Uint8Array; segments?: Uint8Array[]; manifest?: Uint8Array }): Promise<void> {
  await writeRecordingPart(dir, 'header', parts.header);
  const segments = parts.segments ?? [];
  for (let position = 0; position < segments.length; position++) {
    const bytes = segments[position] as Uint8Array;
    await writeRecordingPart(dir, { segment: segmentIndexOf(bytes) ?? position }, bytes);
  }
  if (parts.manifest) await writeRecordingPart(dir, 'manifest', parts.manifest);
}

/** The index a segment record claims in its clear fields, without any check; undefined if unreadable. */
export function segmentIndexOf(bytes: Uint8Array): number | undefined {
  if (declaredSegmentLength(bytes) === undefined) return undefined;
  const index = new DataView(bytes.buffer, bytes.byteOffset + 6, 4).getUint32(0);
  return index < LIMITS.segments ? index : undefined;
}

/**
 * Verifies a recording folder against the host's pinned public key (REC20-REC24). A folder
 * without a header file gets a report with a `header` problem.
 */
export async function verifyRecordingFolder(dir: string, hostPublicKey: Uint8Array): Promise<VerifyReport & { unexpected: string[] }> {
  const folder = await readRecordingFolder(dir);
  if (!folder.header) {
    return {
      ok: false,
      complete: false,
      segmentCount: folder.segments.length,
      verifiedSegments: 0,
      problems: [{ kind: 'header', message: `The folder has no ${RECORDING_FILES.header} file.` }],
      unexpected: folder.unexpected,
    };
  }
  const report = await verifyRecording(
    {
      header: folder.header,
      segments: folder.segments,
      segmentNames: folder.segmentNames,
      ...(folder.manifest ? { manifest: folder.manifest } : {}),
    },
    hostPublicKey,
  );
  return { ...report, unexpected: folder.unexpected };
}

async function readIfFile(path: string): Promise<Uint8Array | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return await readBounded(path, LIMITS.segmentBytes + 1);
  } catch {
    return undefined;
  }
}

function sameOrRefuse(stored: Uint8Array, bytes: Uint8Array, target: string): 'duplicate' {
  if (equalBytes(stored, bytes)) return 'duplicate';
  throw RecordingError.invalidInput(`${target} already holds other bytes: stored parts are never replaced.`);
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
