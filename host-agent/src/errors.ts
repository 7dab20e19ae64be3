/** Base error of the host agent, with a machine-readable code. */
export class AgentError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentError';
  }

  static notEnrolled(): AgentError {
    return new AgentError('not_enrolled', 'This PC is not enrolled: start the agent once with --enroll <token>.');
  }

  static broker(code: string, message: string): AgentError {
    return new AgentError(code, `The broker refused: ${message}`);
  }

  static unreachable(cause: unknown): AgentError {
    return new AgentError('unreachable', 'The broker cannot be reached.', { cause });
  }
}
