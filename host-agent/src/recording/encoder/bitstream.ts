// Just enough of the AV1 and VP9 bitstreams to tell key frames and to name the codec the way
// WebCodecs wants it (`VideoDecoder.configure({ codec })`).

/** Reads big-endian bit fields, as both bitstreams are written. */
class BitReader {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** The next `n` bits (n <= 32) as an unsigned number. */
  f(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.bytes[this.pos >> 3];
      if (byte === undefined) throw new RangeError('bitstream ends early');
      v = v * 2 + ((byte >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }

  /** AV1 uvlc(). */
  uvlc(): number {
    let zeros = 0;
    while (this.f(1) === 0) if (++zeros >= 32) return 2 ** 32 - 1;
    return zeros ? this.f(zeros) + 2 ** zeros - 1 : 0;
  }
}

/** AV1 OBU types we look at. */
const OBU_SEQUENCE_HEADER = 1;
const OBU_FRAME_HEADER = 3;
const OBU_FRAME = 6;

/** One OBU of a temporal unit: its type and payload. */
interface Obu {
  type: number;
  payload: Uint8Array;
}

function leb128(bytes: Uint8Array, pos: number): { value: number; length: number } {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[pos + i];
    if (byte === undefined) throw new RangeError('leb128 runs past the end');
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (!(byte & 0x80)) return { value, length: i + 1 };
  }
  throw new RangeError('leb128 longer than 8 bytes');
}

/** The OBUs of an AV1 temporal unit in low-overhead format (what IVF and WebCodecs carry). */
function* obus(tu: Uint8Array): Generator<Obu> {
  let pos = 0;
  while (pos < tu.length) {
    const header = tu[pos]!;
    const type = (header >> 3) & 15;
    const extension = (header >> 2) & 1;
    const hasSize = (header >> 1) & 1;
    pos += 1 + extension;
    let size = tu.length - pos;
    if (hasSize) {
      const s = leb128(tu, pos);
      pos += s.length;
      size = s.value;
    }
    if (pos + size > tu.length) throw new RangeError('OBU runs past the end of the temporal unit');
    yield { type, payload: tu.subarray(pos, pos + size) };
    pos += size;
  }
}

/** What the sequence header says about profile, level, tier and bit depth. */
export interface Av1SequenceInfo {
  profile: number;
  /** seq_level_idx of operating point 0 (4 = level 3.0, 8 = level 4.0). */
  level: number;
  tier: 0 | 1;
  bitDepth: 8 | 10 | 12;
  /** The still-picture shortcut: every frame is a key frame. */
  reducedStillPictureHeader: boolean;
}

/** Parses an AV1 sequence header OBU payload (spec 5.5). */
export function parseAv1SequenceHeader(payload: Uint8Array): Av1SequenceInfo {
  const r = new BitReader(payload);
  const profile = r.f(3);
  r.f(1); // still_picture
  const reduced = r.f(1) === 1;
  let level: number;
  let tier: 0 | 1 = 0;
  if (reduced) {
    level = r.f(5);
  } else {
    let decoderModel = false;
    let bufferDelayBits = 0;
    if (r.f(1)) {
      // timing_info()
      r.f(32);
      r.f(32);
      if (r.f(1)) r.uvlc();
      decoderModel = r.f(1) === 1;
      if (decoderModel) {
        bufferDelayBits = r.f(5) + 1;
        r.f(32);
        r.f(5);
        r.f(5);
      }
    }
    const initialDisplayDelay = r.f(1) === 1;
    const points = r.f(5) + 1;
    level = -1;
    for (let i = 0; i < points; i++) {
      r.f(12); // operating_point_idc
      const idx = r.f(5);
      const t = idx > 7 ? r.f(1) : 0;
      if (i === 0) {
        level = idx;
        tier = t as 0 | 1;
      }
      if (decoderModel && r.f(1)) {
        r.f(bufferDelayBits);
        r.f(bufferDelayBits);
        r.f(1);
      }
      if (initialDisplayDelay && r.f(1)) r.f(4);
    }
  }
  const widthBits = r.f(4) + 1;
  const heightBits = r.f(4) + 1;
  r.f(widthBits);
  r.f(heightBits);
  const frameIds = reduced ? false : r.f(1) === 1;
  if (frameIds) {
    r.f(4);
    r.f(3);
  }
  r.f(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
  if (!reduced) {
    r.f(4); // interintra, masked, warped motion, dual filter
    const orderHint = r.f(1) === 1;
    if (orderHint) r.f(2); // jnt_comp, ref_frame_mvs
    const forceScreenContent = r.f(1) ? 2 : r.f(1);
    if (forceScreenContent > 0 && !r.f(1)) r.f(1); // seq_choose_integer_mv, seq_force_integer_mv
    if (orderHint) r.f(3);
  }
  r.f(3); // superres, cdef, restoration
  const high = r.f(1) === 1;
  const bitDepth = profile === 2 && high ? (r.f(1) ? 12 : 10) : high ? 10 : 8;
  return { profile, level, tier, bitDepth, reducedStillPictureHeader: reduced };
}

/** The WebCodecs codec string of an AV1 stream, e.g. `av01.0.04M.08`. */
export function av1CodecString(seq: Av1SequenceInfo): string {
  return `av01.${seq.profile}.${String(seq.level).padStart(2, '0')}${seq.tier ? 'H' : 'M'}.${String(seq.bitDepth).padStart(2, '0')}`;
}

/** The sequence header of a temporal unit, if it carries one (key frames do). */
export function av1SequenceHeaderOf(tu: Uint8Array): Av1SequenceInfo | undefined {
  for (const obu of obus(tu)) if (obu.type === OBU_SEQUENCE_HEADER) return parseAv1SequenceHeader(obu.payload);
  return undefined;
}

/**
 * Whether an AV1 temporal unit starts with a key frame: its first frame header has
 * show_existing_frame = 0 and frame_type = KEY_FRAME (or the stream uses the still-picture header).
 */
export function isAv1KeyFrame(tu: Uint8Array, reducedStillPictureHeader = false): boolean {
  for (const obu of obus(tu)) {
    if (obu.type !== OBU_FRAME && obu.type !== OBU_FRAME_HEADER) continue;
    if (reducedStillPictureHeader) return true;
    const r = new BitReader(obu.payload);
    if (r.f(1)) return false; // show_existing_frame
    return r.f(2) === 0;
  }
  return false;
}

/** Whether a VP9 frame (or superframe, by its first frame) is a key frame (uncompressed header, spec 6.2). */
export function isVp9KeyFrame(frame: Uint8Array): boolean {
  const r = new BitReader(frame);
  if (r.f(2) !== 2) throw new RangeError('not a VP9 frame (bad frame marker)');
  const profile = r.f(1) + 2 * r.f(1);
  if (profile === 3) r.f(1);
  if (r.f(1)) return false; // show_existing_frame
  return r.f(1) === 0;
}

/** VP9 levels by the largest picture (luma samples) they allow; frame rates here are far below every limit. */
const VP9_LEVELS: Array<[number, number]> = [
  [36_864, 10], [73_728, 11], [122_880, 20], [245_760, 21], [552_960, 30], [983_040, 31],
  [2_228_224, 40], [8_912_896, 50], [35_651_584, 60],
];

/** The WebCodecs codec string of an 8-bit 4:2:0 VP9 profile 0 stream of this size, e.g. `vp09.00.31.08`. */
export function vp9CodecString(width: number, height: number): string {
  const level = VP9_LEVELS.find(([max]) => width * height <= max)?.[1] ?? 62;
  return `vp09.00.${level}.08`;
}
