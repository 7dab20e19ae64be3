import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import {
  CPACE_DSI,
  GROUP_ORDER,
  IDENTITY_ENCODING,
  SHA512_BLOCK_BYTES,
  calculateGenerator,
  cpaceFinishInitiator,
  cpaceFinishResponder,
  cpaceFinishSymmetric,
  cpaceSidOutput,
  cpaceStart,
  generatorString,
  lexicographicallyLarger,
  lvCat,
  oCat,
  prependLen,
  scalarMult,
  scalarMultVfy,
  transcriptIr,
  transcriptOc,
} from './cpace.ts';
import { CPaceError } from './errors.ts';
import type { CPaceErrorCode } from './errors.ts';
import {
  channelIdentifier,
  constantTimeEqual,
  hostFinish,
  hostRespond,
  pinToPrs,
  viewerFinish,
  viewerStart,
} from './handshake.ts';
import type { HandshakeContext } from './handshake.ts';
import { RISTRETTO_VECTORS as V, SCALAR_MULT_VECTORS as S, UTIL_VECTORS as U } from './vectors.ts';

const b = (text: string): Uint8Array => utf8ToBytes(text);
const range = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

/** Asserts that `fn` throws a CPaceError with the given code. */
function assertCPaceError(fn: () => unknown, code: CPaceErrorCode, label?: string): void {
  assert.throws(fn, (err: unknown) => err instanceof CPaceError && err.code === code, label);
}

/** Runs A and B of the draft's ristretto255 vector and returns both states. */
function vectorRun() {
  const prs = b(V.prs);
  const ci = hexToBytes(V.ci);
  const sid = hexToBytes(V.sid);
  const a = cpaceStart(prs, ci, sid, b(V.ada), hexToBytes(V.ya));
  const bb = cpaceStart(prs, ci, sid, b(V.adb), hexToBytes(V.yb));
  return { a, b: bb };
}

test('prepend_len reproduces the draft vectors, including the two-byte LEB128 length at 128', () => {
  assert.equal(bytesToHex(prependLen(new Uint8Array(0))), U.prependLenEmpty);
  assert.equal(bytesToHex(prependLen(b('1234'))), U.prependLen1234);
  assert.equal(bytesToHex(prependLen(range(127))), U.prependLenRange127);
  assert.equal(bytesToHex(prependLen(range(128))), U.prependLenRange128);
});

test('lv_cat reproduces the draft vector with an empty part', () => {
  assert.equal(bytesToHex(lvCat(b('1234'), b('5'), b(''), b('678'))), U.lvCat);
});

test('lexicographic ordering and o_cat reproduce the draft vectors', () => {
  const u8 = (...xs: number[]) => Uint8Array.from(xs);
  assert.equal(lexicographicallyLarger(u8(0), u8(0, 0)), false);
  assert.equal(lexicographicallyLarger(u8(1), u8(0, 0)), true);
  assert.equal(lexicographicallyLarger(u8(0, 0), u8(0)), true);
  assert.equal(lexicographicallyLarger(u8(0, 0), u8(1)), false);
  assert.equal(lexicographicallyLarger(u8(0, 1), u8(1)), false);
  assert.equal(lexicographicallyLarger(b('ABCD'), b('BCD')), false);
  assert.equal(bytesToHex(oCat(b('ABCD'), b('BCD'))), U.oCatAbcdBcd);
  assert.equal(bytesToHex(oCat(b('BCD'), b('ABCDE'))), U.oCatBcdAbcde);
});

test('transcript_ir and transcript_oc reproduce the draft vectors', () => {
  assert.equal(bytesToHex(transcriptIr(b('123'), b('PartyA'), b('234'), b('PartyB'))), U.transcriptIr1);
  assert.equal(bytesToHex(transcriptIr(b('3456'), b('PartyA'), b('2345'), b('PartyB'))), U.transcriptIr2);
  assert.equal(bytesToHex(transcriptOc(b('123'), b('PartyA'), b('234'), b('PartyB'))), U.transcriptOc1);
  assert.equal(bytesToHex(transcriptOc(b('3456'), b('PartyA'), b('2345'), b('PartyB'))), U.transcriptOc2);
});

test('the generator string, its SHA-512 hash and the generator g match the ristretto255 vector', () => {
  const prs = b(V.prs);
  const genStr = generatorString(CPACE_DSI, prs, hexToBytes(V.ci), hexToBytes(V.sid), SHA512_BLOCK_BYTES);
  assert.equal(bytesToHex(genStr), V.generatorString);
  assert.equal(genStr.length, 170);
  // The zero padding sits after prepend_len(DSI) and prepend_len(PRS) and its own length byte.
  assert.equal(genStr[1 + CPACE_DSI.length + 1 + prs.length], V.zpadLength);
  assert.equal(bytesToHex(sha512(genStr)), V.generatorHash);
  const g = calculateGenerator(prs, hexToBytes(V.ci), hexToBytes(V.sid));
  assert.equal(bytesToHex(g.toBytes()), V.g);
});

test('Ya and Yb from the given scalars match the vector', () => {
  const run = vectorRun();
  assert.equal(bytesToHex(run.a.Y), V.Ya);
  assert.equal(bytesToHex(run.b.Y), V.Yb);
});

test('both scalar_mult_vfy directions give the vector K', () => {
  assert.equal(bytesToHex(scalarMultVfy(hexToBytes(V.ya), hexToBytes(V.Yb))), V.K);
  assert.equal(bytesToHex(scalarMultVfy(hexToBytes(V.yb), hexToBytes(V.Ya))), V.K);
});

test('the ISK input string and ISK_IR match the initiator/responder vector on both sides', () => {
  const run = vectorRun();
  const transcript = transcriptIr(run.a.Y, run.a.ad, run.b.Y, run.b.ad);
  assert.equal(bytesToHex(transcript), V.transcriptIr);
  assert.equal(bytesToHex(CPACE_DSI) + bytesToHex(b('_ISK')), V.dsiIsk);
  const input = new Uint8Array([...lvCat(hexToBytes(V.dsiIsk), hexToBytes(V.sid), hexToBytes(V.K)), ...transcript]);
  assert.equal(bytesToHex(input), V.iskInputIr);
  assert.equal(bytesToHex(cpaceFinishInitiator(run.a, run.b.Y, run.b.ad)), V.iskIr);
  assert.equal(bytesToHex(cpaceFinishResponder(run.b, run.a.Y, run.a.ad)), V.iskIr);
});

test('ISK_SY and both sid_output values match the parallel-execution vectors', () => {
  const run = vectorRun();
  assert.equal(bytesToHex(transcriptOc(run.a.Y, run.a.ad, run.b.Y, run.b.ad)), V.transcriptOc);
  assert.equal(bytesToHex(cpaceFinishSymmetric(run.a, run.b.Y, run.b.ad)), V.iskSy);
  assert.equal(bytesToHex(cpaceFinishSymmetric(run.b, run.a.Y, run.a.ad)), V.iskSy);
  const ir = transcriptIr(run.a.Y, run.a.ad, run.b.Y, run.b.ad);
  const oc = transcriptOc(run.a.Y, run.a.ad, run.b.Y, run.b.ad);
  assert.equal(bytesToHex(cpaceSidOutput(ir)), V.sidOutputIr);
  assert.equal(bytesToHex(cpaceSidOutput(oc)), V.sidOutputOc);
});

test('scalar_mult and scalar_mult_vfy agree with the valid-input vector', () => {
  const X = hexToBytes(S.X);
  assert.equal(bytesToHex(scalarMultVfy(hexToBytes(S.s), X)), S.sX);
  assert.equal(bytesToHex(scalarMult(hexToBytes(S.s), ristretto255.Point.fromBytes(X))), S.sX);
});

test('scalar_mult_vfy rejects the invalid encoding Y_i1 and the identity Y_i2 with invalid_point', () => {
  assertCPaceError(() => scalarMultVfy(hexToBytes(S.s), hexToBytes(S.invalidY1)), 'invalid_point', 'Y_i1');
  assertCPaceError(() => scalarMultVfy(hexToBytes(S.s), hexToBytes(S.invalidY2)), 'invalid_point', 'Y_i2');
  assert.deepEqual(hexToBytes(S.invalidY2), IDENTITY_ENCODING);
});

test('scalar_mult_vfy rejects non-canonical, oversized and truncated encodings', () => {
  const s = hexToBytes(S.s);
  const highBit = hexToBytes(S.X);
  highBit[31] = (highBit[31] as number) | 0x80;
  const p = hexToBytes('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
  const pPlus1 = hexToBytes('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
  for (const [label, bad] of [
    ['bit 255 set', highBit],
    ['s = p', p],
    ['s = p + 1 (non-canonical 1)', pPlus1],
    ['all ones', new Uint8Array(32).fill(0xff)],
    ['31 bytes', hexToBytes(S.X).subarray(0, 31)],
    ['33 bytes', new Uint8Array([...hexToBytes(S.X), 0])],
    ['empty', new Uint8Array(0)],
  ] as const) {
    assertCPaceError(() => scalarMultVfy(s, bad), 'invalid_point', label);
  }
});

test('PIN1: a run aborts with invalid_point when a message carries Y_i1 or the identity', () => {
  const run = vectorRun();
  for (const bad of [S.invalidY1, S.invalidY2]) {
    assertCPaceError(() => cpaceFinishResponder(run.b, hexToBytes(bad), run.a.ad), 'invalid_point');
    assertCPaceError(() => cpaceFinishInitiator(run.a, hexToBytes(bad), run.b.ad), 'invalid_point');
    const ctx = context();
    assertCPaceError(() => hostRespond(ctx, hexToBytes(bad), FV, FH), 'invalid_point');
    const { pending } = viewerStart(ctx, FV);
    assertCPaceError(() => viewerFinish(pending, hexToBytes(bad), FH, new Uint8Array(64)), 'invalid_point');
  }
});

test('scalars of zero or at least the group order are refused', () => {
  const prs = b(V.prs);
  assertCPaceError(() => cpaceStart(prs, b(''), b(''), b(''), 0n), 'invalid_input');
  assertCPaceError(() => cpaceStart(prs, b(''), b(''), b(''), GROUP_ORDER), 'invalid_input');
  assertCPaceError(() => cpaceStart(prs, b(''), b(''), b(''), new Uint8Array(31)), 'invalid_input');
});

test('sampled scalars are fresh and below 2^252', () => {
  const a = cpaceStart(b(V.prs), b(''), b(''), b(''));
  const c = cpaceStart(b(V.prs), b(''), b(''), b(''));
  assert.notEqual(a.scalar, c.scalar);
  assert.ok(a.scalar > 0n && a.scalar < 1n << 252n);
  assert.notDeepEqual(a.Y, c.Y);
});

// wardlink handshake (SECURITY.md steps 2-4).

const FV = b('sha-256 AA:BB:CC:viewer');
const FH = b('sha-256 DD:EE:FF:host');
const SID = hexToBytes('00112233445566778899aabbccddeeff');

function context(overrides: Partial<HandshakeContext> = {}): HandshakeContext {
  return { pin: '12345678', sid: SID, protocolVersion: 1, hostId: 'host-ward3', technicianId: 'tech-42', ...overrides };
}

/** Runs M1-M3 with separate viewer and host contexts; returns both ISKs. */
function handshake(viewerCtx: HandshakeContext, hostCtx: HandshakeContext = viewerCtx) {
  const m1 = viewerStart(viewerCtx, FV);
  const m2 = hostRespond(hostCtx, m1.ya, FV, FH);
  const viewer = viewerFinish(m1.pending, m2.yb, FH, m2.tb);
  const host = hostFinish(m2.pending, viewer.ta);
  return { viewer, host, m2 };
}

test('PIN1: viewer and host derive the same 64-byte ISK and both tags verify', () => {
  const { viewer, host } = handshake(context());
  assert.equal(viewer.isk.length, 64);
  assert.equal(viewer.ta.length, 64);
  assert.deepEqual(viewer.isk, host.isk);
});

test('PIN1: a different PIN gives a different ISK and the viewer rejects Tb', () => {
  const m1 = viewerStart(context({ pin: '12345679' }), FV);
  const m2 = hostRespond(context(), m1.ya, FV, FH);
  assertCPaceError(() => viewerFinish(m1.pending, m2.yb, FH, m2.tb), 'confirmation_failed');
  const viewerIsk = cpaceFinishInitiator(m1.pending.cpace, m2.yb, FH);
  assert.notDeepEqual(viewerIsk, m2.pending.isk);
});

test('PIN1: the host rejects a Ta that was not made with the same ISK', () => {
  const m1 = viewerStart(context(), FV);
  const m2 = hostRespond(context(), m1.ya, FV, FH);
  assertCPaceError(() => hostFinish(m2.pending, m2.tb), 'confirmation_failed', 'reflected Tb');
  assertCPaceError(() => hostFinish(m2.pending, randomBytes(64)), 'confirmation_failed', 'random tag');
  assertCPaceError(() => hostFinish(m2.pending, new Uint8Array(0)), 'confirmation_failed', 'empty tag');
});

test('PIN1: swapping the fingerprints ADa and ADb changes the ISK', () => {
  const ci = channelIdentifier(1, 'host-ward3', 'tech-42');
  const prs = pinToPrs('12345678');
  const a = cpaceStart(prs, ci, SID, FV);
  const bb = cpaceStart(prs, ci, SID, FH);
  const isk = cpaceFinishInitiator(a, bb.Y, FH);
  assert.deepEqual(cpaceFinishResponder(bb, a.Y, FV), isk);
  const a2 = { ...a, ad: FH };
  const b2 = { ...bb, ad: FV };
  assert.notDeepEqual(cpaceFinishInitiator(a2, b2.Y, FV), isk);
});

test('PIN1: a substituted host fingerprint makes the viewer reject Tb', () => {
  const m1 = viewerStart(context(), FV);
  const m2 = hostRespond(context(), m1.ya, FV, FH);
  assertCPaceError(() => viewerFinish(m1.pending, m2.yb, b('sha-256 00:attacker'), m2.tb), 'confirmation_failed');
});

test('PIN1: a different technician id, host id or sid on one side makes confirmation fail', () => {
  for (const other of [
    context({ technicianId: 'tech-43' }),
    context({ hostId: 'host-ward4' }),
    context({ sid: hexToBytes('ffeeddccbbaa99887766554433221100') }),
    context({ protocolVersion: 2 }),
  ]) {
    assertCPaceError(() => handshake(other, context()), 'confirmation_failed');
  }
});

test('the channel identifier is lv_cat of version, host id and technician id in UTF-8', () => {
  const ci = channelIdentifier(1, 'hôst', 'tech');
  assert.equal(bytesToHex(ci), '0131' + '05' + bytesToHex(b('hôst')) + '04' + bytesToHex(b('tech')));
  assert.notDeepEqual(channelIdentifier(1, 'ab', 'c'), channelIdentifier(1, 'a', 'bc'));
});

test('PIN1: only exactly 8 ASCII digits are accepted as a PIN', () => {
  assert.deepEqual(pinToPrs('00012345'), b('00012345'));
  for (const bad of ['', '1234567', '123456789', '1234 5678', '1234567a', '１２３４５６７８', '12345678\n', ' 12345678']) {
    assertCPaceError(() => pinToPrs(bad), 'invalid_pin', JSON.stringify(bad));
  }
  assertCPaceError(() => pinToPrs(12345678 as unknown as string), 'invalid_pin', 'number');
  assertCPaceError(() => viewerStart(context({ pin: '1234' }), FV), 'invalid_pin');
});

test('a session id that is not 16 bytes is refused', () => {
  assertCPaceError(() => viewerStart(context({ sid: new Uint8Array(15) }), FV), 'invalid_input');
});

test('constantTimeEqual compares content and length', () => {
  const u8 = (...xs: number[]) => Uint8Array.from(xs);
  assert.equal(constantTimeEqual(u8(), u8()), true);
  assert.equal(constantTimeEqual(u8(1, 2, 3), u8(1, 2, 3)), true);
  assert.equal(constantTimeEqual(u8(1, 2, 3), u8(1, 2, 4)), false);
  assert.equal(constantTimeEqual(u8(0, 2, 3), u8(1, 2, 3)), false);
  assert.equal(constantTimeEqual(u8(1, 2, 3), u8(1, 2)), false);
  assert.equal(constantTimeEqual(u8(1, 2), u8(1, 2, 0)), false);
  assert.equal(constantTimeEqual(u8(), u8(0)), false);
  const tag = randomBytes(64);
  assert.equal(constantTimeEqual(tag, tag.slice()), true);
});
