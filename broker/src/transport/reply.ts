import type Koa from 'koa';
import { ErrorCode } from '@wardlink/protocol';

/** An API answer (SPEC ERR1): data, or an error code with a fixed message. */
export type Reply = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; retryAfter?: number } };

/** HTTP status per error code; codes not listed answer 400. */
const STATUS: Record<string, number> = {
  [ErrorCode.BAD_MESSAGE]: 400,
  [ErrorCode.TOO_LARGE]: 413,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.TOTP_REQUIRED]: 403,
  [ErrorCode.CLIENT_CERT_REQUIRED]: 403,
  [ErrorCode.ADDRESS_DENIED]: 403,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.STORAGE_FULL]: 507,
};

/** Sends `body` as the JSON answer, with the status its error code maps to (200 on success). */
export function reply(ctx: Koa.Context, body: Reply): void {
  ctx.status = body.ok ? 200 : (STATUS[body.error.code] ?? 400);
  ctx.body = body;
}
