// Puts a long recording on a real broker the way a host agent does, with the agent's own parts:
// DeviceIdentity enrolls over HTTPS and signs, BrokerClient keeps the /host socket, a technician
// joins a session the host opened, RecordingPolicy fetches the admin-signed policy and checks it
// with the pinned admin key (its auditors are the recipients), createRecording seals the segments,
// and the Uploader spools each part and uploads it with the token of `recording:start`.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { fromBase64Url, type RecordingPart } from '@wardlink/protocol';
import { createRecording, type AuditorRecipient, type RecordingInfo } from '@wardlink/recordings';
import { BrokerClient } from '../../host-agent/src/broker/BrokerClient.ts';
import { DeviceIdentity } from '../../host-agent/src/identity/DeviceIdentity.ts';
import type { RecordingStream } from '../../host-agent/src/recording/encoder/types.ts';
import { RecordingPolicy } from '../../host-agent/src/recording/RecordingPolicy.ts';
import { Uploader } from '../../host-agent/src/recording/Uploader.ts';
import type { TestBroker } from '../../test/support/broker.ts';
import { tempDir } from '../../test/support/processes.ts';
import { TechClient } from '../../test/support/techClient.ts';
import { sleep } from '../lib/progress.ts';
import type { RepeatedWorkload } from './repeatWorkload.ts';

/** Options of {@link uploadRecording}. */
export interface UploadRecordingOptions {
  broker: TestBroker;
  /** The admin's policy public key as host agents take it (`--policy-key`, base64url). */
  policyKey: string;
  /** Host name as auditors see it in the index. */
  hostName: string;
  stream: RecordingStream;
  content: RepeatedWorkload;
  log(message: string): void;
}

/** What was stored, and how long each step took. */
export interface UploadedRecording {
  recordingId: string;
  /** Auditors the file key was wrapped for (from the verified policy). */
  recipients: string[];
  segments: number;
  /** Bytes of header, segments and manifest. */
  bytes: number;
  /** Milliseconds to seal every segment and the manifest. */
  sealMs: number;
  /** Milliseconds from the header handed to the spool until the broker had every part (sealing included). */
  uploadMs: number;
}

/** Milliseconds the whole upload may take. */
const UPLOAD_TIMEOUT_MS = 300_000;

/** Enrolls a host, opens a session with a technician, seals `content` for the policy's auditors and uploads it. */
export async function uploadRecording(options: UploadRecordingOptions): Promise<UploadedRecording> {
  const { broker, content, log } = options;
  const quiet = pino({ level: 'silent' });
  const dir = tempDir('replay-host');
  const identity = DeviceIdentity.load(dir.path);
  const client = new BrokerClient({
    brokerUrl: broker.url,
    caFile: broker.caFile,
    identity,
    name: options.hostName,
    enrollToken: await broker.enrollToken(options.hostName),
    log: quiet,
  });
  let tech: TechClient | undefined;
  let uploader: Uploader | undefined;
  try {
    await client.start();
    for (const deadline = Date.now() + 20_000; !client.online; await sleep(50)) {
      if (Date.now() > deadline) throw new Error('the host did not connect to the broker');
    }
    // A technician in a live session with this host: recordings belong to a session (UPL1).
    tech = await TechClient.connect(broker, await broker.addUser({ username: 'benchtech', name: 'Bench Technician', org: 'Bench Vendor KK' }));
    const request = new Promise<{ sessionId: string; technician: RecordingInfo['technician'] }>((resolve) => {
      const off = client.on('session:request', (r) => {
        off();
        resolve({ sessionId: r.sessionId, technician: r.technician });
      });
    });
    const { code } = await client.openSession(randomBytes(16).toString('base64url'));
    const joined = await tech.request<{ sessionId: string }>('session:join', { code });
    if (!joined.ok) throw new Error(`the technician could not join: ${joined.error.code}`);
    const { sessionId, technician } = await request;

    const policy = await new RecordingPolicy({ dataDir: dir.path, adminKey: fromBase64Url(options.policyKey), fetch: () => client.getPolicy(), log: quiet }).current();
    const recipients: AuditorRecipient[] = policy.auditors.map((a) => ({ keyId: a.keyId, publicKey: fromBase64Url(a.publicKey) }));
    const recordingId = randomBytes(16).toString('base64url');
    const startedAt = Date.now() - content.durationMs;
    const info: RecordingInfo = { recordingId, sessionId, hostId: client.id!, technician, startedAt, video: options.stream };
    const signer = { publicKey: new Uint8Array(Buffer.from(identity.publicKey, 'base64url')), sign: (m: Uint8Array) => identity.signBytes(m) };

    // Parts go to the spool as they are sealed, as the agent's SessionRecorder does.
    uploader = new Uploader({ dataDir: dir.path, link: client, log: quiet, retryMs: 200 });
    const started = performance.now();
    let sealMs = 0;
    let bytes = 0;
    const seal = async <T>(make: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const made = await make();
      sealMs += performance.now() - t0;
      return made;
    };
    const spool = (part: RecordingPart, data: Uint8Array): void => {
      bytes += data.length;
      uploader!.add(recordingId, part, data);
    };
    const writer = await seal(() => createRecording(info, recipients, signer));
    uploader.begin(recordingId, sessionId);
    spool('header', writer.header);
    for (const segment of content.segments) {
      const sealed = await seal(() => writer.sealSegment(segment));
      spool(`segment-${sealed.index}`, sealed.bytes);
    }
    spool('manifest', await seal(() => writer.finish(startedAt + content.durationMs, 'ended_by_technician')));
    log(`replay: sealed ${content.segments.length} segments for ${recipients.length} auditor key(s) in ${sealMs.toFixed(0)} ms`);
    await uploader.flushed(UPLOAD_TIMEOUT_MS);
    const uploadMs = performance.now() - started;
    await client.endSession(sessionId, 'ended_by_technician').catch(() => undefined);
    return {
      recordingId,
      recipients: recipients.map((r) => r.keyId),
      segments: content.segments.length,
      bytes,
      sealMs,
      uploadMs,
    };
  } finally {
    uploader?.close();
    tech?.close();
    client.close();
    dir.remove();
  }
}

