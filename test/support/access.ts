// Builders for allow-list and role tests: HTTPS requests and socket.io connections from a chosen
// source address, a host identity without a host agent process, and the test network's addresses.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, hostAuthMessage, type Ack } from '@wardlink/protocol';
import type { TestBroker, TestUser } from './broker.ts';
import { run } from './processes.ts';

/** Where a client connects from: a local source address; IPv6 sources talk to `::1`, IPv4 ones to 127.0.0.1. */
export type From = string;

/** The broker's origin as seen from `from` (its Host header, and the Origin a same-site page sends). */
export function originFor(broker: TestBroker, from: From): string {
  return from.includes(':') ? `https://[::1]:${broker.port}` : `https://127.0.0.1:${broker.port}`;
}

/**
 * Whether this process runs in a private network namespace that has only `lo` (as `npm test`
 * arranges). Tests that add addresses to `lo` run only then, so they never touch a real machine.
 */
export async function inPrivateNetworkNamespace(): Promise<boolean> {
  try {
    const links = (await run('ip', ['-o', 'link', 'show'])).trim().split('\n');
    return links.length === 1 && /^\d+: lo:/.test(links[0]!);
  } catch {
    return false;
  }
}

/** Adds addresses to `lo` (in the private namespace) and returns a function that removes them. */
export async function addLoopbackAddresses(addresses: string[]): Promise<() => Promise<void>> {
  const added: string[] = [];
  for (const address of addresses) {
    const prefix = address.includes(':') ? '128' : '32';
    await run('ip', ['addr', 'add', `${address}/${prefix}`, 'dev', 'lo']);
    added.push(`${address}/${prefix}`);
  }
  return async () => {
    for (const address of added) await run('ip', ['addr', 'del', address, 'dev', 'lo']).catch(() => undefined);
  };
}

/** An HTTPS answer: status and the error code (or `ok`). */
export interface Answer {
  status: number;
  code: string;
  data?: unknown;
  cookie?: string;
}

/** One HTTPS request to the broker from a source address. */
export function call(
  broker: TestBroker,
  options: { from: From; method?: string; path: string; cookie?: string; headers?: Record<string, string>; body?: unknown },
): Promise<Answer> {
  const origin = originFor(broker, options.from);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${origin}${options.path}`,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        ca: readFileSync(broker.caFile, 'utf8'),
        localAddress: options.from,
        agent: false,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let code = res.statusCode === 200 ? 'ok' : `http_${res.statusCode}`;
          let data: unknown;
          try {
            const reply = JSON.parse(text) as Ack<unknown>;
            code = reply.ok ? 'ok' : reply.error.code;
            data = reply.ok ? reply.data : undefined;
          } catch {
            // Not JSON (a viewer file): the status says enough.
          }
          const cookie = (res.headers['set-cookie'] ?? [])[0]?.split(';')[0];
          resolve({ status: res.statusCode ?? 0, code, ...(data === undefined ? {} : { data }), ...(cookie ? { cookie } : {}) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs `user` in from `from` with a fresh TOTP code; returns the session cookie (`name=value`). */
export async function login(broker: TestBroker, user: TestUser, from: From): Promise<string> {
  const answer = await call(broker, {
    from,
    path: '/api/login',
    body: { username: user.username, password: user.password, code: await user.code() },
  });
  if (answer.code !== 'ok' || !answer.cookie) throw new Error(`login of ${user.username} from ${from} failed: ${answer.status} ${answer.code}`);
  return answer.cookie;
}

/** Opens a socket.io connection; resolves `connected` or the connect_error message, with the socket. */
export async function connect(
  broker: TestBroker,
  namespace: '/tech' | '/host' | '/',
  options: {
    from: From;
    cookie?: string;
    /** The Origin header; the broker's own origin by default, none at all with null. */
    origin?: string | null;
    auth?: Record<string, unknown>;
    headers?: Record<string, string>;
  },
): Promise<{ result: string; socket: Socket }> {
  const origin = originFor(broker, options.from);
  const socket = io(`${origin}${namespace}`, {
    transports: ['websocket'],
    ca: readFileSync(broker.caFile, 'utf8'),
    localAddress: options.from,
    auth: options.auth ?? { protocolVersion: PROTOCOL_VERSION },
    extraHeaders: {
      ...(options.origin === null ? {} : { origin: options.origin ?? origin }),
      ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    reconnection: false,
    // A fresh connection each time: socket.io-client would otherwise multiplex over an earlier one from another address.
    forceNew: true,
    timeout: 10_000,
  } as Parameters<typeof io>[1]);
  const result = await new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(err.message));
  });
  if (result !== 'connected') socket.disconnect();
  return { result, socket };
}

/** Resolves with the disconnect reason of a socket (or `still connected` after `timeoutMs`). */
export function disconnected(socket: Socket, timeoutMs = 10_000): Promise<string> {
  if (!socket.connected) return Promise.resolve('not connected');
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still connected'), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** A host identity (Ed25519 device key) enrolled over HTTPS, without a host agent process. */
export interface TestHost {
  hostId: string;
  privateKey: KeyObject;
}

/** Enrolls a new host from `from` with a one-time token. */
export async function enrollHost(broker: TestBroker, from: From, name = 'Ward PC'): Promise<TestHost> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const token = await broker.enrollToken(name);
  const answer = await call(broker, { from, path: '/api/hosts/enroll', body: { token, name, publicKey: jwk.x } });
  if (answer.code !== 'ok') throw new Error(`enrolment from ${from} failed: ${answer.code}`);
  return { hostId: (answer.data as { hostId: string }).hostId, privateKey };
}

/** Fetches a challenge from `from` and returns the signed `/host` handshake (or the refusal code). */
export async function hostAuth(broker: TestBroker, host: TestHost, from: From): Promise<Record<string, unknown> | string> {
  const answer = await call(broker, { from, path: '/api/hosts/challenge', body: { hostId: host.hostId } });
  if (answer.code !== 'ok') return answer.code;
  const nonce = (answer.data as { nonce: string }).nonce;
  const signature = sign(null, Buffer.from(hostAuthMessage(host.hostId, nonce)), host.privateKey).toString('base64url');
  return { protocolVersion: PROTOCOL_VERSION, hostId: host.hostId, nonce, signature };
}

/** Connects a host to `/host` from `from`: challenge over HTTPS, then the signed handshake. */
export async function connectHost(broker: TestBroker, host: TestHost, from: From): Promise<{ result: string; socket?: Socket }> {
  const auth = await hostAuth(broker, host, from);
  if (typeof auth === 'string') return { result: `challenge: ${auth}` };
  return connect(broker, '/host', { from, auth });
}

/** Sends one event and returns the ack's error code, or `ok`. */
export async function emit(socket: Socket, event: string, payload: unknown): Promise<string> {
  const ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<unknown>;
  return ack.ok ? 'ok' : ack.error.code;
}

/** The broker's `access.denied` audit rows (read-only from its database file), oldest first. */
export function deniedEvents(broker: TestBroker): Array<{ type: string; address: string | null; detail: Record<string, unknown> }> {
  const db = new Database(join(broker.dataDir, 'wardlink.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(`SELECT type, address, detail FROM audit_events WHERE type LIKE 'access.denied%' ORDER BY seq`)
      .all() as Array<{ type: string; address: string | null; detail: string }>;
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}
