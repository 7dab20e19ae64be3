/**
 * The recordings command line as a function (FORMAT.md REC23), so the broker's
 * `wardlink verify-recording` and tests can run it; `cli.ts` is the process entry:
 *
 *   tsx recordings/src/cli.ts verify <folder> --host-key <base64url or hex> [--json]
 *   tsx recordings/src/cli.ts verify <folder> --unpinned [--json]
 *   tsx recordings/src/cli.ts inspect <folder>
 *
 * Exit codes: 0 OK complete, 3 OK incomplete (no manifest), 1 FAILED, 2 usage or I/O error.
 * Without a pinned host key the check proves integrity but not origin, so `--unpinned` must say so.
 */
import { fromBase64Url } from './bytes.ts';
import { RecordingError } from './errors.ts';
import { inspectHeader, inspectManifest } from './inspect.ts';
import { readRecordingFolder, verifyRecordingFolder } from './node.ts';
import { VerifyExit, formatVerdict, verdictExitCode } from './verdict.ts';

const USAGE = `usage:
  verify <recording-folder> --host-key <host Ed25519 public key, base64url or hex> [--json]
  verify <recording-folder> --unpinned [--json]   (trusts the key named in the header: integrity only)
  inspect <recording-folder>                       (clear metadata, nothing verified)
exit: 0 OK complete, 3 OK incomplete, 1 FAILED, 2 usage or I/O error
`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. Output goes to `out`/`err`. */
export async function runCli(argv: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const [command, folder, ...rest] = argv;
  if (!folder || (command !== 'verify' && command !== 'inspect')) {
    err(USAGE);
    return VerifyExit.ERROR;
  }
  try {
    if (command === 'inspect') return await inspect(folder, out);
    const options = parseOptions(rest);
    const hostKey = options.hostKey ?? (await headerKey(folder));
    const report = await verifyRecordingFolder(folder, hostKey);
    if (options.json) {
      out(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      out(formatVerdict(report));
      if (!options.hostKey) out('  note: host key not pinned (--unpinned): this proves integrity, not which host made the recording.\n');
      for (const name of report.unexpected) out(`  note: unexpected file ${name} in the folder (ignored).\n`);
    }
    return verdictExitCode(report);
  } catch (e) {
    if (e instanceof UsageError) err(`${e.message}\n${USAGE}`);
    else err(`${e instanceof RecordingError ? e.message : `error: ${String(e)}`}\n`);
    return VerifyExit.ERROR;
  }
}

/** A command line the CLI does not understand; answered with the usage text. */
class UsageError extends Error {}

function parseOptions(args: string[]): { hostKey?: Uint8Array; json: boolean } {
  let hostKey: Uint8Array | undefined;
  let unpinned = false;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') json = true;
    else if (arg === '--unpinned') unpinned = true;
    else if (arg === '--host-key' && args[i + 1] !== undefined) hostKey = parseKey(args[++i] as string);
    else throw new UsageError(`Unknown argument ${arg}.`);
  }
  if (!hostKey && !unpinned) throw new UsageError('Pass the host key with --host-key, or --unpinned to trust the header.');
  if (hostKey && unpinned) throw new UsageError('--host-key and --unpinned exclude each other.');
  return { ...(hostKey ? { hostKey } : {}), json };
}

function parseKey(text: string): Uint8Array {
  const bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Uint8Array.from(text.match(/../g)!.map((h) => parseInt(h, 16))) : fromBase64Url(text);
  if (bytes.length !== 32) throw new UsageError('The host key is 32 bytes (43 base64url or 64 hex characters).');
  return bytes;
}

async function headerKey(folder: string): Promise<Uint8Array> {
  const { header } = await readRecordingFolder(folder);
  if (!header) return new Uint8Array(32);
  try {
    return inspectHeader(header).hostPublicKey;
  } catch {
    // An unreadable header: any key gives the same "unreadable header" report.
    return new Uint8Array(32);
  }
}

async function inspect(folder: string, out: (text: string) => void): Promise<number> {
  const parts = await readRecordingFolder(folder);
  if (!parts.header) throw RecordingError.format(`recording folder: no header file in ${folder}`);
  const summary = inspectHeader(parts.header);
  const manifest = parts.manifest ? inspectManifest(parts.manifest) : undefined;
  out(`${JSON.stringify({ ...summary, hostPublicKey: Buffer.from(summary.hostPublicKey).toString('base64url'), storedSegments: parts.segments.length, manifest }, null, 2)}\n`);
  return VerifyExit.OK;
}
