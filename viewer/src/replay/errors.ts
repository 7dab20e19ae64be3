/**
 * Errors of the recording player. `code` decides the sentence the player shows; `segment` names
 * the segment concerned, when there is one.
 */

/** What went wrong while loading or playing. */
export const PlayerErrorCode = {
  /** The auditor key is not a recipient of this recording, or does not open its entry. */
  NOT_RECIPIENT: 'not_recipient',
  /** The header is unreadable, edited, or signed by another host key than the enrolled one. */
  HEADER: 'header',
  /** A segment could not be fetched from the broker. */
  FETCH: 'fetch',
  /** A segment failed its checks when it was decrypted. */
  TAMPERED: 'tampered',
  /** This browser has no decoder for the recording's codec. */
  UNSUPPORTED_CODEC: 'unsupported_codec',
  /** The video decoder failed. */
  DECODE: 'decode',
  /** Anything else (unexpected input). */
  UNREADABLE: 'unreadable',
} as const;

/** One of {@link PlayerErrorCode}. */
export type PlayerErrorCode = (typeof PlayerErrorCode)[keyof typeof PlayerErrorCode];

/** Error raised by the player's logic; the element turns it into a role=alert message. */
export class PlayerError extends Error {
  /** What went wrong. */
  readonly code: PlayerErrorCode;
  /** Segment index concerned, if any. */
  readonly segment: number | undefined;

  /** Builds an error with a code, an optional segment index and an optional cause. */
  constructor(code: PlayerErrorCode, message: string, options: { segment?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlayerError';
    this.code = code;
    this.segment = options.segment;
  }

  /** Segment `segment` could not be fetched. */
  static fetch(segment: number, cause: unknown): PlayerError {
    return new PlayerError(PlayerErrorCode.FETCH, `Segment ${segment} could not be fetched.`, { segment, cause });
  }

  /** The decoder failed (or does not exist for `codec`). */
  static decode(codec: string, cause: unknown): PlayerError {
    return new PlayerError(PlayerErrorCode.DECODE, `The video (${codec}) could not be decoded.`, { cause });
  }

  /** No decoder for `codec`. */
  static unsupportedCodec(codec: string): PlayerError {
    return new PlayerError(PlayerErrorCode.UNSUPPORTED_CODEC, `This browser cannot decode ${codec}.`);
  }
}

/** `err` as a {@link PlayerError}; other errors become `fallback`. */
export function asPlayerError(err: unknown, fallback: () => PlayerError): PlayerError {
  return err instanceof PlayerError ? err : fallback();
}
