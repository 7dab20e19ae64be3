// Technician sign-in end to end (AUTH5-AUTH12): password + TOTP with enrolment in Chromium, replay and
// recovery codes, throttling that survives a restart, idle and absolute expiry, and client certificates.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION } from '@wardlink/protocol';
import { auditEvents } from './support/audit.ts';
import { launchBrowser, signInPage } from './support/browser.ts';
import { freshCodes, startBroker, totpAt, type TestBroker, type TestUser } from './support/broker.ts';
import { tempDir } from './support/processes.ts';

/** A JSON answer of the broker. */
interface Answer {
  status: number;
  body: { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string; retryAfter?: number } };
  headers: Record<string, string | string[] | undefined>;
  /** `name=value` of the session cookie, if one was set. */
  cookie?: string;
}

/** A client certificate as PEM texts, for node's TLS. */
interface Pem {
  cert: string;
  key: string;
}

function api(broker: TestBroker, method: string, path: string, options: { body?: unknown; cookie?: string; tls?: Pem } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${broker.url}${path}`,
      {
        method,
        ca: readFileSync(broker.caFile, 'utf8'),
        headers: { 'content-type': 'application/json', ...(options.cookie ? { cookie: options.cookie } : {}) },
        ...(options.tls ?? {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const cookie = (res.headers['set-cookie'] ?? [])[0]?.split(';')[0];
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'],
            headers: res.headers,
            ...(cookie ? { cookie } : {}),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

function login(broker: TestBroker, fields: Record<string, string>, tls?: Pem): Promise<Answer> {
  return api(broker, 'POST', '/api/login', { body: fields, ...(tls ? { tls } : {}) });
}

/** Signs a TOTP user in with a fresh code; returns the cookie. */
async function signedIn(broker: TestBroker, user: TestUser, tls?: Pem): Promise<string> {
  const answer = await login(broker, { username: user.username, password: user.password, code: await user.code() }, tls);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.cookie!;
}

/** The error code (or `connected`) of a `/tech` socket.io connection with this cookie. */
async function socketOutcome(broker: TestBroker, cookie: string): Promise<string> {
  const socket = io(`${broker.url}/tech`, {
    transports: ['websocket'],
    ca: readFileSync(broker.caFile, 'utf8'),
    auth: { protocolVersion: PROTOCOL_VERSION },
    extraHeaders: { cookie, origin: broker.url },
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
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A code of the same secret that is not the right one now nor one step either side. */
function wrongCode(secret: string): string {
  const near = new Set([-1, 0, 1].map((d) => totpAt(secret, Date.now() + d * 30_000)));
  for (let n = 0; ; n++) {
    const code = String((Number(totpAt(secret)) + 7 + n) % 1_000_000).padStart(6, '0');
    if (!near.has(code)) return code;
  }
}

describe('password + TOTP (AUTH5-AUTH8, AUTH12)', () => {
  let broker: TestBroker;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  before(async () => {
    // Many tests fail sign-ins on purpose from 127.0.0.1: only the per-user limit is tested here.
    broker = await startBroker({ env: { WARDLINK_LOGIN_MAX_FAILURES_ADDRESS: '1000' } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await broker?.stop();
  });

  test('AUTH8, AUTH5: a first sign-in enrols with a QR code in Chromium; after sign-out the code from the app signs in', async () => {
    const user = await broker.addUser({ name: 'Suzuki Aki', totp: false });
    const page = await browser.context.newPage();
    await page.goto(broker.url);
    await page.getByRole('textbox', { name: 'Username' }).fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    await qr.waitFor();
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
    assert.ok(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0), 'the QR code image loads under the CSP');
    assert.equal(await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count(), 10);
    const secret = (await page.locator('code.secret').textContent())!.replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);

    // Until TOTP is confirmed, the sign-in opens nothing else.
    const cookie = (await browser.context.cookies(broker.url)).find((c) => c.name === 'wl_session')!;
    const hosts = await api(broker, 'GET', '/api/hosts', { cookie: `wl_session=${cookie.value}` });
    assert.deepEqual([hosts.status, hosts.body.error?.code], [403, 'totp_required']);
    assert.equal(await socketOutcome(broker, `wl_session=${cookie.value}`), 'totp_required');

    const codes = freshCodes(secret);
    await page.getByLabel('Code from the app').fill(wrongCode(secret));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('alert').filter({ hasText: 'does not match' }).waitFor();
    await page.getByLabel('Code from the app').fill(await codes());
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('textbox', { name: 'Session code' }).waitFor();
    assert.equal(await socketOutcome(broker, `wl_session=${cookie.value}`), 'connected');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('textbox', { name: 'One-time code' }).waitFor();
    await signInPage(page, broker.url, { ...user, totpSecret: secret, code: codes });
    await page.getByRole('textbox', { name: 'Session code' }).waitFor();
    await page.close();

    const trail = auditEvents(broker).map((e) => e.type).filter((t) => ['login', 'totp.enrolled', 'logout'].includes(t));
    assert.deepEqual(trail, ['login', 'totp.enrolled', 'logout', 'login']);
    const logins = auditEvents(broker, 'login').slice(-2).map((e) => e.detail);
    assert.deepEqual(logins, [{ method: 'password', stage: 'enrol' }, { method: 'totp', stage: 'full' }]);
  });

  test('AUTH5: a wrong, missing or malformed code is refused exactly like a wrong password', async () => {
    const user = await broker.addUser();
    const wrongPassword = await login(broker, { username: user.username, password: 'not the password', code: await user.code() });
    const wrongTotp = await login(broker, { username: user.username, password: user.password, code: wrongCode(user.totpSecret!) });
    const noCode = await login(broker, { username: user.username, password: user.password });
    const unknownUser = await login(broker, { username: 'nobody-here', password: user.password, code: '123456' });
    for (const answer of [wrongPassword, wrongTotp, noCode, unknownUser]) {
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body.error, { code: 'unauthenticated', message: 'Wrong username, password or code.' });
      assert.equal(answer.cookie, undefined);
    }
    const malformed = await login(broker, { username: user.username, password: user.password, code: '12345' });
    assert.deepEqual([malformed.status, malformed.body.error?.code], [400, 'bad_message']);
    const reasons = auditEvents(broker, 'login.failed').slice(-4).map((e) => e.detail['reason']);
    assert.deepEqual(reasons, ['wrong_password', 'wrong_code', 'missing_code', 'wrong_password']);
  });

  test('AUTH6: a TOTP code that signed in once is refused when replayed', async () => {
    const user = await broker.addUser();
    const code = await user.code();
    const first = await login(broker, { username: user.username, password: user.password, code });
    assert.equal(first.status, 200);
    const replay = await login(broker, { username: user.username, password: user.password, code });
    assert.deepEqual([replay.status, replay.body.error?.code], [401, 'unauthenticated']);
    assert.equal(auditEvents(broker, 'login.failed').at(-1)?.detail['reason'], 'replayed_code');
  });

  test('AUTH7: a recovery code signs in once, and the audit log counts what is left', async () => {
    const user = await broker.addUser();
    assert.equal(user.recoveryCodes.length, 10);
    const recoveryCode = user.recoveryCodes[3]!;
    const first = await login(broker, { username: user.username, password: user.password, recoveryCode: recoveryCode.toUpperCase() });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.data?.['next'], 'done');
    const again = await login(broker, { username: user.username, password: user.password, recoveryCode });
    assert.deepEqual([again.status, again.body.error?.code], [401, 'unauthenticated']);
    const recoveryLogin = auditEvents(broker, 'login').at(-1)!;
    assert.deepEqual(recoveryLogin.detail, { method: 'recovery_code', stage: 'full', recoveryCodesLeft: 9 });
  });

  test('AUTH10: logout deletes the sign-in: the cookie opens nothing afterwards', async () => {
    const user = await broker.addUser();
    const cookie = await signedIn(broker, user);
    assert.equal((await api(broker, 'GET', '/api/me', { cookie })).status, 200);
    assert.equal((await api(broker, 'POST', '/api/logout', { cookie, body: {} })).status, 200);
    const me = await api(broker, 'GET', '/api/me', { cookie });
    assert.deepEqual([me.status, me.body.error?.code], [401, 'unauthenticated']);
    assert.equal(await socketOutcome(broker, cookie), 'unauthenticated');
  });

  test('AUTH8: an admin TOTP reset ends the sign-ins and the next sign-in enrols again', async () => {
    const user = await broker.addUser();
    const cookie = await signedIn(broker, user);
    await broker.cli(['user', 'reset-totp', '--username', user.username]);
    assert.equal((await api(broker, 'GET', '/api/me', { cookie })).status, 401);
    const again = await login(broker, { username: user.username, password: user.password });
    assert.equal(again.status, 200);
    assert.equal(again.body.data?.['next'], 'enrol_totp');
    const enrol = await api(broker, 'POST', '/api/totp/enrol', { cookie: again.cookie!, body: {} });
    assert.equal(enrol.status, 200);
    assert.notEqual(enrol.body.data?.['secret'], user.totpSecret);
    assert.match(String(enrol.body.data?.['qrSvg']), /^<svg[^>]*>/);
    assert.equal(enrol.headers['cache-control'], 'no-store');
  });

  test('AUTH9: five failures lock the username, even for the right credentials, across a broker restart', async () => {
    const user = await broker.addUser();
    for (let i = 0; i < 5; i++) {
      assert.equal((await login(broker, { username: user.username, password: `wrong-${i}`, code: '000000' })).status, 401);
    }
    // Refused attempts never reach the TOTP check, so the current code can be sent again and again.
    const started = Date.now();
    const locked = await login(broker, { username: user.username, password: user.password, code: totpAt(user.totpSecret!) });
    const refusedMs = Date.now() - started;
    assert.deepEqual([locked.status, locked.body.error?.code], [429, 'rate_limited']);
    const retryAfter = locked.body.error!.retryAfter!;
    assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `retryAfter ${retryAfter}`);
    assert.equal(locked.headers['retry-after'], String(retryAfter));
    assert.ok(refusedMs < 1000, `a refused attempt is answered without argon2 (${refusedMs} ms)`);

    await broker.restart();
    const afterRestart = await login(broker, { username: user.username, password: user.password, code: totpAt(user.totpSecret!) });
    assert.deepEqual([afterRestart.status, afterRestart.body.error?.code], [429, 'rate_limited']);
    const throttled = auditEvents(broker, 'login.throttled').filter((e) => e.detail['username'] === user.username);
    assert.ok(throttled.length >= 1 && throttled.every((e) => e.detail['scope'] === 'user'));

    await broker.cli(['user', 'unlock', '--username', user.username]);
    assert.equal((await login(broker, { username: user.username, password: user.password, code: await user.code() })).status, 200);
  });
});

describe('limits and expiry (AUTH9, AUTH10)', () => {
  let broker: TestBroker;

  before(async () => {
    broker = await startBroker({
      env: {
        WARDLINK_SESSION_IDLE_SECONDS: '2',
        WARDLINK_SESSION_MAX_SECONDS: '5',
        WARDLINK_LOGIN_MAX_FAILURES_ADDRESS: '3',
      },
    });
  });

  after(async () => broker?.stop());

  test('AUTH10: a sign-in idle for longer than the idle timeout is unauthenticated; activity slides it', async () => {
    const user = await broker.addUser();
    const cookie = await signedIn(broker, user);
    for (let i = 0; i < 3; i++) {
      await sleep(1000);
      assert.equal((await api(broker, 'GET', '/api/me', { cookie })).status, 200, `request ${i + 1} within the idle timeout`);
    }
    await sleep(2500);
    const me = await api(broker, 'GET', '/api/me', { cookie });
    assert.deepEqual([me.status, me.body.error?.code], [401, 'unauthenticated']);
    assert.equal(await socketOutcome(broker, cookie), 'unauthenticated');
  });

  test('AUTH10: however active, a sign-in ends at its absolute lifetime', async () => {
    const user = await broker.addUser();
    const cookie = await signedIn(broker, user);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 8000) {
      await sleep(700);
      status = (await api(broker, 'GET', '/api/hosts', { cookie })).status;
    }
    assert.equal(status, 401);
    const lasted = Date.now() - started;
    assert.ok(lasted >= 4500 && lasted < 7000, `the sign-in lasted ${lasted} ms`);
  });

  test('AUTH9: one address failing for several usernames is refused, including for other usernames', async () => {
    const [a, b] = [await broker.addUser(), await broker.addUser()];
    for (const name of [a.username, b.username, 'ghost']) {
      assert.equal((await login(broker, { username: name, password: 'wrong password' })).status, 401);
    }
    const refused = await login(broker, { username: a.username, password: a.password, code: await a.code() });
    assert.deepEqual([refused.status, refused.body.error?.code], [429, 'rate_limited']);
    const event = auditEvents(broker, 'login.throttled').at(-1)!;
    assert.equal(event.detail['scope'], 'address');
  });
});

describe('client certificates (AUTH11)', () => {
  let broker: TestBroker;
  let vendor: TestUser;
  let admins = 0;
  const work = tempDir('client-certs');
  /** A new admin per test, so no test waits for a TOTP time step another one used. */
  const newAdmin = (): Promise<TestUser> => broker.addUser({ username: `it-admin-${++admins}`, role: 'admin' });
  const pem = (dir: string): Pem => ({ cert: readFileSync(join(dir, 'client.crt'), 'utf8'), key: readFileSync(join(dir, 'client.key'), 'utf8') });

  before(async () => {
    broker = await startBroker({ env: { WARDLINK_CLIENT_CERT_ROLES: 'admin' } });
    vendor = await broker.addUser({ username: 'vendor-tech', role: 'vendor' });
  });

  after(async () => {
    await broker?.stop();
    work.remove();
  });

  test('AUTH11: a role that needs a certificate is refused without one; other roles sign in as before', async () => {
    const admin = await newAdmin();
    const refused = await login(broker, { username: admin.username, password: admin.password, code: await admin.code() });
    assert.deepEqual([refused.status, refused.body.error?.code], [403, 'client_cert_required']);
    assert.equal(auditEvents(broker, 'login.cert_refused').at(-1)?.detail['reason'], 'missing');
    await signedIn(broker, vendor);
  });

  test('AUTH11: with its own certificate from the CLI the admin signs in in Chromium and the console connects', async () => {
    const admin = await newAdmin();
    const dir = join(work.path, 'admin');
    const issued = await broker.cli(['cert', 'issue', admin.username, '--out', dir, '--days', '30']);
    assert.match(issued, /^serial [0-9A-F]{32}$/m);
    const browser = await launchBrowser({
      clientCertificates: [{ origin: broker.url, certPath: join(dir, 'client.crt'), keyPath: join(dir, 'client.key') }],
    });
    try {
      const page = await browser.context.newPage();
      await signInPage(page, broker.url, admin);
      // The host list arrives over the /tech socket, which needs the certificate too.
      await page.getByText('No PCs are registered.').waitFor();
      assert.equal(await page.getByText('Reconnecting', { exact: false }).count(), 0);
    } finally {
      await browser.close();
    }
  });

  test('AUTH11: a certificate issued to another user does not do', async () => {
    const admin = await newAdmin();
    const dir = join(work.path, 'vendor');
    await broker.cli(['cert', 'issue', vendor.username, '--out', dir]);
    const refused = await login(broker, { username: admin.username, password: admin.password, code: await admin.code() }, pem(dir));
    assert.deepEqual([refused.status, refused.body.error?.code], [403, 'client_cert_required']);
    assert.equal(auditEvents(broker, 'login.cert_refused').at(-1)?.detail['reason'], 'other_user');
  });

  test('AUTH11: a revoked certificate is refused at sign-in and ends the sign-ins made with it', async () => {
    const admin = await newAdmin();
    const dir = join(work.path, 'admin-2');
    const serial = /^serial ([0-9A-F]+)$/m.exec(await broker.cli(['cert', 'issue', admin.username, '--out', dir]))![1]!;
    const cookie = await signedIn(broker, admin, pem(dir));
    assert.equal((await api(broker, 'GET', '/api/me', { cookie, tls: pem(dir) })).status, 200);
    assert.equal((await api(broker, 'GET', '/api/me', { cookie })).status, 403, 'the cookie alone does not do');

    await broker.cli(['cert', 'revoke', serial]);
    assert.match(await broker.cli(['cert', 'list']), new RegExp(`^${serial} .*revoked`, 'm'));
    const me = await api(broker, 'GET', '/api/me', { cookie, tls: pem(dir) });
    assert.deepEqual([me.status, me.body.error?.code], [403, 'client_cert_required']);
    const again = await login(broker, { username: admin.username, password: admin.password, code: await admin.code() }, pem(dir));
    assert.deepEqual([again.status, again.body.error?.code], [403, 'client_cert_required']);
    assert.equal(auditEvents(broker, 'login.cert_refused').at(-1)?.detail['reason'], 'revoked');
  });

  test('AUTH11: a certificate from another CA is refused', async () => {
    const admin = await newAdmin();
    const other = await startBroker();
    try {
      const dir = join(work.path, 'foreign');
      await other.addUser({ username: admin.username, role: 'admin' });
      await other.cli(['cert', 'issue', admin.username, '--out', dir]);
      const refused = await login(broker, { username: admin.username, password: admin.password, code: await admin.code() }, pem(dir));
      assert.deepEqual([refused.status, refused.body.error?.code], [403, 'client_cert_required']);
      assert.equal(auditEvents(broker, 'login.cert_refused').at(-1)?.detail['reason'], 'untrusted');
    } finally {
      await other.stop();
    }
  });
});
