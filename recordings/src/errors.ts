/**
 * Reasons an operation on a recording can fail. Every function of this package throws only
 * {@link RecordingError}: garbage input gives a clear code and message, never a stray TypeError.
 */
export const RecordingErrorCode = {
  /** Bytes that are not a well-formed record of the expected kind (FORMAT.md REC2). */
  FORMAT: 'format',
  /** A record of a format version this code does not read (REC2). */
  UNSUPPORTED_VERSION: 'unsupported_version',
  /** The header's signature or MAC does not verify: it was edited (REC6, REC7). */
  HEADER: 'header',
  /** Signed by another host key than the pinned one (REC6). */
  SIGNATURE: 'signature',
  /** A segment's bytes do not match its hash chain value, signature or AEAD tag (REC10-REC13). */
  TAMPERED: 'tampered',
  /** A segment was opened where another index was expected (REC14). */
  REORDERED: 'reordered',
  /** The manifest is malformed, unsigned, or belongs to another header (REC16-REC18). */
  MANIFEST: 'manifest',
  /** The auditor key is not among the header's recipients (REC5). */
  NOT_RECIPIENT: 'not_recipient',
  /** The auditor's private key does not open the file key wrapped for its key id (REC5). */
  WRONG_KEY: 'wrong_key',
  /** A caller passed data the format cannot hold (writer side): a bug in the caller. */
  INVALID_INPUT: 'invalid_input',
  /** The writer was already finished. */
  FINISHED: 'finished',
  /** The platform lacks a primitive (WebCrypto X25519/Ed25519/AES-GCM). */
  UNSUPPORTED: 'unsupported',
} as const;

/** One of the values of {@link RecordingErrorCode}. */
export type RecordingErrorCode = (typeof RecordingErrorCode)[keyof typeof RecordingErrorCode];

/**
 * Error thrown by the recordings package. `code` is what callers branch on, `segment` names the
 * segment index concerned when there is one, `message` is a sentence without secret material.
 */
export class RecordingError extends Error {
  /** Machine-readable reason. */
  readonly code: RecordingErrorCode;
  /** Index of the segment concerned, when the error is about one segment. */
  readonly segment: number | undefined;

  /** Builds an error with a code, a message, an optional segment index and an optional cause. */
  constructor(code: RecordingErrorCode, message: string, options?: { segment?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RecordingError';
    this.code = code;
    this.segment = options?.segment;
  }

  /** Malformed bytes; `what` names the record or field. */
  static format(what: string, segment?: number): RecordingError {
    return new RecordingError(RecordingErrorCode.FORMAT, `Malformed ${what}.`, { segment });
  }

  /** A record of an unknown format version. */
  static unsupportedVersion(kind: string, version: number): RecordingError {
    return new RecordingError(RecordingErrorCode.UNSUPPORTED_VERSION, `Unsupported ${kind} version ${version}.`);
  }

  /** The header was edited (signature or MAC). */
  static header(message: string, cause?: unknown): RecordingError {
    return new RecordingError(RecordingErrorCode.HEADER, message, { cause });
  }

  /** Signed by a key other than the pinned host key. */
  static signature(message: string): RecordingError {
    return new RecordingError(RecordingErrorCode.SIGNATURE, message);
  }

  /** A segment failed an integrity check. */
  static tampered(segment: number | undefined, message: string, cause?: unknown): RecordingError {
    return new RecordingError(RecordingErrorCode.TAMPERED, message, { segment, cause });
  }

  /** A segment arrived where another was expected. */
  static reordered(expected: number, found: number): RecordingError {
    return new RecordingError(
      RecordingErrorCode.REORDERED,
      `Expected segment ${expected} but these bytes are segment ${found}: segments were reordered or swapped.`,
      { segment: expected },
    );
  }

  /** The manifest failed a check. */
  static manifest(message: string, cause?: unknown): RecordingError {
    return new RecordingError(RecordingErrorCode.MANIFEST, message, { cause });
  }

  /** The auditor key id is not a recipient. */
  static notRecipient(keyId: string, recipients: string[]): RecordingError {
    return new RecordingError(
      RecordingErrorCode.NOT_RECIPIENT,
      `Auditor key ${keyId} is not among this recording's recipients (${recipients.join(', ')}).`,
    );
  }

  /** The private key does not open the wrapped file key. */
  static wrongKey(keyId: string, cause?: unknown): RecordingError {
    return new RecordingError(
      RecordingErrorCode.WRONG_KEY,
      `The private key does not open the file key wrapped for auditor key ${keyId}.`,
      { cause },
    );
  }

  /** The caller passed data the format cannot hold. */
  static invalidInput(message: string): RecordingError {
    return new RecordingError(RecordingErrorCode.INVALID_INPUT, message);
  }

  /** The writer is finished. */
  static finished(): RecordingError {
    return new RecordingError(RecordingErrorCode.FINISHED, 'The recording is already finished.');
  }

  /** A WebCrypto primitive is missing. */
  static unsupported(what: string, cause?: unknown): RecordingError {
    return new RecordingError(RecordingErrorCode.UNSUPPORTED, `This platform does not support ${what}.`, { cause });
  }
}
