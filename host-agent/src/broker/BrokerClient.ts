import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import * as v from 'valibot';
import {
  HostInbound,
  PROTOCOL_VERSION,
  RecordingUploadGrant,
  SessionOpened,
  UPLOAD_TOKEN_HEADER,
  UploadResult,
  hostAuthMessage,
  parse,
  type Ack,
  type EndReason,
  type HostReport,
  type Permission,
} from '@wardlink/protocol';
import type { DeviceIdentity } from '../identity/DeviceIdentity.ts';
import { AgentError } from '../errors.ts';
import type { Logger } from 'pino';

/** Options for {@link BrokerClient}. */
export interface BrokerClientOptions {
  brokerUrl: string;
  /** PEM file of the hospital CA; when absent the system trust store is used. */
  caFile?: string;
  identity: DeviceIdentity;
  name: string;
  enrollToken?: string;
  log: Logger;
}

type Inbound = { [K in keyof typeof HostInbound]: v.InferOutput<(typeof HostInbound)[K]> };

/** Events of {@link BrokerClient}. */
export interface BrokerClientEvents extends Inbound {
  online: undefined;
  offline: undefined;
}

/** Milliseconds: the longest wait between reconnection attempts. */
const MAX_BACKOFF_MS = 30_000;

/**
 * The agent's link to the broker: enrollment over HTTPS, then a socket.io
 * connection authenticated with the device key, kept up with reconnection and
 * backoff. Inbound events are validated before anyone sees them.
 */
export class BrokerClient {
  private readonly options: BrokerClientOptions;
  private readonly ca: string | undefined;
  private socket: Socket | undefined;
  private hostId: string | undefined;
  private readonly listeners = new Map<keyof BrokerClientEvents, Set<(payload: never) => void>>();
  private attempts = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: BrokerClientOptions) {
    this.options = options;
    this.ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;
  }

  /** This host's id at the broker, once enrolled. */
  get id(): string | undefined {
    return this.hostId;
  }

  get online(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof BrokerClientEvents>(event: K, listener: (payload: BrokerClientEvents[K]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (payload: never) => void);
  }

  private emit<K extends keyof BrokerClientEvents>(event: K, payload: BrokerClientEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: BrokerClientEvents[K]) => void)(payload);
  }

  /** Enrolls if needed, then connects. Resolves once enrolled; the connection itself keeps retrying. */
  async start(): Promise<void> {
    const { identity, brokerUrl } = this.options;
    this.hostId = identity.hostIdFor(brokerUrl);
    if (!this.hostId) {
      if (!this.options.enrollToken) throw AgentError.notEnrolled();
      const reply = await this.post<{ hostId: string }>('/api/hosts/enroll', {
        token: this.options.enrollToken,
        name: this.options.name,
        publicKey: identity.publicKey,
      });
      identity.setEnrollment(reply.hostId, brokerUrl);
      this.hostId = reply.hostId;
      this.options.log.info({ hostId: this.hostId }, 'enrolled');
    }
    this.connect();
  }

  private connect(): void {
    const hostId = this.hostId!;
    const socket = io(`${this.options.brokerUrl}/host`, {
      transports: ['websocket'],
      ...(this.ca ? { ca: this.ca } : {}),
      reconnectionDelay: 1000,
      reconnectionDelayMax: MAX_BACKOFF_MS,
      randomizationFactor: 0.5,
      auth: (cb) => {
        this.post<{ nonce: string }>('/api/hosts/challenge', { hostId })
          .then(({ nonce }) =>
            cb({ protocolVersion: PROTOCOL_VERSION, hostId, nonce, signature: this.options.identity.sign(hostAuthMessage(hostId, nonce)) }),
          )
          .catch((err: unknown) => {
            this.options.log.warn({ err: String(err) }, 'challenge failed');
            cb({ protocolVersion: PROTOCOL_VERSION, hostId });
          });
      },
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.attempts = 0;
      this.options.log.info('connected to broker');
      this.emit('online', undefined);
    });
    socket.on('disconnect', (reason) => {
      this.options.log.warn({ reason }, 'disconnected from broker');
      this.emit('offline', undefined);
    });
    socket.on('connect_error', (err) => {
      this.options.log.warn({ err: err.message }, 'broker connection failed');
      // A refusal by the broker's middleware stops socket.io's own retries: back off and retry ourselves.
      if (!socket.active) this.scheduleRetry(socket);
    });
    for (const event of Object.keys(HostInbound) as Array<keyof typeof HostInbound>) {
      socket.on(event, (payload: unknown) => {
        const parsed = parse(HostInbound[event], payload, 80 * 1024);
        if (!parsed.ok) {
          this.options.log.warn({ event, code: parsed.error.code }, 'invalid message from broker');
          return;
        }
        this.emit(event, parsed.value as never);
      });
    }
  }

  private scheduleRetry(socket: Socket): void {
    if (this.closed) return;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempts++) * (0.5 + Math.random() / 2);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => socket.connect(), delay);
  }

  /** SES1: asks for a session code for `sid`; `keepCode` keeps the last attempt's code (PIN5). */
  openSession(sid: string, keepCode = false): Promise<{ code: string; expiresAt: number }> {
    return this.request('session:open', { sid, ...(keepCode ? { keepCode } : {}) }, SessionOpened);
  }

  /** M2 of the PIN handshake. */
  sendAnswer(answer: { sessionId: string; sdp: string; yb: string; tb: string }): Promise<unknown> {
    return this.request('signal:answer', answer, v.unknown());
  }

  /** POL3: the broker's newest signed recording policy, unverified (RecordingPolicy checks it). */
  async getPolicy(): Promise<unknown> {
    const reply = await this.request('policy:get', {}, v.strictObject({ policy: v.unknown() }));
    return reply.policy;
  }

  /** UPL1: announces (or resumes) a recording of a session; resolves with an upload grant. */
  startRecording(recordingId: string, sessionId: string): Promise<RecordingUploadGrant> {
    return this.request('recording:start', { recordingId, sessionId }, RecordingUploadGrant);
  }

  /** UPL2: uploads one ciphertext part with a grant's token; resolves with the broker's outcome. */
  async uploadPart(recordingId: string, part: string, bytes: Uint8Array, token: string): Promise<UploadResult> {
    const reply = await this.send<unknown>('PUT', `/api/recordings/${recordingId}/${part}`, Buffer.from(bytes), {
      'content-type': 'application/octet-stream',
      [UPLOAD_TOKEN_HEADER]: token,
    });
    const parsed = parse(UploadResult, reply);
    if (!parsed.ok) throw AgentError.broker(parsed.error.code, parsed.error.message);
    return parsed.value;
  }

  /** Reports a security event for the broker's audit log. */
  report(report: { sessionId?: string; event: HostReport; permissions?: Permission[] }): Promise<unknown> {
    return this.request('session:report', report, v.unknown());
  }

  endSession(sessionId: string | undefined, reason: EndReason): Promise<unknown> {
    return this.request('session:end', { ...(sessionId ? { sessionId } : {}), reason }, v.unknown());
  }

  private async request<S extends v.GenericSchema>(event: string, payload: unknown, schema: S): Promise<v.InferOutput<S>> {
    const socket = this.socket;
    if (!socket?.connected) throw AgentError.unreachable(new Error('offline'));
    const ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<unknown>;
    if (!ack || typeof ack !== 'object') throw AgentError.broker('bad_message', 'malformed acknowledgement');
    if (!ack.ok) throw AgentError.broker(ack.error.code, ack.error.message);
    const parsed = parse(schema, ack.data, 80 * 1024);
    if (!parsed.ok) throw AgentError.broker(parsed.error.code, parsed.error.message);
    return parsed.value;
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, Buffer.from(JSON.stringify(body)), { 'content-type': 'application/json' });
  }

  private send<T>(method: string, path: string, data: Buffer, headers: Record<string, string>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = request(
        new URL(path, this.options.brokerUrl),
        {
          method,
          headers: { ...headers, 'content-length': data.length },
          ...(this.ca ? { ca: this.ca } : {}),
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Ack<T>;
              if (reply.ok) resolve(reply.data);
              else reject(AgentError.broker(reply.error.code, reply.error.message));
            } catch (err) {
              reject(AgentError.broker('bad_message', `unreadable reply (${String(err)})`));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => reject(AgentError.unreachable(err)));
      req.end(data);
    });
  }

  /** Disconnects for good. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.disconnect();
    this.socket?.removeAllListeners();
    this.listeners.clear();
  }
}
