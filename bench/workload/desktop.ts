// Helpers for the windows the bench opens on an X display: Chromium in app mode on a local file,
// waiting for a window to be mapped, and closing a window's process.
import type { ChildProcess } from 'node:child_process';
import { CHROMIUM_ARGS } from '../../test/support/chromium.mjs';
import { stopChild as stopProcess, type XDisplay } from '../../test/support/xdisplay.ts';

/** Where and how large a window is, in pixels. */
export interface WindowGeometry {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Milliseconds to wait for a window to appear. */
const WINDOW_TIMEOUT_MS = 20_000;
/** Milliseconds between SIGTERM and SIGKILL in {@link stopChild}. */
const KILL_GRACE_MS = 3_000;

/**
 * Flags of a Chromium app window (no tabs, no address bar) showing `file` offline, with its own
 * profile folder, at `geometry`; `extra` flags come last (e.g. `--start-fullscreen`).
 */
export function chromiumAppArgs(profile: string, file: string, geometry: WindowGeometry, extra: string[] = []): string[] {
  return [
    ...CHROMIUM_ARGS,
    `--user-data-dir=${profile}`,
    '--disable-features=Translate,MediaRouter', '--password-store=basic', '--no-default-browser-check', '--disable-breakpad',
    '--force-device-scale-factor=1', '--test-type',
    `--window-position=${geometry.x},${geometry.y}`, `--window-size=${geometry.width},${geometry.height}`,
    ...extra,
    `--app=file://${file}`,
  ];
}

/** The X window id of the first visible window whose name matches `namePattern`, once it is mapped. */
export async function findWindow(x: XDisplay, namePattern: string): Promise<string> {
  const deadline = Date.now() + WINDOW_TIMEOUT_MS;
  for (;;) {
    const out = await x.run('xdotool', ['search', '--onlyvisible', '--name', namePattern]).catch(() => '');
    const id = out.split('\n').find((l) => /^\d+$/.test(l.trim()));
    if (id) return id.trim();
    if (Date.now() > deadline) throw new Error(`window ${namePattern} did not appear within ${WINDOW_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** SIGTERM, then SIGKILL after KILL_GRACE_MS (Chromium takes its time); resolves when the process has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return stopProcess(child, KILL_GRACE_MS);
}
