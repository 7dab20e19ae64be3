/**
 * The verifier (FORMAT.md REC20-REC23): checks a stored recording with the host's public key only,
 * no auditor key. Each segment record verifies on its own (signature over its chain value, chain
 * value over its bytes), then the records are put in relation: chain links, stored order,
 * duplicates, gaps, and the signed manifest's count and digests. Every finding names its segment.
 */
import { equalBytes, toHex } from './bytes.ts';
import { ed25519Verify } from './crypto.ts';
import { RecordingError } from './errors.ts';
import {
  SIZES,
  chainValue,
  declaredSegmentLength,
  decodeHeader,
  decodeSegment,
  headerSignedMessage,
  segmentDigest,
  segmentSignedMessage,
  type HeaderRecord,
  type SegmentRecord,
} from './format.ts';
import { decodeManifest, manifestSignedMessage, type ManifestRecord } from './manifest.ts';
import { manifestInfo } from './RecordingReader.ts';
import type { VerifyProblem, VerifyReport } from './types.ts';

/** What {@link verifyRecording} checks: the stored records, segments in their stored order. */
export interface RecordingParts {
  header: Uint8Array;
  /** Segment records in stored order (for a folder: file-name order). */
  segments: Uint8Array[];
  manifest?: Uint8Array;
  /** Optional names of the stored segments (e.g. file names), used in messages. */
  segmentNames?: string[];
}

interface Stored {
  position: number;
  record?: SegmentRecord;
  digest?: Uint8Array;
  /** Why the record failed on its own; undefined if it verified. */
  failure?: { kind: 'tampered' | 'truncated'; message: string };
  /** Consistent, but its signature could not be checked because the header (its recording id) is edited. */
  unauthenticated?: boolean;
}

/**
 * Verifies a recording against the host's pinned Ed25519 public key. Never throws for bad data:
 * every finding is a problem in the report. Throws `invalid_input` only for a malformed call.
 */
export async function verifyRecording(parts: RecordingParts, hostPublicKey: Uint8Array): Promise<VerifyReport> {
  if (typeof parts !== 'object' || parts === null || !Array.isArray(parts.segments)) {
    throw RecordingError.invalidInput('verifyRecording needs { header, segments: Uint8Array[], manifest? }.');
  }
  if (!(hostPublicKey instanceof Uint8Array) || hostPublicKey.length !== SIZES.publicKey) {
    throw RecordingError.invalidInput('The host public key is 32 raw Ed25519 bytes.');
  }
  const problems: VerifyProblem[] = [];
  let header: HeaderRecord;
  try {
    header = decodeHeader(parts.header);
  } catch (err) {
    problems.push({ kind: 'header', message: `The header is unreadable: ${messageOf(err)}` });
    return { ok: false, complete: false, segmentCount: parts.segments.length, verifiedSegments: 0, problems };
  }
  const base = { info: header.info, headerHash: toHex(header.hash) };
  if (!equalBytes(header.hostPublicKey, hostPublicKey)) {
    problems.push({
      kind: 'signature',
      message: 'The recording is signed by another host key than the pinned one: it did not come from this host.',
    });
    return { ...base, ok: false, complete: false, segmentCount: parts.segments.length, verifiedSegments: 0, problems };
  }
  const headerOk = await ed25519Verify(hostPublicKey, header.signature, headerSignedMessage(header.bytes.subarray(0, header.signatureOffset)));
  if (!headerOk) problems.push({ kind: 'header', message: 'The header was edited: its signature does not verify.' });
  const manifest = await checkManifest(parts.manifest, header, headerOk, hostPublicKey, problems);
  const stored = await checkRecords(parts.segments, header, headerOk, hostPublicKey, parts.segments.length);
  if (stored.some((s) => s.unauthenticated)) {
    problems.push({ kind: 'header', message: 'The segment signatures cannot be checked against the edited header (its recording id no longer matches them).' });
  }
  const segmentProblems = relate(stored, header, headerOk, manifest, parts.segmentNames);
  problems.push(...segmentProblems);

  const troubled = new Set(segmentProblems.map((p) => p.segment));
  const valid = new Set(stored.filter((s) => !s.failure && !s.unauthenticated).map((s) => s.record!.index));
  let verifiedSegments = 0;
  while (valid.has(verifiedSegments) && !troubled.has(verifiedSegments)) verifiedSegments++;
  const complete = headerOk && manifest !== undefined && verifiedSegments === manifest.entries.length;
  return {
    ...base,
    ok: problems.length === 0,
    complete,
    segmentCount: manifest ? manifest.entries.length : parts.segments.length,
    verifiedSegments,
    problems: orderProblems(problems),
    ...(manifest ? { manifest: manifestInfo(manifest.entries, manifest.endedAt, manifest.endReason, manifest.finalChain) } : {}),
  };
}

/** The manifest if it is present, well-formed, signed and about this header; else undefined (problems noted). */
async function checkManifest(
  bytes: Uint8Array | undefined,
  header: HeaderRecord,
  headerOk: boolean,
  hostPublicKey: Uint8Array,
  problems: VerifyProblem[],
): Promise<ManifestRecord | undefined> {
  if (bytes === undefined) return undefined;
  let manifest: ManifestRecord;
  try {
    manifest = decodeManifest(bytes);
  } catch (err) {
    problems.push({ kind: 'manifest', message: `The manifest is unreadable: ${messageOf(err)}` });
    return undefined;
  }
  if (!(await ed25519Verify(hostPublicKey, manifest.signature, manifestSignedMessage(bytes.subarray(0, manifest.signatureOffset))))) {
    problems.push({ kind: 'signature', message: 'The manifest was edited: its signature does not verify.' });
    return undefined;
  }
  // With an edited header the hash differs anyway; that is reported once, as a header problem.
  if (headerOk && !equalBytes(manifest.headerHash, header.hash)) {
    problems.push({ kind: 'manifest', message: 'The manifest belongs to another recording header.' });
    return undefined;
  }
  const count = manifest.entries.length;
  if (count === 0 && !equalBytes(manifest.finalChain, header.hash)) {
    problems.push({ kind: 'manifest', message: 'The manifest lists no segments but does not end the chain at the header.' });
    return undefined;
  }
  return manifest;
}

/** Parses each stored record and checks it on its own: signature over the chain value, chain value over the bytes. */
async function checkRecords(
  segments: Uint8Array[],
  header: HeaderRecord,
  headerOk: boolean,
  hostPublicKey: Uint8Array,
  count: number,
): Promise<Stored[]> {
  const out: Stored[] = [];
  for (let position = 0; position < segments.length; position++) {
    const bytes = segments[position] as Uint8Array;
    let record: SegmentRecord;
    try {
      record = decodeSegment(bytes);
    } catch (err) {
      const declared = bytes instanceof Uint8Array ? declaredSegmentLength(bytes) : undefined;
      // Only the last stored record can be cut short by a crash; elsewhere a wrong length is an edit.
      const cut = declared !== undefined && bytes.length < declared && position === count - 1;
      out.push({
        position,
        failure: cut
          ? { kind: 'truncated', message: `is cut short (${bytes.length} of ${declared} bytes): the write was interrupted` }
          : { kind: 'tampered', message: `is unreadable (${messageOf(err)})` },
      });
      continue;
    }
    const digest = segmentDigest(record.body);
    const message = segmentSignedMessage(header.info.recordingId, record.index, record.chain);
    const signed = await ed25519Verify(hostPublicKey, record.signature, message);
    const consistent = equalBytes(chainValue(record.prev, digest), record.chain);
    if (!consistent) {
      out.push({ position, record, digest, failure: { kind: 'tampered', message: 'was edited: its bytes do not match its signed hash chain value' } });
    } else if (signed) {
      out.push({ position, record, digest });
    } else if (!headerOk) {
      out.push({ position, record, digest, unauthenticated: true });
    } else {
      out.push({ position, record, digest, failure: { kind: 'tampered', message: 'was edited: its host signature does not verify' } });
    }
  }
  return out;
}

/** Puts the records in relation: index of failed records, duplicates, order, links, gaps, manifest. */
function relate(stored: Stored[], header: HeaderRecord, headerOk: boolean, manifest: ManifestRecord | undefined, names?: string[]): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const where = (s: Stored): string => (names?.[s.position] !== undefined ? `stored as ${names[s.position]}` : `stored at position ${s.position}`);
  const valid = new Map<number, Stored>();
  for (const s of stored) {
    if (s.failure) continue;
    const index = s.record!.index;
    const first = valid.get(index);
    if (!first) {
      valid.set(index, s);
    } else {
      const same = equalBytes(first.record!.bytes, s.record!.bytes);
      problems.push({
        kind: 'duplicate',
        segment: index,
        message: `Segment ${index} is stored twice (${where(first)} and ${where(s)})${same ? '' : ' with different content'}.`,
      });
    }
  }
  const flagged = new Set<number>();
  const links = chainLinks(valid);
  // Fallback for a record the links do not place: the one after the last verified record stored before it.
  let last = { index: -1, position: -1 };
  for (const s of stored) {
    if (!s.failure) {
      last = { index: s.record!.index, position: s.position };
      continue;
    }
    const index = indexOfFailed(s, last.index + (s.position - last.position), links, header);
    flagged.add(index);
    problems.push({ kind: s.failure.kind, segment: index, message: `Segment ${index} (${where(s)}) ${s.failure.message}.` });
  }
  let highest = -1;
  for (const s of stored) {
    if (s.failure || valid.get(s.record!.index) !== s) continue;
    const index = s.record!.index;
    if (index < highest) {
      problems.push({
        kind: 'reordered',
        segment: index,
        message: `Segments ${index} and ${highest} are out of order: segment ${index} (${where(s)}) is stored after segment ${highest}.`,
      });
    }
    highest = Math.max(highest, index);
  }
  for (const [index, s] of valid) {
    const prev = s.record!.prev;
    if (index === 0) {
      if (headerOk && !equalBytes(prev, header.hash)) {
        problems.push({ kind: 'tampered', segment: 0, message: 'Segment 0 does not chain to this header: it belongs to another recording.' });
      }
    } else {
      const before = valid.get(index - 1);
      if (before && !equalBytes(before.record!.chain, prev)) {
        problems.push({ kind: 'tampered', segment: index, message: `Segment ${index} does not continue the hash chain of segment ${index - 1}: spliced in.` });
      }
    }
  }
  problems.push(...gaps(valid, flagged, manifest));
  return problems;
}

interface ChainLinks {
  /** Index of the verified segment with this chain value (hex). */
  byChain: Map<string, number>;
  /** Index of the verified segment with this previous chain value (hex). */
  byPrev: Map<string, number>;
}

function chainLinks(valid: Map<number, Stored>): ChainLinks {
  const byChain = new Map<string, number>();
  const byPrev = new Map<string, number>();
  for (const [index, s] of valid) {
    byChain.set(toHex(s.record!.chain), index);
    byPrev.set(toHex(s.record!.prev), index);
  }
  return { byChain, byPrev };
}

/** Which index a failed record stands for: found through the chain links of its neighbours if possible. */
function indexOfFailed(s: Stored, fallback: number, links: ChainLinks, header: HeaderRecord): number {
  const record = s.record;
  if (record) {
    const before = links.byChain.get(toHex(record.prev));
    if (before !== undefined) return before + 1;
    const after = links.byPrev.get(toHex(record.chain));
    if (after !== undefined && after > 0) return after - 1;
    if (equalBytes(record.prev, header.hash)) return 0;
  }
  return fallback;
}

/** Segments that should be there and are not: missing in the middle, or truncated at the end. */
function gaps(valid: Map<number, Stored>, flagged: Set<number>, manifest: ManifestRecord | undefined): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const present = (i: number): boolean => valid.has(i) || flagged.has(i);
  let highestStored = -1;
  for (const i of valid.keys()) highestStored = Math.max(highestStored, i);
  for (const i of flagged) highestStored = Math.max(highestStored, i);
  const expected = manifest ? manifest.entries.length : highestStored + 1;
  for (let i = 0; i < expected; i++) {
    if (present(i)) continue;
    if (i > highestStored) {
      const stored = valid.size;
      problems.push({
        kind: 'truncated',
        segment: i,
        message: `Segment ${i} is missing: the recording is truncated (the manifest lists ${expected} segments, ${stored} verified are stored).`,
      });
    } else {
      problems.push({ kind: 'missing', segment: i, message: `Segment ${i} is missing.` });
    }
  }
  if (!manifest) return problems;
  for (const [index, s] of valid) {
    const entry = manifest.entries[index];
    if (!entry) {
      problems.push({ kind: 'manifest', segment: index, message: `Segment ${index} is not listed in the manifest (${expected} segments).` });
    } else if (!equalBytes(entry.digest, s.digest!)) {
      problems.push({ kind: 'tampered', segment: index, message: `Segment ${index} differs from the segment the manifest lists.` });
    } else if (index === expected - 1 && !equalBytes(manifest.finalChain, s.record!.chain)) {
      problems.push({ kind: 'manifest', segment: index, message: `The manifest's final chain value does not match segment ${index}.` });
    }
  }
  return problems;
}

/** Header and signature findings first, then segment findings by index, then the rest. */
function orderProblems(problems: VerifyProblem[]): VerifyProblem[] {
  const rank = (p: VerifyProblem): number => (p.segment !== undefined ? 1 : p.kind === 'header' || p.kind === 'signature' ? 0 : 2);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || (a.p.segment ?? 0) - (b.p.segment ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
