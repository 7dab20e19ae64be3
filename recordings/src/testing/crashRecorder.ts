/**
 * A recorder process for the crash test (FORMAT.md REC18): records into the folder given as the
 * first argument, one segment record every few milliseconds, written as the broker's store writes
 * them, until it is killed. Prints the host public key (hex) first, then each stored index.
 */
import { toHex } from '../bytes.ts';
import { generateAuditorKeyPair } from '../keys.ts';
import { writeRecordingPart } from '../node.ts';
import { createRecording } from '../RecordingWriter.ts';
import { testHostSigner, testInfo, testSegment } from './builders.ts';

const folder = process.argv[2];
if (!folder) throw new Error('usage: crashRecorder.ts <folder>');
const signer = await testHostSigner();
const auditor = await generateAuditorKeyPair();
const writer = await createRecording(testInfo(), [{ keyId: auditor.keyId, publicKey: auditor.rawPublicKey }], signer);
await writeRecordingPart(folder, 'header', writer.header);
process.stdout.write(`key ${toHex(signer.publicKey)}\n`);
for (let index = 0; ; index++) {
  const sealed = await writer.sealSegment(testSegment(index, { frameBytes: 20_000 }));
  await writeRecordingPart(folder, { segment: sealed.index }, sealed.bytes);
  process.stdout.write(`segment ${sealed.index}\n`);
}
