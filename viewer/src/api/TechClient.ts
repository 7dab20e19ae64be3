import { ErrorCode, TechInbound, parse, type Ack, type HostSummary } from '@wardlink/protocol';
import { TypedEmitter } from '../session/TypedEmitter.ts';
import { request, type SignalingSocket } from './request.ts';

/** The socket.io client socket of the `/tech` namespace, as the console uses it. */
export interface TechSocket extends SignalingSocket {
  readonly connected: boolean;
  disconnect(): unknown;
}

/** Options of {@link TechClient}. */
export interface TechClientOptions {
  /** Milliseconds to wait for an acknowledgement. Default 10000. */
  requestTimeoutMs?: number;
}

/** Events of a {@link TechClient}. */
export interface TechClientEvents {
  /** The host list, after connecting and on every `hosts:changed`. */
  hosts: HostSummary[];
  /** The socket is connected (`true`) or trying to reconnect (`false`). */
  connection: boolean;
  /** The broker refused the connection; `unauthenticated` means the sign-in is gone. */
  refused: ErrorCode;
}

/** Bytes. A host list may be long; allow more than the default message bound. */
const MAX_HOST_LIST_BYTES = 1024 * 1024;

/**
 * The console's connection to the broker's `/tech` namespace: keeps the
 * host list current and reports connection trouble. Sessions use the same
 * socket through {@link TechClient.socket}.
 */
export class TechClient extends TypedEmitter<TechClientEvents> {
  private readonly disposers: Array<() => void> = [];
  private readonly timeoutMs: number;
  private closed = false;

  constructor(
    /** The underlying socket, shared with sessions. */
    readonly socket: TechSocket,
    options: TechClientOptions = {},
  ) {
    super();
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    const onConnect = (): void => {
      this.emit('connection', true);
      void this.refreshHosts();
    };
    const onDisconnect = (): void => this.emit('connection', false);
    const onConnectError = (err: unknown): void => {
      const message = err instanceof Error ? err.message : '';
      const code = (Object.values(ErrorCode) as string[]).includes(message) ? (message as ErrorCode) : undefined;
      if (code !== undefined && code !== ErrorCode.UNAVAILABLE && code !== ErrorCode.INTERNAL) {
        this.emit('refused', code);
      } else {
        this.emit('connection', false);
      }
    };
    const onHostsChanged = (payload: unknown): void => {
      const parsed = parse(TechInbound['hosts:changed'], payload, MAX_HOST_LIST_BYTES);
      if (parsed.ok) {
        this.emit('hosts', parsed.value.hosts);
      }
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    socket.on('hosts:changed', onHostsChanged);
    this.disposers.push(() => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      socket.off('hosts:changed', onHostsChanged);
    });
    if (socket.connected) {
      queueMicrotask(onConnect);
    }
  }

  /** Asks for the host list; on success also emits `hosts`. */
  async refreshHosts(): Promise<Ack<HostSummary[]>> {
    const ack = await request(this.socket, 'hosts:list', {}, TechInbound['hosts:changed'], {
      timeoutMs: this.timeoutMs,
      maxBytes: MAX_HOST_LIST_BYTES,
    });
    if (!ack.ok) {
      return ack;
    }
    if (!this.closed) {
      this.emit('hosts', ack.data.hosts);
    }
    return { ok: true, data: ack.data.hosts };
  }

  /** Disconnects and forgets every listener. Safe to call more than once. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const dispose of this.disposers.splice(0)) {
      dispose();
    }
    this.socket.disconnect();
    this.removeAllListeners();
  }
}

