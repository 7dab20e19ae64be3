import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * Writes a file atomically and durably: a temporary file next to it, fsync, rename. A crash leaves
 * the old file or the new one, never a short one. Used for the PIN gate and the recording spool.
 */
export function writeDurably(path: string, bytes: Uint8Array | string): void {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
