import type Koa from 'koa';
import { ErrorCode, fail, formatIp } from '@wardlink/protocol';
import type { Logger } from '../logger.ts';
import type { UserRecord } from '../store/SqliteStore.ts';
import type { AccessControl } from './AccessControl.ts';
import type { Decision } from './AllowListPolicy.ts';
import { httpAction, isAllowed, isHostAction, isPublic, type Action } from './policy.ts';

/** The path socket.io's engine serves (its default). */
const SOCKET_IO_PATH = '/socket.io/';

/** Options for {@link httpGuard}. */
export interface HttpGuardOptions {
  access: AccessControl;
  /**
   * The fully signed-in technician of a request (cookie, and client certificate where required), or
   * why there is none (`unauthenticated`, `totp_required`, `client_cert_required`).
   */
  userOf: (ctx: Koa.Context) => { ok: true; user: UserRecord } | { ok: false; code: ErrorCode };
  log: Logger;
}

/** What the guard leaves in `ctx.state` for the routes. */
export interface GuardState {
  /** Canonical client address (after trusted proxies), for audit events. */
  clientAddress: string;
  /** The action this request performs. */
  action: Action;
  /** The signed-in technician, when there is one. */
  user?: UserRecord;
}

/**
 * Koa middleware that runs before every route: the allow-list (ACL9-ACL11)
 * on the client address, then least privilege (ROLE1, ROLE4) on the route's
 * action. A refused request never reaches a route.
 * - outside the lists that apply: 403 `address_denied` (audited, ACL12);
 * - a route no rule names: 404 `not_found`;
 * - an action that needs a sign-in, without one: 401 `unauthenticated` (or 403 with the reason the
 *   sign-in is not complete: `totp_required`, `client_cert_required`);
 * - an action the role lacks: 403 `forbidden`.
 */
export function httpGuard(options: HttpGuardOptions): Koa.Middleware {
  const { access, userOf, log } = options;
  const unnamed = new Set<string>();
  return async (ctx, next) => {
    // socket.io's engine answers its own path on the same server, and checks addresses itself (socketGuard).
    if (ctx.path.startsWith(SOCKET_IO_PATH)) {
      ctx.respond = false;
      return undefined;
    }
    const peer = ctx.req.socket.remoteAddress;
    const address = access.clientOf(peer, ctx.req.headers['x-forwarded-for']);
    const action = httpAction(ctx.method, ctx.path);
    const signedIn = action && isHostAction(action) ? undefined : userOf(ctx);
    const user = signedIn?.ok ? signedIn.user : undefined;

    const policy = access.policy;
    let decision: Decision;
    if (action && isHostAction(action)) decision = policy.host(address);
    else if (user) decision = policy.technician(address, user);
    else decision = policy.anyTechnician(address);
    if (!decision.allowed) {
      access.denied({ address, peer, scope: decision.scope, name: decision.name, channel: 'http', reason: 'outside_list', ...(user ? { actor: user.id } : {}) });
      return refuse(ctx, 403, ErrorCode.ADDRESS_DENIED);
    }

    if (!action) {
      const route = `${ctx.method} ${ctx.path.slice(0, 200)}`;
      if (ctx.path.startsWith('/api/') && unnamed.size < 100 && !unnamed.has(route)) {
        // Once per route: a new route that nobody added to the table shows up in the log, a scanner does not flood it.
        unnamed.add(route);
        log.warn({ route }, 'no access rule names this route: refused (add it to HTTP_ACTIONS in broker/src/access/policy.ts)');
      }
      return refuse(ctx, 404, ErrorCode.NOT_FOUND);
    }
    if (!isPublic(action)) {
      if (!user) {
        const code = signedIn && !signedIn.ok ? signedIn.code : ErrorCode.UNAUTHENTICATED;
        return refuse(ctx, code === ErrorCode.UNAUTHENTICATED ? 401 : 403, code);
      }
      if (!isAllowed(user.role, action)) return refuse(ctx, 403, ErrorCode.FORBIDDEN);
    }
    const state: GuardState = { clientAddress: formatIp(address!), action, ...(user ? { user } : {}) };
    Object.assign(ctx.state, state);
    return next();
  };
}

function refuse(ctx: Koa.Context, status: number, code: ErrorCode): void {
  ctx.status = status;
  ctx.body = fail(code);
}
