import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';

/** Options of {@link startXDisplay}. */
export interface XDisplayOptions {
  /** Pixels. Default 1280. */
  width?: number;
  /** Pixels. Default 800. */
  height?: number;
  /** Also start the openbox window manager (needed for realistic focus and Alt+Tab). Default false. */
  wm?: boolean;
  /** Colour depth of the screen in bits. Default 24. */
  depth?: number;
  /** More Xvfb arguments, e.g. `['-extension', 'DAMAGE']` to leave an extension out. */
  serverArgs?: string[];
}

/** A private virtual X display for a test. Everything it started dies with `stop()`. */
export interface XDisplay {
  /** Display name, e.g. `:7`. */
  display: string;
  /** Screen size in pixels. */
  width: number;
  height: number;
  /** `process.env` with DISPLAY set to this display. */
  env: NodeJS.ProcessEnv;
  /** Starts a process (no shell) on this display; it is killed by `stop()`. Output is kept, not printed. */
  spawn(cmd: string, args?: string[]): ChildProcess;
  /** Runs a command on this display to completion and returns its stdout; rejects on failure. */
  run(cmd: string, args?: string[], options?: { timeoutMs?: number }): Promise<string>;
  /** The whole screen as RGBA bytes (row-major, 4 bytes per pixel, no mouse pointer). */
  screenshot(): Promise<{ width: number; height: number; data: Buffer }>;
  /** Kills every process started here, then the X server. Safe to call twice. */
  stop(): Promise<void>;
}

/** Milliseconds to wait for Xvfb and openbox to come up. */
const START_TIMEOUT_MS = 15_000;
/** Milliseconds between SIGTERM and SIGKILL when stopping. */
const KILL_GRACE_MS = 2_000;

/** Every child of every display, killed synchronously if the test process exits without `stop()`. */
const living = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Display numbers are drawn from [DISPLAY_MIN, DISPLAY_MIN + DISPLAY_SPAN). */
const DISPLAY_MIN = 100;
const DISPLAY_SPAN = 30_000;
/** Attempts at finding a free display number. */
const START_ATTEMPTS = 8;

/**
 * Starts Xvfb with a 24-bit screen (unless told otherwise) and, optionally, openbox.
 *
 * The display number is random in a high range, and `-displayfd` tells when the server is ready.
 * Letting Xvfb pick (`-displayfd` alone) probes from :0 upwards and so reuses a number the moment
 * it is freed; when an old server is still shutting down, its cleanup then deletes the new
 * server's socket file (seen with parallel test runs). A number already in use makes Xvfb exit
 * at once without harming the other server, and we try another.
 * `-noreset` keeps the server state (root colour, pointer position) when the last client
 * disconnects; without it every short-lived client (xdotool, xsetroot) triggers a ~100 ms reset.
 */
export async function startXDisplay(options: XDisplayOptions = {}): Promise<XDisplay> {
  const width = options.width ?? 1280;
  const height = options.height ?? 800;
  installExitHook();
  let xvfb: ChildProcess | undefined;
  let number = '';
  const failures: string[] = [];
  for (let attempt = 0; attempt < START_ATTEMPTS && !number; attempt++) {
    const wanted = DISPLAY_MIN + randomInt(DISPLAY_SPAN);
    const screen = `${width}x${height}x${options.depth ?? 24}`;
    xvfb = spawn('Xvfb', [`:${wanted}`, '-displayfd', '3', '-screen', '0', screen, '-nolisten', 'tcp', '-noreset', ...(options.serverArgs ?? [])], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    track(xvfb);
    const log = keepOutput(xvfb);
    try {
      number = await readDisplayNumber(xvfb, log);
    } catch (err) {
      failures.push(`:${wanted}: ${(err as Error).message}`);
      await stopChild(xvfb);
    }
  }
  if (!number || !xvfb) throw new Error(`Xvfb did not start:\n${failures.join('\n')}`);
  const server = xvfb;
  const display = `:${number}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
  const children: ChildProcess[] = [];
  let stopped: Promise<void> | undefined;

  const x: XDisplay = {
    display,
    width,
    height,
    env,
    spawn(cmd, args = []) {
      const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      keepOutput(child);
      child.on('error', () => undefined);
      children.push(child);
      track(child);
      return child;
    },
    run: (cmd, args = [], runOptions = {}) => runCommand(cmd, args, env, runOptions.timeoutMs ?? 10_000),
    async screenshot() {
      const data = await runBinary(
        'ffmpeg',
        ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'x11grab', '-draw_mouse', '0', '-i', display,
          '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'],
        env,
      );
      if (data.length !== width * height * 4) throw new Error(`screenshot has ${data.length} bytes, expected ${width * height * 4}`);
      return { width, height, data };
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all(children.map((c) => stopChild(c)));
        await stopChild(server);
      })();
      return stopped;
    },
  };

  try {
    if (options.wm) {
      x.spawn('openbox', ['--sm-disable']);
      await waitFor(async () => (await x.run('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'])).includes('window id'), 'openbox');
    }
  } catch (err) {
    await x.stop();
    throw err;
  }
  return x;
}

function readDisplayNumber(xvfb: ChildProcess, log: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const fd = xvfb.stdio[3] as NodeJS.ReadableStream;
    let text = '';
    const timer = setTimeout(() => done(new Error(`Xvfb did not start within ${START_TIMEOUT_MS} ms:\n${log()}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const match = /^(\d+)\n/.exec(text);
      if (match) done(undefined, match[1]);
    };
    const onExit = (code: number | null): void => done(new Error(`Xvfb exited (${code}) before it was ready:\n${log()}`));
    const onError = (err: Error): void => done(err);
    function done(err: Error | undefined, value?: string): void {
      clearTimeout(timer);
      fd.removeListener('data', onData);
      xvfb.removeListener('exit', onExit);
      xvfb.removeListener('error', onError);
      if (err) reject(err);
      else resolve(value!);
    }
    fd.on('data', onData);
    xvfb.once('exit', onExit);
    xvfb.once('error', onError);
  });
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${START_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Keeps the last 64 KiB of a child's output for error messages; never prints it. */
function keepOutput(child: ChildProcess): () => string {
  let out = '';
  const add = (chunk: Buffer): void => {
    out = (out + chunk.toString('utf8')).slice(-65_536);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => out;
}

function track(child: ChildProcess): void {
  living.add(child);
  child.once('exit', () => living.delete(child));
  child.once('error', () => living.delete(child));
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of living) child.kill('SIGKILL');
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopChild(child: ChildProcess, graceMs = KILL_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function runCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return runBinary(cmd, args, env, timeoutMs).then((b) => b.toString('utf8'));
}

function runBinary(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code}): ${err.trim()}`));
    });
  });
}
