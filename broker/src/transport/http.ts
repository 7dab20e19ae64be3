import Koa from 'koa';
import Router from '@koa/router';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { IncomingMessage } from 'node:http';
import QRCode from 'qrcode';
import type * as v from 'valibot';
import {
  AuditorKeyRequest,
  ChallengeRequest,
  EnrollRequest,
  ErrorCode,
  fail,
  formatIp,
  fromBase64Url,
  Id,
  LoginRequest,
  MAX_HTTP_BODY_BYTES,
  MAX_RECORDING_PART_BYTES,
  ok,
  parse,
  parseIp,
  RecordingPart,
  TotpConfirmRequest,
  unmapIpv4,
  UPLOAD_TOKEN_HEADER,
  type LoginResult,
  type TotpEnrolment,
} from '@wardlink/protocol';
import type { AccessControl } from '../access/AccessControl.ts';
import { httpGuard, type GuardState } from '../access/httpGuard.ts';
import { toMe, type Accounts, type Authentication } from '../auth/Accounts.ts';
import { presentedCert } from '../auth/ClientCerts.ts';
import type { HostRegistry } from '../auth/HostRegistry.ts';
import { BrokerError } from '../errors.ts';
import type { Policies } from '../recordings/Policies.ts';
import type { RecordingArchive } from '../recordings/RecordingArchive.ts';
import type { Recordings } from '../recordings/Recordings.ts';
import type { SqliteStore } from '../store/SqliteStore.ts';
import type { Logger } from '../logger.ts';
import { auditorRoutes } from './auditorRoutes.ts';
import { reply } from './reply.ts';

/** Name of the HttpOnly cookie that carries a technician's sign-in. */
export const SESSION_COOKIE = 'wl_session';

/** What the HTTP layer needs from the rest of the broker. */
export interface HttpAppOptions {
  accounts: Accounts;
  hosts: HostRegistry;
  store: SqliteStore;
  viewerDir: string;
  /** Whether a host is connected right now. */
  isOnline: (hostId: string) => boolean;
  log: Logger;
  /** Allow-lists and client addresses (SPEC ACL9-ACL13). */
  access: AccessControl;
  /** Recording uploads and index (SPEC UPL1-UPL6). */
  recordings: Recordings;
  /** Auditor keys and signed recording policies (SPEC POL1-POL5). */
  policies: Policies;
  /** The recording index and parts as auditors read them (SPEC REP1-REP7). */
  archive: RecordingArchive;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Builds the koa application: JSON API under /api, the built viewer everywhere else. */
export function createHttpApp(options: HttpAppOptions): Koa {
  const { accounts, hosts, store, log } = options;
  const app = new Koa();
  const router = new Router({ prefix: '/api' });

  app.use(async (ctx, next) => {
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Strict-Transport-Security', 'max-age=31536000');
    try {
      await next();
    } catch (err) {
      log.error({ err }, 'request failed');
      ctx.status = 500;
      ctx.body = fail(ErrorCode.INTERNAL);
    }
  });

  // Allow-list, then least privilege, before any route (SPEC ACL9-ACL12, ROLE1-ROLE4): broker/src/access/.
  app.use(
    httpGuard({
      access: options.access,
      userOf: (ctx) => accounts.signedInUser(ctx.cookies.get(SESSION_COOKIE), presentedCert(ctx.req.socket)),
      log,
    }),
  );

  // Browsers send Origin on every cross-site POST: a foreign one is refused (CSRF).
  app.use(async (ctx, next) => {
    const origin = ctx.get('Origin');
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && origin && origin !== `https://${ctx.host}`) {
      return reply(ctx, fail(ErrorCode.FORBIDDEN, 'Cross-origin request refused.'));
    }
    return next();
  });

  // AUTH1, AUTH5-AUTH11: password + TOTP (or a recovery code), throttled; audited in Accounts.
  router.post('/login', async (ctx) => {
    const body = await readBody(ctx.req, LoginRequest);
    if (!body.ok) return reply(ctx, body);
    const { username, password, code, recoveryCode } = body.value;
    if (code !== undefined && recoveryCode !== undefined) {
      return reply(ctx, fail(ErrorCode.BAD_MESSAGE, 'Send a code or a recovery code, not both.'));
    }
    const address = requestAddress(ctx);
    const result = await accounts.signIn({ username, password, code, recoveryCode, address, cert: presentedCert(ctx.req.socket) });
    if (!result.ok) {
      if (result.retryAt === undefined) {
        const message = result.code === ErrorCode.UNAUTHENTICATED ? 'Wrong username, password or code.' : undefined;
        return reply(ctx, fail(result.code, message));
      }
      const retryAfter = Math.max(1, Math.ceil((result.retryAt - Date.now()) / 1000));
      ctx.set('Retry-After', String(retryAfter));
      return reply(ctx, { ok: false, error: { ...fail(result.code).error, retryAfter } });
    }
    ctx.cookies.set(SESSION_COOKIE, result.token, {
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      path: '/',
      overwrite: true,
    });
    const answer: LoginResult = { user: toMe(result.user), next: result.stage === 'full' ? 'done' : 'enrol_totp' };
    return reply(ctx, ok(answer));
  });

  router.post('/logout', (ctx) => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (token) accounts.signOut(token, requestAddress(ctx));
    ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, secure: true, sameSite: 'strict', path: '/', maxAge: 0 });
    reply(ctx, ok({}));
  });

  router.get('/me', (ctx) => {
    const user = signedIn(ctx);
    if (user) reply(ctx, ok(toMe(user)));
  });

  // AUTH8: a sign-in without TOTP may only do this: get a secret, its QR code and recovery codes ...
  router.post('/totp/enrol', async (ctx) => {
    const auth = accounts.authenticate(ctx.cookies.get(SESSION_COOKIE), presentedCert(ctx.req.socket));
    if (!auth.ok) return reply(ctx, fail(auth.code));
    const setup = accounts.beginTotp(auth);
    if (!setup) return reply(ctx, fail(ErrorCode.FORBIDDEN, 'Two-step sign-in is set up already.'));
    const qrSvg = await QRCode.toString(setup.uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const enrolment: TotpEnrolment = { uri: setup.uri, secret: setup.secret, qrSvg, recoveryCodes: setup.recoveryCodes };
    ctx.set('Cache-Control', 'no-store');
    return reply(ctx, ok(enrolment));
  });

  // ... and confirm it with a first code, which turns the sign-in into a full one.
  router.post('/totp/confirm', async (ctx) => {
    const body = await readBody(ctx.req, TotpConfirmRequest);
    if (!body.ok) return reply(ctx, body);
    const auth = accounts.authenticate(ctx.cookies.get(SESSION_COOKIE), presentedCert(ctx.req.socket));
    if (!auth.ok) return reply(ctx, fail(auth.code));
    if (!accounts.confirmTotp(auth, body.value.code, requestAddress(ctx))) {
      return reply(ctx, fail(ErrorCode.FORBIDDEN, 'The code does not match.'));
    }
    return reply(ctx, ok(toMe(auth.user)));
  });

  router.get('/hosts', (ctx) => {
    if (!signedIn(ctx)) return undefined;
    const list = hosts.listHosts().map((h) => ({ id: h.id, name: h.name, online: options.isOnline(h.id) }));
    return reply(ctx, ok({ hosts: list }));
  });

  router.post('/hosts/enroll', async (ctx) => {
    const body = await readBody(ctx.req, EnrollRequest);
    if (!body.ok) return reply(ctx, body);
    const host = hosts.enroll(body.value.token, body.value.name, body.value.publicKey);
    if (!host) {
      store.audit({ type: 'host.enroll_failed', address: ctx.ip });
      return reply(ctx, fail(ErrorCode.FORBIDDEN, 'The enrollment token is invalid, used or expired.'));
    }
    store.audit({ type: 'host.enrolled', hostId: host.id, address: ctx.ip, detail: { name: host.name } });
    log.info({ hostId: host.id }, 'host enrolled');
    return reply(ctx, ok({ hostId: host.id }));
  });

  router.post('/hosts/challenge', async (ctx) => {
    const body = await readBody(ctx.req, ChallengeRequest);
    if (!body.ok) return reply(ctx, body);
    const nonce = hosts.challenge(body.value.hostId);
    return reply(ctx, nonce ? ok({ nonce }) : fail(ErrorCode.NOT_FOUND, 'Unknown host.'));
  });

  /**
   * The technician behind the request's cookie and client certificate, or
   * undefined after replying with why not (`unauthenticated`,
   * `totp_required`, `client_cert_required`). Every technician route but
   * login, logout and TOTP enrolment goes through this.
   */
  function signedIn(ctx: Koa.Context): Extract<Authentication, { ok: true }>['user'] | undefined {
    const auth = accounts.signedInUser(ctx.cookies.get(SESSION_COOKIE), presentedCert(ctx.req.socket));
    if (auth.ok) return auth.user;
    reply(ctx, fail(auth.code));
    return undefined;
  }

  // POL1: an auditor registers the public half of a key made in their browser; an admin approves it.
  router.post('/auditor/keys', async (ctx) => {
    const body = await readBody(ctx.req, AuditorKeyRequest);
    if (!body.ok) return reply(ctx, body);
    const user = (ctx.state as Partial<GuardState>).user;
    if (!user) return reply(ctx, fail(ErrorCode.UNAUTHENTICATED));
    try {
      const key = options.policies.register(user.id, fromBase64Url(body.value.publicKey), body.value.label);
      return reply(ctx, ok({ keyId: key.keyId, status: key.status }));
    } catch (err) {
      if (err instanceof BrokerError) return reply(ctx, fail(err.code));
      throw err;
    }
  });

  // UPL2/UPL3: a host uploads one ciphertext part with the token `recording:start` gave it.
  router.put('/recordings/:recordingId/:part', async (ctx) => {
    const recordingId = parse(Id, ctx.params['recordingId']);
    const part = parse(RecordingPart, ctx.params['part']);
    if (!recordingId.ok || !part.ok) return reply(ctx, fail(ErrorCode.BAD_MESSAGE, 'Unknown recording part.'));
    const body = await readRaw(ctx.req, MAX_RECORDING_PART_BYTES);
    if (!body.ok) return reply(ctx, body);
    try {
      const stored = options.recordings.upload(ctx.get(UPLOAD_TOKEN_HEADER) || undefined, recordingId.value, part.value, body.value);
      return reply(ctx, ok({ stored }));
    } catch (err) {
      if (!(err instanceof BrokerError)) throw err;
      if (err.code === ErrorCode.STORAGE_FULL) log.error({ recordingId: recordingId.value }, 'recording storage full');
      return reply(ctx, fail(err.code));
    }
  });

  // REP1-REP7: the auditor console's read routes.
  auditorRoutes(router, { archive: options.archive, policies: options.policies, sessionCookie: SESSION_COOKIE });

  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/api/')) return reply(ctx, fail(ErrorCode.NOT_FOUND));
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    await serveStatic(ctx, options.viewerDir);
    return undefined;
  });
  return app;
}

/**
 * The client's address in canonical form (`::ffff:10.1.2.3` is `10.1.2.3`): the one the access guard
 * worked out behind trusted proxies, else the TCP peer. Login throttling counts per this address.
 */
function requestAddress(ctx: Koa.Context): string {
  const guarded = (ctx.state as Partial<GuardState>).clientAddress;
  if (guarded) return guarded;
  try {
    return formatIp(unmapIpv4(parseIp(ctx.ip)));
  } catch {
    return ctx.ip.slice(0, 64);
  }
}

/** Reads a raw body of at most `limit` bytes. */
async function readRaw(req: IncomingMessage, limit: number): Promise<{ ok: true; value: Buffer } | ReturnType<typeof fail>> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return fail(ErrorCode.TOO_LARGE);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return fail(ErrorCode.TOO_LARGE);
    chunks.push(chunk as Buffer);
  }
  return { ok: true, value: Buffer.concat(chunks) };
}

/** Reads a JSON body of at most {@link MAX_HTTP_BODY_BYTES} and validates it. */
async function readBody<S extends v.GenericSchema>(req: IncomingMessage, schema: S) {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_HTTP_BODY_BYTES) return fail(ErrorCode.TOO_LARGE);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_HTTP_BODY_BYTES) return fail(ErrorCode.TOO_LARGE);
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return fail(ErrorCode.BAD_MESSAGE, 'The body is not JSON.');
  }
  const parsed = parse(schema, json, MAX_HTTP_BODY_BYTES);
  return parsed.ok ? { ok: true as const, value: parsed.value } : { ok: false as const, error: parsed.error };
}

/** Serves files of the built viewer; unknown paths get index.html (client-side routes). */
async function serveStatic(ctx: Koa.Context, dir: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(ctx.path);
  } catch {
    ctx.status = 400;
    return;
  }
  const requested = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
  const name = requested === '/' || !extname(requested) ? '/index.html' : requested;
  const path = join(dir, name);
  if (!path.startsWith(dir)) {
    ctx.status = 404;
    return;
  }
  try {
    ctx.body = await readFile(path);
    ctx.type = TYPES[extname(path)] ?? 'application/octet-stream';
    ctx.set('Cache-Control', name === '/index.html' ? 'no-cache' : 'public, max-age=300');
  } catch {
    ctx.status = 404;
    ctx.body = name === '/index.html' ? 'The viewer is not built: run npm run build.' : 'Not found';
  }
}
