// Sessions are recorded end to end (issue 4): a real broker, a host agent on Xvfb recording with ffmpeg,
// a Node technician with real WebRTC, and an auditor key approved into the signed policy. What the
// broker stores is checked the way an auditor would: verified against the host's key, decrypted with
// the auditor's key only. Faults: broker restart, kill -9 of the agent, the recorder's encoder killed,
// no policy at all.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateAuditorKeyPair, openRecording, type SegmentContent, type TimelineEvent } from '@wardlink/recordings';
import { readRecordingFolder, verifyRecordingFolder } from '@wardlink/recordings/node';
import { DeviceIdentity } from '../host-agent/src/identity/DeviceIdentity.ts';
import { startAgent, type TestAgent } from './support/agent.ts';
import { startBroker, type TestBroker, type TestUser } from './support/broker.ts';
import { run, tempDir, tsxArgs } from './support/processes.ts';
import { setUpRecording, type RecordingSetup } from './support/recording.ts';
import { liveSession } from './support/session.ts';
import { TechClient } from './support/techClient.ts';
import { requestHelp, waitForWard } from './support/ward.ts';
import { startXDisplay, type XDisplay } from './support/xdisplay.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let x: XDisplay;
let broker: TestBroker;
let setup: RecordingSetup;
let user: TestUser;
const clients: TechClient[] = [];
const agents: TestAgent[] = [];
const dirs: Array<{ path: string; remove: () => void }> = [];

before(async () => {
  x = await startXDisplay({ width: 1024, height: 768, wm: true });
  x.spawn('xterm', ['-title', 'Lab terminal', '-geometry', '60x16+40+40', '-fa', 'DejaVu Sans Mono', '-fs', '16', '-bg', '#f4f0e0', '-fg', '#102030', '-e', 'sh']);
  broker = await startBroker();
  setup = await setUpRecording(broker);
  user = await broker.addUser({ role: 'vendor', name: 'Taro Yamada', org: 'Lab Systems KK' });
});

after(async () => {
  clients.forEach((c) => c.close());
  for (const a of agents) await a.stop().catch(() => undefined);
  dirs.forEach((d) => d.remove());
  await broker?.stop();
  setup?.remove();
  await x?.stop();
});

async function newAgent(options: { recording?: RecordingSetup; env?: NodeJS.ProcessEnv } = { recording: setup }): Promise<TestAgent> {
  const dir = tempDir('rec-agent');
  dirs.push(dir);
  const agent = await startAgent({ broker, display: x.display, dataDir: dir.path, ...options });
  agents.push(agent);
  return agent;
}

async function client(): Promise<TechClient> {
  const c = await TechClient.connect(broker, user);
  clients.push(c);
  return c;
}

function recordingsAtBroker(): string[] {
  const root = join(broker.dataDir, 'recordings');
  return existsSync(root) ? readdirSync(root).filter((n) => !n.startsWith('.')) : [];
}

/** Waits for a recording folder the broker did not have in `known`. */
async function newRecording(known: string[], timeoutMs = 30_000): Promise<string> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
    const fresh = recordingsAtBroker().find((n) => !known.includes(n));
    if (fresh) return fresh;
    if (Date.now() > deadline) throw new Error('no recording reached the broker');
  }
}

async function waitForFile(path: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !existsSync(path); await sleep(100)) {
    if (Date.now() > deadline) throw new Error(`${path.split('/').slice(-2).join('/')} did not arrive`);
  }
}

function hostKeyOf(agent: TestAgent): Uint8Array {
  return new Uint8Array(Buffer.from(DeviceIdentity.load(agent.dataDir).publicKey, 'base64url'));
}

/** Every segment of a stored recording, decrypted with the auditor's key. */
async function decrypt(recordingId: string, hostKey: Uint8Array): Promise<SegmentContent[]> {
  const folder = await readRecordingFolder(join(broker.dataDir, 'recordings', recordingId));
  const reader = await openRecording(folder.header!, setup.auditorKey, { hostPublicKey: hostKey });
  const out: SegmentContent[] = [];
  for (const [i, bytes] of folder.segments.entries()) out.push(await reader.openSegment(bytes, i));
  return out;
}

function eventsOf(segments: SegmentContent[]): TimelineEvent[] {
  return segments.flatMap((s) => s.events);
}

async function typeText(c: TechClient, text: string): Promise<void> {
  for (const ch of text) {
    c.sendRaw({ type: 'input:text', text: ch });
    await sleep(60);
  }
}

describe('recorded sessions', () => {
  test('a recorded session reaches the broker complete, verified, and readable only with the auditor key', async () => {
    const agent = await newAgent();
    const known = recordingsAtBroker();
    const c = await client();
    const { sessionId } = await liveSession(c, agent).catch((err: Error) => {
      throw new Error(`${err.message}\n${agent.proc.output()}`);
    });
    const state = await waitForWard(agent, (s) => s.state === 'live');
    assert.equal(state.recording, true, 'the ward page says the session is recorded');
    const recordingId = await newRecording(known);
    await sleep(1500);
    const typedAt = Date.now();
    await typeText(c, 'echo zebrafinch42');
    c.sendRaw({ type: 'input:key', action: 'down', code: 'Enter', modifiers: { shift: false, ctrl: false, alt: false, meta: false } });
    c.sendRaw({ type: 'input:key', action: 'up', code: 'Enter', modifiers: { shift: false, ctrl: false, alt: false, meta: false } });
    c.sendRaw({ type: 'input:pointer', action: 'down', x: 300, y: 200, button: 0 });
    c.sendRaw({ type: 'input:pointer', action: 'up', x: 300, y: 200, button: 0 });
    await sleep(3000);
    c.sendRaw({ type: 'session:end' });
    assert.equal(await c.waitForEnd(), 'ended_by_technician');
    const dir = join(broker.dataDir, 'recordings', recordingId);
    await waitForFile(join(dir, 'manifest'));

    const report = await verifyRecordingFolder(dir, hostKeyOf(agent));
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.complete, true);
    assert.equal(report.info?.sessionId, sessionId);
    assert.ok(report.segmentCount >= 2, `segments: ${report.segmentCount}`);

    const segments = await decrypt(recordingId, hostKeyOf(agent));
    const events = eventsOf(segments);
    const types = events.map((e) => e.type);
    for (const type of ['session:start', 'consent', 'window', 'input:text', 'input:key', 'input:click', 'session:end']) {
      assert.ok(types.includes(type), `timeline has ${type}: ${types.join(', ')}`);
    }
    const text = events.filter((e) => e.type === 'input:text').map((e) => String(e.data?.['text'])).join('');
    assert.match(text, /echo zebrafinch42/);
    const typed = events.find((e) => e.type === 'input:text' && String(e.data?.['text']).includes('zebra'))!;
    const startedAt = report.info!.startedAt;
    assert.ok(Math.abs(startedAt + typed.t - typedAt) < 1500, `typed at +${typed.t} ms on the recording's clock`);
    assert.deepEqual(events.find((e) => e.type === 'input:click')?.data, { x: 300, y: 200, button: 0 });
    assert.deepEqual(events.find((e) => e.type === 'window')?.data, { title: 'Lab terminal' }, 'the active window is on record');
    assert.deepEqual(events.find((e) => e.type === 'input:key')?.data, { key: 'Enter' });
    assert.equal(events.find((e) => e.type === 'session:end')?.data?.['reason'], 'ended_by_technician');
    const frames = segments.flatMap((s) => s.frames);
    assert.ok(frames.length >= 2 && frames[0]!.key, 'video frames, the first a key frame');
    assert.ok(frames.some((f) => f.t > typed.t), 'a frame after the typing');

    // The broker's files alone do not open it: a key that is not a recipient is refused, and
    // nothing typed is stored in the clear anywhere in the broker's data folder.
    const stranger = await generateAuditorKeyPair();
    const folder = await readRecordingFolder(dir);
    await assert.rejects(openRecording(folder.header!, stranger));
    const brokerFiles = listFiles(broker.dataDir);
    for (const file of brokerFiles) assert.ok(!readFileSync(file).includes('zebrafinch42'), `${file} holds the typed word in clear`);
    // Nothing is left in the agent's spool once the broker has everything.
    await waitForEmptySpool(agent);
    await agent.stop();
  });

  test('restarting the broker mid-session loses no segment', async () => {
    const agent = await newAgent();
    const known = recordingsAtBroker();
    const c = await client();
    await liveSession(c, agent);
    const recordingId = await newRecording(known);
    await typeText(c, 'before restart');
    await broker.restart({ downMs: 4000 });
    await typeText(c, ' after restart');
    await sleep(6000);
    c.sendRaw({ type: 'session:end' });
    await c.waitForEnd();
    const dir = join(broker.dataDir, 'recordings', recordingId);
    await waitForFile(join(dir, 'manifest'), 60_000);
    const report = await verifyRecordingFolder(dir, hostKeyOf(agent));
    assert.deepEqual(report.problems, []);
    assert.equal(report.complete, true);
    const text = eventsOf(await decrypt(recordingId, hostKeyOf(agent)))
      .filter((e) => e.type === 'input:text')
      .map((e) => String(e.data?.['text']))
      .join('');
    assert.equal(text, 'before restart after restart');
    await waitForEmptySpool(agent);
    await agent.stop();
  });

  test('kill -9 of the agent leaves an incomplete recording that verifies up to its last segment', async () => {
    const agent = await newAgent();
    const known = recordingsAtBroker();
    const c = await client();
    await liveSession(c, agent);
    const recordingId = await newRecording(known);
    const dir = join(broker.dataDir, 'recordings', recordingId);
    await typeText(c, 'ls');
    await waitForFile(join(dir, 'segment-000001'));
    await agent.proc.stop('SIGKILL');
    await c.waitForEnd(30_000);
    const report = await verifyRecordingFolder(dir, hostKeyOf(agent));
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.complete, false);
    assert.ok(report.verifiedSegments >= 2);
    assert.equal(report.verifiedSegments, report.segmentCount);
    const cli = spawnSync(process.execPath, tsxArgs('broker/src/cli.ts', ['verify-recording', recordingId, '--data-dir', broker.dataDir]), { encoding: 'utf8' });
    assert.equal(cli.status, 3, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /incomplete/i);
  });

  test('killing the recorder freezes the session on both sides at once, and it resumes recorded', async () => {
    const agent = await newAgent();
    const known = recordingsAtBroker();
    const c = await client();
    await liveSession(c, agent);
    const recordingId = await newRecording(known);
    await waitForWard(agent, (s) => s.state === 'live');
    // The recorder grabs in the agent's own process; its encoder is the process that can die.
    const encoder = await recorderEncoderPid(agent);
    const killedAt = Date.now();
    process.kill(encoder, 'SIGKILL');
    await c.waitForHostMessage((m) => m.type === 'recording:frozen', 5000);
    const viewerMs = Date.now() - killedAt;
    const sent = c.hostMessages.length;
    c.sendRaw({ type: 'input:text', text: 'x' });
    const ward = await waitForWard(agent, (s) => s.frozen === true, 5000);
    const wardMs = Date.now() - killedAt;
    const refusal = c.hostMessages.slice(sent).find((m) => m.type === 'error') ?? (await c.waitForHostMessage((m) => m.type === 'error' && c.hostMessages.indexOf(m) >= sent, 5000));
    assert.equal(refusal.type === 'error' && refusal.code, 'forbidden', 'input is refused while frozen');
    assert.equal(ward.state, 'live');
    // Figures for the issue note, not assertions (shared, noisy machine).
    process.stdout.write(`# frozen: viewer told after ${viewerMs} ms, ward page after ${wardMs} ms\n`);
    await c.waitForHostMessage((m) => m.type === 'recording:resumed', 30_000);
    await waitForWard(agent, (s) => s.frozen !== true);
    await typeText(c, 'resumed');
    await sleep(1500);
    c.sendRaw({ type: 'session:end' });
    await c.waitForEnd();
    const dir = join(broker.dataDir, 'recordings', recordingId);
    await waitForFile(join(dir, 'manifest'));
    const report = await verifyRecordingFolder(dir, hostKeyOf(agent));
    assert.deepEqual(report.problems, []);
    const segments = await decrypt(recordingId, hostKeyOf(agent));
    const types = eventsOf(segments).map((e) => e.type);
    const frozenAt = types.indexOf('recording:frozen');
    assert.ok(frozenAt >= 0 && types.indexOf('recording:resumed') > frozenAt, types.join(', '));
    const keyFrames = segments.flatMap((s) => s.frames).filter((f) => f.key);
    assert.ok(keyFrames.length >= 2, 'the new encoder started with a key frame');
    await agent.stop();
  });

  test('without a recording policy the host refuses the session: it is never unrecorded', async () => {
    const orphanKey = await broker.cli(['policy', 'keygen', '--out', join(tempDirFor('orphan'), 'admin.pem')]);
    const policyKey = /policy key for host agents: (\S+)/.exec(orphanKey)![1]!;
    // A policy key that signed nothing: the broker's policy does not verify on this PC.
    const agent = await newAgent({ recording: { ...setup, policyKey } });
    const c = await client();
    const { code, pin } = await requestHelp(agent);
    const started = await c.startSession(code, pin);
    assert.ok(started.verified);
    // The recorder cannot start, so the session ends right after the PIN check, consent or not.
    assert.equal(await c.waitForEnd(), 'recording_failed');
    const ended = await waitForWard(agent, (s) => s.state === 'ended');
    assert.equal(ended.endReason, 'recording_failed');
    assert.equal(c.hostMessages.some((m) => m.type === 'screen:info'), false, 'no screen was ever sent');
    await agent.stop();
  });
});

function tempDirFor(name: string): string {
  const dir = tempDir(name);
  dirs.push(dir);
  return dir.path;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => statSync(p).size < 64 * 1024 * 1024);
}

async function waitForEmptySpool(agent: TestAgent, timeoutMs = 30_000): Promise<void> {
  const spool = join(agent.dataDir, 'spool');
  for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
    const left = existsSync(spool) ? readdirSync(spool) : [];
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the spool still holds ${left.join(', ')}`);
  }
}

/** The pid of the recorder's running encoder (ffmpeg with libaom) of this agent, a child of the agent process. */
async function recorderEncoderPid(agent: TestAgent): Promise<number> {
  for (const deadline = Date.now() + 20_000; ; await sleep(200)) {
    const out = await run('ps', ['-eo', 'pid=,ppid=,args=']);
    const line = out
      .split('\n')
      .map((l) => l.trim())
      .find((l) => {
        const [, ppid] = l.split(/\s+/);
        return Number(ppid) === agent.proc.child.pid && l.includes('libaom-av1');
      });
    if (line) return Number(line.split(/\s+/)[0]);
    if (Date.now() > deadline) throw new Error('no recorder encoder found');
  }
}
