// The recording format in Chromium (FORMAT.md REC5, REC15, REC20): the same library code as in
// Node, with a non-extractable WebCrypto X25519 auditor key that survives IndexedDB.
import { expect } from '@open-wc/testing';
import {
  RecordingError,
  fromBase64Url,
  generateAuditorKeyPair,
  importAuditorPrivateKey,
  openRecording,
  verifyRecording,
} from '../src/index.ts';
import { testRecording, testSegment } from '../src/testing/builders.ts';
import { FIXTURE_V1 } from '../src/testing/fixtureV1.ts';

/** Stores `value` under `key` in a fresh IndexedDB database and reads it back (a structured clone). */
async function throughIndexedDb<T>(value: T): Promise<T> {
  const name = `wardlink-recordings-test-${Math.random()}`;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('keys');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const run = <R>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<R>): Promise<R> =>
    new Promise((resolve, reject) => {
      const request = op(db.transaction('keys', mode).objectStore('keys'));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  await run('readwrite', (store) => store.put(value, 'auditor'));
  const back = (await run('readonly', (store) => store.get('auditor'))) as T;
  db.close();
  indexedDB.deleteDatabase(name);
  return back;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(RecordingError);
    return (err as RecordingError).code;
  }
  throw new Error('expected a RecordingError');
}

describe('recordings in the browser', () => {
  it('REC5: a non-extractable auditor key kept in IndexedDB opens and plays a recording', async () => {
    const r = await testRecording(3);
    const stored = await throughIndexedDb(r.auditors[0]!);
    expect(stored.privateKey.extractable).to.equal(false);
    let exported = true;
    try {
      await crypto.subtle.exportKey('pkcs8', stored.privateKey);
    } catch {
      exported = false;
    }
    expect(exported).to.equal(false);
    const reader = await openRecording(r.header, stored);
    const manifest = await reader.openManifest(r.manifest!);
    expect(manifest.segmentCount).to.equal(3);
    const content = await reader.openSegment(r.segments[2]!, 2);
    expect(content.frames.length).to.equal(10);
    expect(content.events[1]!.data).to.deep.equal({ clipboard: false, note: '病棟 3' });
  });

  it('REC5: the key pair alone (no key id) finds its recipient entry', async () => {
    const r = await testRecording(1);
    const { privateKey, publicKey } = r.auditors[1]!;
    const reader = await openRecording(r.header, { privateKey, publicKey });
    expect(reader.keyId).to.equal(r.auditors[1]!.keyId);
  });

  it('REC5: a key that is not a recipient is refused', async () => {
    const r = await testRecording(1);
    expect(await codeOf(openRecording(r.header, await generateAuditorKeyPair()))).to.equal('not_recipient');
  });

  it('REC20: the verifier and the player name a flipped segment and a swap in Chromium', async () => {
    const r = await testRecording(4);
    const flipped = r.segments.slice();
    flipped[1] = flipped[1]!.slice();
    flipped[1][200]! ^= 1;
    const report = await verifyRecording({ ...r, segments: flipped }, r.signer.publicKey);
    expect(report.problems.map((p) => [p.kind, p.segment])).to.deep.equal([['tampered', 1]]);
    const reader = await openRecording(r.header, r.auditors[0]!);
    expect(await codeOf(reader.openSegment(flipped[1], 1))).to.equal('tampered');
    const swapped = [r.segments[0]!, r.segments[2]!, r.segments[1]!, r.segments[3]!];
    const swapReport = await verifyRecording({ ...r, segments: swapped }, r.signer.publicKey);
    expect(swapReport.problems.map((p) => [p.kind, p.segment])).to.deep.equal([['reordered', 1]]);
    expect(await codeOf(reader.openSegment(swapped[1]!, 1))).to.equal('reordered');
  });

  it('REC2: the version-1 recording made in Node verifies and opens in Chromium with an imported raw key', async () => {
    const header = fromBase64Url(FIXTURE_V1.header);
    const segments = FIXTURE_V1.segments.map(fromBase64Url);
    const manifest = fromBase64Url(FIXTURE_V1.manifest);
    const report = await verifyRecording({ header, segments, manifest }, fromBase64Url(FIXTURE_V1.hostPublicKey));
    expect(report.ok).to.equal(true);
    expect(report.complete).to.equal(true);
    const key = await importAuditorPrivateKey(fromBase64Url(FIXTURE_V1.auditorPrivateKey));
    expect(key.privateKey.extractable).to.equal(false);
    const reader = await openRecording(header, key);
    const { index: _index, ...content } = await reader.openSegment(segments[1]!, 1);
    expect(content).to.deep.equal(testSegment(1, { frameBytes: 40 }));
  });
});
