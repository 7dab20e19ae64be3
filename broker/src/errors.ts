import { ErrorCode } from '@wardlink/protocol';

/** Base error of the broker: carries a wire-safe code; `message` stays internal. */
export class BrokerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BrokerError';
  }

  static notFound(what: string): BrokerError {
    return new BrokerError(ErrorCode.NOT_FOUND, `${what} not found`);
  }

  static forbidden(why: string): BrokerError {
    return new BrokerError(ErrorCode.FORBIDDEN, why);
  }

  static badInput(why: string): BrokerError {
    return new BrokerError(ErrorCode.BAD_MESSAGE, why);
  }
}
