import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { toHex } from './bytes.ts';
import { RecordingError, toBase64Url } from './index.ts';
import { readRecordingFolder, recordingFileName, runCli, verifyRecordingFolder, writeRecordingFolder, writeRecordingPart } from './node.ts';
import { testRecording } from './testing/builders.ts';

type Recording = Awaited<ReturnType<typeof testRecording>>;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, (t) => (out += t), (t) => (err += t));
  return { code, out, err };
}

describe('recording folders and the verify command (REC23, REC24)', () => {
  let root: string;
  let r: Recording;
  let n = 0;
  const folder = (): string => join(root, `rec-${++n}`);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'wardlink-recordings-'));
    r = await testRecording(4);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('REC24: writes header, zero-padded segment files and manifest, and reads them back in order', async () => {
    const dir = folder();
    await writeRecordingFolder(dir, r);
    assert.deepEqual((await readdir(dir)).sort(), ['header', 'manifest', 'segment-000000', 'segment-000001', 'segment-000002', 'segment-000003']);
    const read = await readRecordingFolder(dir);
    assert.deepEqual(read.header, r.header);
    assert.deepEqual(read.manifest, r.manifest);
    assert.deepEqual(read.segments, r.segments);
    assert.deepEqual(read.unexpected, []);
    assert.equal(recordingFileName({ segment: 12 }), 'segment-000012');
  });

  it('REC24: a stored part is never replaced: same bytes are a duplicate, other bytes are refused', async () => {
    const dir = folder();
    assert.equal(await writeRecordingPart(dir, { segment: 0 }, r.segments[0]!), 'new');
    assert.equal(await writeRecordingPart(dir, { segment: 0 }, r.segments[0]!), 'duplicate');
    await assert.rejects(writeRecordingPart(dir, { segment: 0 }, r.segments[1]!), RecordingError);
    assert.deepEqual(await readFile(join(dir, 'segment-000000')), Buffer.from(r.segments[0]!));
    assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('.')), []);
  });

  it('REC23: verify prints OK complete and exits 0 with the pinned key (hex or base64url)', async () => {
    const dir = folder();
    await writeRecordingFolder(dir, r);
    for (const key of [toHex(r.signer.publicKey), toBase64Url(r.signer.publicKey)]) {
      const { code, out } = await cli(['verify', dir, '--host-key', key]);
      assert.equal(code, 0, out);
      assert.match(out, /^OK complete: all 4 segments verified\./);
      assert.match(out, /technician tech-DDDDDDDDDDD \(Hanako Yamada/);
    }
  });

  it('REC23: a flipped byte in a stored segment file: FAILED naming the segment and its file, exit 1', async () => {
    const dir = folder();
    await writeRecordingFolder(dir, r);
    const path = join(dir, 'segment-000002');
    const bytes = await readFile(path);
    bytes[300]! ^= 0x20;
    await rm(path);
    await writeFile(path, bytes);
    const { code, out } = await cli(['verify', dir, '--host-key', toHex(r.signer.publicKey)]);
    assert.equal(code, 1);
    assert.match(out, /^FAILED: segment 2 tampered; verified up to segment 1 \(2 segments\)\./);
    assert.match(out, /stored as segment-000002/);
  });

  it('REC23: swapped segment files, a dropped last segment and an edited header each fail with the segment named', async () => {
    const key = toHex(r.signer.publicKey);
    const swapped = folder();
    await writeRecordingFolder(swapped, r);
    await rename(join(swapped, 'segment-000001'), join(swapped, 'tmp'));
    await rename(join(swapped, 'segment-000002'), join(swapped, 'segment-000001'));
    await rename(join(swapped, 'tmp'), join(swapped, 'segment-000002'));
    let result = await cli(['verify', swapped, '--host-key', key]);
    assert.equal(result.code, 1);
    assert.match(result.out, /^FAILED: segment 1 reordered/);

    const dropped = folder();
    await writeRecordingFolder(dropped, r);
    await rm(join(dropped, 'segment-000003'));
    result = await cli(['verify', dropped, '--host-key', key]);
    assert.equal(result.code, 1);
    assert.match(result.out, /^FAILED: segment 3 truncated/);

    const edited = folder();
    await writeRecordingFolder(edited, r);
    const header = await readFile(join(edited, 'header'));
    header[40]! ^= 1;
    await rm(join(edited, 'header'));
    await writeFile(join(edited, 'header'), header);
    result = await cli(['verify', edited, '--host-key', key]);
    assert.equal(result.code, 1);
    assert.match(result.out, /^FAILED: header/);
  });

  it('REC23: without a manifest verify says OK incomplete up to the last segment and exits 3', async () => {
    const dir = folder();
    await writeRecordingFolder(dir, { header: r.header, segments: r.segments });
    const { code, out } = await cli(['verify', dir, '--host-key', toHex(r.signer.publicKey)]);
    assert.equal(code, 3);
    assert.match(out, /^OK incomplete: no manifest .* verified up to segment 3 \(4 segments\)\./);
  });

  it('REC23: usage errors exit 2; --unpinned trusts the header key and says so; a foreign key fails', async () => {
    const dir = folder();
    await writeRecordingFolder(dir, r);
    assert.equal((await cli(['verify', dir])).code, 2);
    assert.equal((await cli(['verify'])).code, 2);
    assert.equal((await cli(['verify', dir, '--host-key', 'zz'])).code, 2);
    assert.equal((await cli(['verify', join(root, 'nope'), '--unpinned'])).code, 2);
    const unpinned = await cli(['verify', dir, '--unpinned']);
    assert.equal(unpinned.code, 0);
    assert.match(unpinned.out, /not pinned/);
    const other = await testRecording(0);
    const foreign = await cli(['verify', dir, '--host-key', toHex(other.signer.publicKey)]);
    assert.equal(foreign.code, 1);
    assert.match(foreign.out, /^FAILED: signature/);
    const json = await cli(['verify', dir, '--unpinned', '--json']);
    assert.equal(JSON.parse(json.out).complete, true);
  });

  it('REC24: a folder without header gives a header problem; stray files are listed', async () => {
    const dir = folder();
    await writeRecordingFolder(dir, r);
    await rm(join(dir, 'header'));
    await writeFile(join(dir, 'notes.txt'), 'x');
    await writeFile(join(dir, '.tmp-123'), 'partial');
    const report = await verifyRecordingFolder(dir, r.signer.publicKey);
    assert.equal(report.ok, false);
    assert.equal(report.problems[0]!.kind, 'header');
    assert.deepEqual(report.unexpected, ['notes.txt']);
  });

  it('REC18: a recorder killed with SIGKILL leaves a recording that verifies as incomplete up to its last stored segment', { timeout: 60_000 }, async () => {
    const dir = folder();
    const script = fileURLToPath(new URL('./testing/crashRecorder.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`recorder exited early (${code}): ${output}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if ((output.match(/^segment /gm) ?? []).length >= 5) resolve();
      });
    });
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const key = /^key ([0-9a-f]{64})$/m.exec(output)![1]!;
    const { code, out } = await cli(['verify', dir, '--host-key', key]);
    assert.equal(code, 3, out);
    const stored = (await readdir(dir)).filter((f) => f.startsWith('segment-')).length;
    assert.ok(stored >= 5);
    assert.match(out, new RegExp(`^OK incomplete: .*verified up to segment ${stored - 1} \\(${stored} segments\\)`));
  });
});
