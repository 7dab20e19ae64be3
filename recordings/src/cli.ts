/**
 * Process entry of the recordings command line: `tsx recordings/src/cli.ts verify <folder> --host-key <key>`.
 * See `command.ts` for the commands and exit codes (FORMAT.md REC23).
 */
import { runCli } from './command.ts';

process.exitCode = await runCli(
  process.argv.slice(2),
  (text) => process.stdout.write(text),
  (text) => process.stderr.write(text),
);
