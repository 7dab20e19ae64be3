// The lossless reference of a recording: every grabbed frame, as the recorder saw it (before its
// change detection), into FFV1 in a temporary folder that `remove()` deletes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes raw I420 frames to a lossless file, in order. */
export class ReferenceWriter {
  /** The FFV1 file (Matroska). */
  readonly file: string;
  private readonly dir = mkdtempSync(join(tmpdir(), 'wl-reference-'));
  private readonly child: ChildProcess;
  private readonly done: Promise<void>;
  private stderr = '';
  private count = 0;

  constructor(width: number, height: number) {
    this.file = join(this.dir, 'reference.mkv');
    this.child = spawn(
      'ffmpeg',
      ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
        '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${width}x${height}`, '-framerate', '1', '-i', 'pipe:0',
        '-c:v', 'ffv1', '-level', '3', '-g', '1', '-slices', '4', this.file],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    this.child.stdin!.on('error', () => undefined);
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-2000)));
    this.done = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`reference writer failed (${code}): ${this.stderr.trim()}`))));
    });
  }

  /** Frames written so far. */
  get frames(): number {
    return this.count;
  }

  /** Process id of the writer (its CPU is not the recorder's). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Appends a frame (copied: the caller may reuse its buffer). */
  write(frame: Uint8Array): void {
    this.count++;
    this.child.stdin!.write(Buffer.from(frame));
  }

  /** Finishes the file. */
  async end(): Promise<void> {
    this.child.stdin!.end();
    await this.done;
  }

  /** Deletes the file and its folder (kills the writer if still running). Safe to call twice. */
  remove(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
