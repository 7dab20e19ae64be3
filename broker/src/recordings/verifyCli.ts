// `wardlink verify-recording <id|path>` (issue 4 item 6): checks a stored recording against the key
// its host enrolled with, without opening it, and prints a verdict (recordings/FORMAT.md REC20-REC24).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatVerdict, inspectHeader, verdictExitCode } from '@wardlink/recordings';
import { verifyRecordingFolder } from '@wardlink/recordings/node';
import type { SqliteStore } from '../store/SqliteStore.ts';

export const VERIFY_USAGE = `  wardlink verify-recording ID|FOLDER   (signatures, hash chain, order, completeness; exit 0 OK complete,
                    3 OK but incomplete, 1 FAILED, 2 cannot check)`;

/** Verifies one recording; returns the exit code after printing the verdict. */
export async function verifyRecordingCommand(target: string | undefined, dataDir: string, store: SqliteStore, out: (t: string) => void): Promise<number> {
  if (!target) {
    out('verify-recording: name a recording id or a recording folder\n');
    return 2;
  }
  const byId = /^[A-Za-z0-9_-]{1,64}$/.test(target) ? join(dataDir, 'recordings', target) : undefined;
  const dir = byId && existsSync(byId) ? byId : target;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    out(`verify-recording: no recording "${target}" (neither an id in ${join(dataDir, 'recordings')} nor a folder)\n`);
    return 2;
  }
  // The host that made it, as enrolled here: the header's own key is not trusted on its own word.
  let hostKey: Uint8Array | undefined;
  let hostLabel = 'unknown host';
  try {
    const { info } = inspectHeader(new Uint8Array(readFileSync(join(dir, 'header'))));
    const host = store.hostById(info.hostId);
    if (host) {
      hostKey = new Uint8Array(Buffer.from(host.publicKey, 'base64url'));
      hostLabel = `${host.name} (${host.id})`;
    }
  } catch {
    // An unreadable header: the verifier below says what is wrong with it.
  }
  const report = await verifyRecordingFolder(dir, hostKey ?? new Uint8Array(32));
  out(`recording ${dir}\nhost: ${hostKey ? hostLabel : 'not enrolled at this broker: the signatures cannot be tied to a host'}\n`);
  out(`${formatVerdict(report)}\n`);
  return hostKey ? verdictExitCode(report) : 1;
}
