// Simulated host agents for the broker capacity benchmark: a separate process holding many real
// socket.io clients on the broker's /host namespace, each enrolled with its own Ed25519 device key
// and authenticated like host-agent/src/broker/BrokerClient.ts (challenge nonce, signature).
// socket.io's heartbeat stays on: the broker pings every client and drops silent ones.
//
// Driven over stdin/stdout, one JSON object per line:
//   in:  {"cmd":"grow","to":N,"budgetMs":T} | {"cmd":"status"} | {"cmd":"quit"}
//   out: {"type":"ready"} | {"type":"grown",...} | {"type":"failed",...} | {"type":"status",...}
//
// Enrollment tokens are issued in bulk straight into the broker's SQLite database (WAL lets the
// running broker share it), then redeemed through the broker's HTTP API like a real enrollment.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createInterface } from 'node:readline';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { PROTOCOL_VERSION, hostAuthMessage } from '@wardlink/protocol';
import { defaultConfig, parseFlags } from '../../broker/src/config.ts';
import { openDomain } from '../../broker/src/index.ts';
import { rssMiB } from '../lib/proc.ts';

/** Parallel HTTP enrollments and parallel socket connects. */
const ENROLL_CONCURRENCY = 8;
const CONNECT_CONCURRENCY = 128;
/** Milliseconds one agent may take to connect. */
const CONNECT_TIMEOUT_MS = 30_000;
/**
 * Source addresses for the sockets: each (source, destination) pair has about 28,000 ephemeral
 * ports on Linux, so spreading over several loopback addresses keeps port exhaustion out of the
 * measurement. The whole 127/8 block is local on `lo`.
 */
const SOURCE_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.1.${i + 1}`);

interface SimAgent {
  key: KeyObject;
  publicKey: string;
  hostId?: string;
  socket?: Socket;
}

const flags = parseFlags(process.argv.slice(2));
const brokerUrl = flags['url']!;
const ca = readFileSync(flags['ca']!, 'utf8');
const domain = openDomain({ ...defaultConfig(), dataDir: flags['data-dir']!, logLevel: 'warn' });
const http = new Agent({ keepAlive: true, maxSockets: ENROLL_CONCURRENCY * 2, ca });
const agents: SimAgent[] = [];
let connected = 0;
let disconnects = 0;
let lastDisconnect = '';

function reply(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function post<T>(path: string, body: unknown): Promise<T> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise<T>((resolve, reject) => {
    const req = request(
      new URL(path, brokerUrl),
      { method: 'POST', agent: http, headers: { 'content-type': 'application/json', 'content-length': data.length }, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('error', reject);
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let ack: { ok: boolean; data?: T; error?: { code: string } };
          try {
            ack = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof ack;
          } catch {
            reject(new Error(`${path}: HTTP ${res.statusCode} without a JSON body`));
            return;
          }
          if (ack.ok) resolve(ack.data as T);
          else reject(new Error(`${path}: ${ack.error?.code ?? res.statusCode}`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path}: timeout`)));
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * Runs `work(i)` for every i in [from, to) with at most `limit` in flight; stops at the first
 * failure, and fails when `deadline` (performance.now() milliseconds) passes.
 */
async function pool(from: number, to: number, limit: number, deadline: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = from;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < to && failure === undefined) {
      if (performance.now() > deadline) {
        failure ??= new Error(`time budget exhausted with ${next - from} of ${to - from} started`);
        return;
      }
      const i = next++;
      await work(i).catch((err: unknown) => {
        failure ??= err;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, to - from) }, worker));
  if (failure !== undefined) throw failure;
}

/** Issues the tokens in one transaction, then enrolls each new agent over HTTPS. */
async function enroll(from: number, to: number, deadline: number): Promise<void> {
  const tokens = domain.store.db.transaction(() =>
    Array.from({ length: to - from }, (_, k) => domain.hosts.issueEnrollToken(`Sim ${from + k}`, 3_600_000)),
  )();
  for (let i = from; i < to; i++) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    agents[i] = { key: privateKey, publicKey: String(publicKey.export({ format: 'jwk' }).x) };
  }
  await pool(from, to, ENROLL_CONCURRENCY, deadline, async (i) => {
    const agent = agents[i]!;
    const { hostId } = await post<{ hostId: string }>('/api/hosts/enroll', { token: tokens[i - from], name: `Sim ${i}`, publicKey: agent.publicKey });
    agent.hostId = hostId;
    stepState.enrolled++;
  });
}

/**
 * A fresh nonce for `hostId`. One retry after a network error: a pooled keep-alive connection
 * can be closed by the server just as it is reused, which says nothing about the broker's capacity.
 */
async function challenge(hostId: string): Promise<string> {
  try {
    return (await post<{ nonce: string }>('/api/hosts/challenge', { hostId })).nonce;
  } catch (err) {
    if (!(err as NodeJS.ErrnoException).code) throw err;
    return (await post<{ nonce: string }>('/api/hosts/challenge', { hostId })).nonce;
  }
}

/** Connects one agent to /host, authenticating as BrokerClient does. */
function connect(i: number): Promise<void> {
  const agent = agents[i]!;
  const hostId = agent.hostId!;
  let challengeError = '';
  stepState.attempts++;
  return new Promise<void>((resolve, reject) => {
    // engine.io-client hands `localAddress` to the WebSocket; socket.io-client's types omit it.
    const options: Partial<ManagerOptions & SocketOptions> & { localAddress: string } = {
      transports: ['websocket'],
      ca,
      forceNew: true,
      reconnection: false,
      localAddress: SOURCE_ADDRESSES[i % SOURCE_ADDRESSES.length]!,
      auth: (cb) => {
        challenge(hostId).then(
          (nonce) =>
            cb({
              protocolVersion: PROTOCOL_VERSION,
              hostId,
              nonce,
              signature: sign(null, Buffer.from(hostAuthMessage(hostId, nonce)), agent.key).toString('base64url'),
            }),
          (err: unknown) => {
            challengeError = err instanceof Error ? err.message : String(err);
            cb({ protocolVersion: PROTOCOL_VERSION, hostId });
          },
        );
      },
    };
    const socket = io(`${brokerUrl}/host`, options);
    agent.socket = socket;
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`agent ${i}: no connection within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      connected++;
      socket.once('disconnect', (reason) => {
        connected--;
        disconnects++;
        lastDisconnect = reason;
      });
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new Error(`agent ${i}: ${err.message}${challengeError ? ` (challenge failed: ${challengeError})` : ''}`));
    });
  });
}

/** What a step is doing, for progress lines and the stall message. */
const stepState = { phase: 'idle', enrolled: 0, attempts: 0 };

/** Milliseconds between progress lines on stderr while a step runs (the harness shows them on failure). */
const PROGRESS_MS = 10_000;
/** Milliseconds after the budget at which a step that still has not finished is reported as stalled. */
const STALL_GRACE_MS = 30_000;

async function grow(to: number, budgetMs: number): Promise<void> {
  const from = agents.length;
  const started = performance.now();
  const deadline = started + budgetMs;
  let answered = false;
  const answer = (message: Record<string, unknown>): void => {
    if (!answered) reply(message);
    answered = true;
  };
  const describe = (): string =>
    `${stepState.phase}: ${stepState.enrolled} enrolled, ${stepState.attempts} connects started, ${connected} online`;
  const ticker = setInterval(() => process.stderr.write(`sim ${describe()}\n`), PROGRESS_MS);
  // Whatever hangs inside, the harness gets an answer.
  const watchdog = setTimeout(
    () => answer({ type: 'failed', connected, disconnects, lastDisconnect, reason: `stalled (${describe()})` }),
    budgetMs + STALL_GRACE_MS,
  );
  try {
    stepState.phase = 'enrolling';
    await enroll(from, to, deadline);
    const enrolled = performance.now();
    stepState.phase = 'connecting';
    await pool(from, to, CONNECT_CONCURRENCY, deadline, connect);
    const done = performance.now();
    answer({ type: 'grown', connected, enrollSeconds: (enrolled - started) / 1000, connectSeconds: (done - enrolled) / 1000 });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    answer({ type: 'failed', connected, disconnects, lastDisconnect, reason: `${reason} (${describe()})` });
  } finally {
    stepState.phase = 'idle';
    clearInterval(ticker);
    clearTimeout(watchdog);
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line) as { cmd: string; to?: number; budgetMs?: number };
  switch (message.cmd) {
    case 'grow':
      void grow(message.to!, message.budgetMs!);
      return;
    case 'status':
      reply({ type: 'status', connected, disconnects, lastDisconnect, rssMiB: rssMiB(process.pid) ?? 0 });
      return;
    case 'quit':
      for (const agent of agents) agent.socket?.disconnect();
      domain.store.close();
      process.exit(0);
      return;
    default:
      reply({ type: 'failed', reason: `unknown command ${message.cmd}` });
  }
});
reply({ type: 'ready' });
