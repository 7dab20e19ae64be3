/** Small pieces every ffmpeg child process of the agent needs. */

/** The last lines an ffmpeg process wrote to stderr, kept for error messages. */
export class StderrTail {
  private readonly lines: string[] = [];
  private rest = '';

  constructor(private readonly keep = 20) {}

  /** Adds a chunk of stderr; returns the complete, non-blank lines it finished (trimmed). */
  push(text: string): string[] {
    const parts = (this.rest + text).split(/\r\n|\r|\n/);
    this.rest = parts.pop() ?? '';
    const finished: string[] = [];
    for (const part of parts) {
      const line = part.trim();
      if (!line) continue;
      finished.push(line);
      this.lines.push(line);
      if (this.lines.length > this.keep) this.lines.shift();
    }
    return finished;
  }

  /** The last line written (or the unfinished rest), '' if nothing. */
  last(): string {
    return (this.lines.at(-1) ?? this.rest).trim();
  }
}

/** `code 1` or `signal SIGKILL`, for messages about an exited process. */
export function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}
