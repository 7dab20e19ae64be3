import type { Permission } from '@wardlink/protocol';
import type { UserRecord } from '../store/SqliteStore.ts';

/**
 * Least privilege (docs/SPEC.md ROLE1-ROLE6). Every HTTP route and every
 * socket.io event names one action; a principal may perform an action only if
 * its row below lists it. Anything not in these tables is denied.
 */

/** A technician's role. */
export type Role = UserRecord['role'];

/** Every role, in display order. */
export const ROLES: readonly Role[] = ['admin', 'helpdesk', 'vendor', 'auditor'];

/** Whether `text` names a role. */
export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

/** Everything a principal can ask the broker to do. */
export const ACTIONS = [
  // Anyone the allow-list lets in (ROLE2): the viewer's files, sign-in and out, TOTP enrolment (the
  // route checks its enrol-only sign-in), host enrolment (the one-time token) and host challenges.
  'viewer:load',
  'auth:login',
  'auth:logout',
  'auth:totp',
  'host:enroll',
  'host:challenge',
  // A host uploading a recording part: the route checks the upload token (UPL2).
  'host:recording_upload',
  // Signed-in technicians.
  'account:read',
  'hosts:list',
  'session:join',
  'session:signal',
  'session:end',
  // Administration (routes come with the admin console; the CLI works on the database directly).
  'users:manage',
  'hosts:manage',
  'allowlist:manage',
  'enroll:issue',
  // Auditing: the audit log (routes come with the audit issue), the recording console, the auditor's own keys.
  'audit:read',
  'recordings:list',
  'recordings:read',
  'auditor:key_register',
  'auditor:key_read',
  // Host agents on `/host`, authenticated by their device key.
  'host:session_open',
  'host:session_answer',
  'host:session_report',
  'host:session_end',
  'host:recording_start',
  'host:policy_get',
] as const;

/** One of {@link ACTIONS}. */
export type Action = (typeof ACTIONS)[number];

/** Who asks: a signed-in technician's role, an authenticated host agent, or nobody yet. */
export type Principal = Role | 'host' | 'anonymous';

const PUBLIC: readonly Action[] = [
  'viewer:load',
  'auth:login',
  'auth:logout',
  'auth:totp',
  'host:enroll',
  'host:challenge',
  'host:recording_upload',
];
const SESSIONS: readonly Action[] = ['session:join', 'session:signal', 'session:end'];

/**
 * The role table (ROLE3). Admins administer and do not take part in remote
 * sessions: an IT admin who also does support uses a separate help-desk
 * account, so the strongest account never touches a patient PC and each
 * session is attributed to a support identity. Auditors read the audit log and
 * recordings and see nothing live.
 */
export const ROLE_ACTIONS: Readonly<Record<Principal, readonly Action[]>> = {
  anonymous: PUBLIC,
  admin: [...PUBLIC, 'account:read', 'hosts:list', 'users:manage', 'hosts:manage', 'allowlist:manage', 'enroll:issue'],
  helpdesk: [...PUBLIC, 'account:read', 'hosts:list', ...SESSIONS],
  vendor: [...PUBLIC, 'account:read', 'hosts:list', ...SESSIONS],
  auditor: [...PUBLIC, 'account:read', 'audit:read', 'recordings:list', 'recordings:read', 'auditor:key_register', 'auditor:key_read'],
  host: ['host:session_open', 'host:session_answer', 'host:session_report', 'host:session_end', 'host:recording_start', 'host:policy_get'],
};

/** Whether `principal` may perform `action` (default deny). */
export function isAllowed(principal: Principal, action: Action | undefined): boolean {
  return action !== undefined && ROLE_ACTIONS[principal].includes(action);
}

/** Whether anyone, signed in or not, may perform `action`. */
export function isPublic(action: Action): boolean {
  return PUBLIC.includes(action);
}

/** Whether `action` is one a host agent performs over HTTP (its address is checked against host-group lists). */
export function isHostAction(action: Action): boolean {
  return action.startsWith('host:');
}

/**
 * HTTP routes and their actions (ROLE4). `:name` matches one path segment.
 * GET and HEAD outside `/api/` load the viewer. A route missing here is refused.
 */
export const HTTP_ACTIONS: Readonly<Record<string, Action>> = {
  'POST /api/login': 'auth:login',
  'POST /api/logout': 'auth:logout',
  // TOTP enrolment: the route itself requires an enrol-only sign-in (AUTH8).
  'POST /api/totp/enrol': 'auth:totp',
  'POST /api/totp/confirm': 'auth:totp',
  'GET /api/me': 'account:read',
  'GET /api/hosts': 'hosts:list',
  'POST /api/hosts/enroll': 'host:enroll',
  'POST /api/hosts/challenge': 'host:challenge',
  'PUT /api/recordings/:recordingId/:part': 'host:recording_upload',
  'POST /api/auditor/keys': 'auditor:key_register',
  'GET /api/auditor/keys': 'auditor:key_read',
  // The auditor console (REP1-REP7): the index, one recording, one stored part's ciphertext.
  'GET /api/recordings': 'recordings:list',
  'GET /api/recordings/:recordingId': 'recordings:read',
  'GET /api/recordings/:recordingId/:part': 'recordings:read',
};

/** socket.io events per namespace and their actions (ROLE5). An event missing here is refused. */
export const SOCKET_ACTIONS: Readonly<Record<string, Readonly<Record<string, Action>>>> = {
  '/tech': {
    'hosts:list': 'hosts:list',
    'session:join': 'session:join',
    'signal:offer': 'session:signal',
    'signal:confirm': 'session:signal',
    'session:end': 'session:end',
  },
  '/host': {
    'session:open': 'host:session_open',
    'signal:answer': 'host:session_answer',
    'session:report': 'host:session_report',
    'session:end': 'host:session_end',
    'recording:start': 'host:recording_start',
    'policy:get': 'host:policy_get',
  },
};

const routePatterns = Object.entries(HTTP_ACTIONS).map(([key, action]) => {
  const [method, path] = key.split(' ') as [string, string];
  const pattern = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { method, path: new RegExp(`^${pattern}/?$`), action };
});

/**
 * The action of an HTTP request, or undefined when no rule names it (which
 * denies). Paths compare case-insensitively with an optional trailing slash,
 * as the router matches them, so `/API/Hosts/` cannot slip past as a viewer file.
 */
export function httpAction(method: string, path: string): Action | undefined {
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const lower = path.toLowerCase();
  if (!lower.startsWith('/api/') && lower !== '/api') return verb === 'GET' ? 'viewer:load' : undefined;
  return routePatterns.find((r) => r.method === verb && r.path.test(lower))?.action;
}

/** The action of a socket.io event in a namespace, or undefined (which denies). */
export function socketAction(namespace: string, event: string): Action | undefined {
  const events = SOCKET_ACTIONS[namespace];
  return events && Object.hasOwn(events, event) ? events[event] : undefined;
}

/** The principal behind a socket, from what its namespace's authentication stored in `socket.data`. */
export function socketPrincipal(data: { user?: { role?: string }; hostId?: unknown }): Principal {
  const role = data.user?.role;
  if (role !== undefined) return isRole(role) ? role : 'anonymous';
  return typeof data.hostId === 'string' ? 'host' : 'anonymous';
}

/** Whether the socket's principal may send `event` in `namespace` (ROLE5). */
export function mayEmit(namespace: string, event: string, data: { user?: { role?: string }; hostId?: unknown }): boolean {
  return isAllowed(socketPrincipal(data), socketAction(namespace, event));
}

/**
 * The session permissions a role may ask for (ROLE6). Advisory: the broker
 * proposes them in `session:request`, the ward user may narrow them at
 * consent, and the host agent enforces them. Roles without remote sessions get
 * none.
 */
export function sessionPermissionsFor(role: Role): Permission[] {
  switch (role) {
    case 'helpdesk':
      return ['view', 'control', 'file_to_host', 'file_from_host', 'print', 'clipboard_to_host', 'clipboard_from_host', 'chat'];
    case 'vendor':
      return ['view', 'control', 'chat'];
    case 'admin':
    case 'auditor':
      return [];
    default: {
      const unreachable: never = role;
      return unreachable;
    }
  }
}
