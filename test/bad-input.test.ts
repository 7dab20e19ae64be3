// ERR2 / INP4 / AUTH2: malformed, oversized and foreign input is refused with an error code,
// and the broker and the host agent keep running.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION, type Ack } from '@wardlink/protocol';
import { startAgent, type TestAgent } from './support/agent.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { run } from './support/processes.ts';
import { signIn, TechClient } from './support/techClient.ts';
import { liveSession } from './support/session.ts';
import { wardState } from './support/ward.ts';
import { startXDisplay, type XDisplay } from './support/xdisplay.ts';

let x: XDisplay;
let broker: TestBroker;
let agent: TestAgent;
let user: { username: string; password: string };
const clients: TechClient[] = [];

before(async () => {
  x = await startXDisplay({ width: 1024, height: 768 });
  broker = await startBroker();
  agent = await startAgent({ broker, display: x.display });
  user = await broker.addUser();
});

after(async () => {
  clients.forEach((c) => c.close());
  await agent?.stop();
  await broker?.stop();
  await x?.stop();
});

async function client(): Promise<TechClient> {
  const c = await TechClient.connect(broker, user);
  clients.push(c);
  return c;
}

function errorCode(ack: Ack<unknown>): string | undefined {
  return ack.ok ? undefined : ack.error.code;
}

describe('socket.io (ERR1, ERR2)', () => {
  test('a malformed session code is refused with bad_message', async () => {
    const c = await client();
    assert.equal(errorCode(await c.request('session:join', { code: '12ab' })), 'bad_message');
    assert.equal(errorCode(await c.request('session:join', { code: '123456789', extra: 1 })), 'bad_message');
    assert.equal(errorCode(await c.request('session:join', 'not an object')), 'bad_message');
    assert.equal(errorCode(await c.request('signal:offer', { sessionId: 'x', sdp: 'v=0' })), 'bad_message');
  });

  test('an unknown event is refused with bad_message', async () => {
    const c = await client();
    assert.equal(errorCode(await c.request('admin:become', {})), 'bad_message');
  });

  test('an oversized payload is refused with too_large before it is parsed', async () => {
    const c = await client();
    assert.equal(errorCode(await c.request('hosts:list', { pad: 'x'.repeat(20_000) })), 'too_large');
  });

  test('a packet above the transport limit closes only that connection; the broker keeps serving', async () => {
    const c = await client();
    const closed = new Promise<string>((resolve) => c.socket.once('disconnect', (reason) => resolve(reason)));
    c.socket.emit('hosts:list', { pad: 'x'.repeat(300_000) }, () => undefined);
    assert.equal(await closed, 'transport close');
    const fresh = await client();
    const list = await fresh.request<{ hosts: unknown[] }>('hosts:list', {});
    assert.equal(list.ok, true);
  });

  test('an unknown code is refused with not_found, and the codes cannot be brute-forced (rate_limited)', async () => {
    const c = await TechClient.connect(broker, await broker.addUser());
    clients.push(c);
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 11; i++) codes.push(errorCode(await c.request('session:join', { code: String(100000000 + i) })));
    assert.deepEqual(codes.slice(0, 10), new Array(10).fill('not_found'));
    assert.equal(codes[10], 'rate_limited');
  });
});

describe('connection guards (AUTH1, AUTH2, VER1)', () => {
  const connectError = async (options: { cookie?: string; origin?: string; version?: number }): Promise<string> => {
    const socket = io(`${broker.url}/tech`, {
      transports: ['websocket'],
      ca: readFileSync(broker.caFile, 'utf8'),
      auth: { protocolVersion: options.version ?? PROTOCOL_VERSION },
      extraHeaders: { ...(options.cookie ? { cookie: options.cookie } : {}), origin: options.origin ?? broker.url },
      reconnection: false,
    });
    try {
      return await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (err) => resolve(err.message));
      });
    } finally {
      socket.disconnect();
    }
  };

  test('a viewer socket without a sign-in is refused', async () => {
    assert.equal(await connectError({}), 'unauthenticated');
  });

  test('a viewer socket from a foreign origin is refused even with a valid cookie (CSWSH)', async () => {
    const cookie = await signIn(broker, user);
    assert.equal(await connectError({ cookie, origin: 'https://evil.example' }), 'forbidden');
    assert.equal(await connectError({ cookie }), 'connected');
  });

  test('a client of another protocol version is refused', async () => {
    const cookie = await signIn(broker, user);
    assert.equal(await connectError({ cookie, version: 99 }), 'version_mismatch');
  });

  test('HTTP: malformed, oversized and cross-origin bodies get error codes', async () => {
    assert.deepEqual(await post('/api/login', '{nope'), [400, 'bad_message']);
    assert.deepEqual(await post('/api/login', JSON.stringify({ username: 'a'.repeat(40_000), password: 'x' })), [413, 'too_large']);
    assert.deepEqual(await post('/api/hosts/enroll', JSON.stringify({ token: 'A'.repeat(43), name: 'x', publicKey: 'B'.repeat(43) })), [403, 'forbidden']);
    assert.deepEqual(await post('/api/login', JSON.stringify(user), { origin: 'https://evil.example' }), [403, 'forbidden']);
  });
});

describe('data channel (INP1-INP4)', () => {
  test('malformed control messages get an error reply and the session keeps working', async () => {
    const c = await client();
    await liveSession(c, agent);
    const channel = c.channel!;

    const sent = ['not json', JSON.stringify({ type: 'input:pointer', action: 'move', x: -1, y: 5, button: 0 }),
      JSON.stringify({ type: 'bogus' }), JSON.stringify({ type: 'input:text', text: 'x'.repeat(5000) })];
    for (const message of sent) channel.send(message);
    const deadline = Date.now() + 10_000;
    while (c.hostMessages.filter((m) => m.type === 'error').length < sent.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const codes = c.hostMessages.flatMap((m) => (m.type === 'error' ? [m.code] : []));
    assert.deepEqual(codes, ['bad_message', 'bad_message', 'bad_message', 'too_large']);

    channel.send(JSON.stringify({ type: 'input:pointer', action: 'move', x: 321, y: 123, button: 0 }));
    let at = '';
    const until = Date.now() + 5000;
    while (at !== 'X=321 Y=123' && Date.now() < until) {
      const out = await run('xdotool', ['getmouselocation', '--shell'], { env: x.env });
      at = `X=${/^X=(\d+)/m.exec(out)?.[1]} Y=${/^Y=(\d+)/m.exec(out)?.[1]}`;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(at, 'X=321 Y=123');
    assert.equal(agent.proc.child.exitCode, null);
    assert.equal((await wardState(agent)).state, 'live');
  });
});

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${broker.url}${path}`,
      { method: 'POST', ca: readFileSync(broker.caFile, 'utf8'), headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (ch: Buffer) => chunks.push(ch));
        res.on('end', () => {
          const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Ack<unknown>;
          resolve([res.statusCode ?? 0, reply.ok ? 'ok' : reply.error.code]);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
