import { createConnection, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { PlatformError } from '../errors.ts';
import { parseDisplay, socketPaths } from './display.ts';
import { X11MessageReader } from './X11MessageReader.ts';
import { handshake, type X11Setup } from './x11Setup.ts';
import { readCookie } from './xauth.ts';

export type { X11Setup } from './x11Setup.ts';

/** Options of {@link X11Connection.connect}. */
export interface X11ConnectionOptions {
  /** Xauthority file holding the display's cookie; none means "connect without a cookie". */
  xauthority?: string;
  /** Milliseconds to wait for the socket and the setup reply. Default 5000. */
  timeoutMs?: number;
}

/** What QueryExtension told about one extension. */
export interface X11Extension {
  /** Major opcode of its requests. */
  majorOpcode: number;
  /** Type of its first event (its events are numbered from here). */
  firstEvent: number;
  /** Code of its first error. */
  firstError: number;
}

/** Core event types used by XTEST FakeInput. */
export const X11Event = { KeyPress: 2, KeyRelease: 3, ButtonPress: 4, ButtonRelease: 5, MotionNotify: 6 } as const;
/** `MappingNotify` event type and its `request` value for keyboard changes. */
const MAPPING_NOTIFY = 34;

const Opcode = {
  InternAtom: 16,
  GetProperty: 20,
  QueryPointer: 38,
  GetInputFocus: 43,
  QueryExtension: 98,
  ChangeKeyboardMapping: 100,
  GetKeyboardMapping: 101,
} as const;
const XTEST_FAKE_INPUT = 2;

const ERROR_NAMES: Record<number, string> = { 1: 'BadRequest', 2: 'BadValue', 3: 'BadWindow', 8: 'BadMatch', 10: 'BadAccess', 11: 'BadAlloc', 16: 'BadLength', 17: 'BadImplementation' };

/** The server refused a request. */
export class X11ProtocolError extends Error {
  override readonly name = 'X11ProtocolError';

  constructor(
    readonly errorCode: number,
    readonly majorOpcode: number,
    readonly minorOpcode: number,
    readonly badValue: number,
  ) {
    super(`X error ${ERROR_NAMES[errorCode] ?? errorCode} in request ${majorOpcode}.${minorOpcode} (value ${badValue})`);
  }
}

interface PendingReply {
  seq: number;
  resolve: (reply: Buffer) => void;
  reject: (err: Error) => void;
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/**
 * A minimal X11 protocol client over the display's local socket: just enough for input
 * injection (XTEST FakeInput, keyboard mapping, pointer state) and reading the focused window's
 * title (atoms, properties, input focus). Other modules encode further requests themselves and
 * send them with {@link request} / {@link send}, receiving events through {@link onEvent} (the
 * screen capture's requests are in captureRequests.ts). Unlike Xlib-based code it never
 * exits the process on a protocol or I/O error: errors become rejected promises.
 *
 * Requests are little-endian. Requests without a reply report errors asynchronously; call
 * {@link X11Connection.sync} to learn whether everything sent so far succeeded.
 */
export class X11Connection {
  /** Sequence number of the last request sent, modulo 2^16 as on the wire. */
  private seq = 0;
  private readonly pending: PendingReply[] = [];
  private voidErrors: X11ProtocolError[] = [];
  private readonly reader = new X11MessageReader((message, owned) => this.onMessage(message, owned));
  private xtestOpcode = 0;
  private _closed = false;
  /** Counter of resource ids handed out by {@link newId}. */
  private lastId = 0;
  /** Called for each keyboard MappingNotify (any client changed the keymap, including us). */
  onKeyboardMappingChanged: (() => void) | undefined;
  /**
   * Called for every event (32 bytes; more for a GenericEvent), e.g. an extension's notify events.
   * `event` may be a view into a socket chunk: copy what you keep after returning.
   */
  onEvent: ((event: Buffer) => void) | undefined;
  /** Called once when the connection ends for any reason other than `close()`. */
  onLost: ((err: Error) => void) | undefined;

  private constructor(
    private readonly socket: Socket,
    /** Server and screen facts from the setup reply. */
    readonly setup: X11Setup,
    /** Display name, for messages. */
    readonly display: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // 'close' follows and handles it.
    socket.on('close', () => this.lost(new Error(`connection to X display ${display} closed`)));
  }

  /** Connects to a local display, authenticates and reads the setup. Rejects with PlatformError. */
  static async connect(display: string, options: X11ConnectionOptions = {}): Promise<X11Connection> {
    const name = parseDisplay(display);
    const timeoutMs = options.timeoutMs ?? 5000;
    const cookie = readCookie(options.xauthority, hostname(), name.number);
    const socket = await openFirstSocket(display, socketPaths(name.number), timeoutMs);
    try {
      const setup = await handshake(socket, display, cookie, name.screen, timeoutMs);
      return new X11Connection(socket, setup, display);
    } catch (err) {
      socket.destroy();
      throw err;
    }
  }

  /** True once closed or lost. */
  get closed(): boolean {
    return this._closed;
  }

  /** Finds the XTEST extension; required before {@link fakeInput}. */
  async initXTest(): Promise<void> {
    const xtest = await this.queryExtension('XTEST');
    if (!xtest) throw PlatformError.displayUnavailable(this.display, 'the XTEST extension is missing');
    this.xtestOpcode = xtest.majorOpcode;
  }

  /** Opcode and event and error bases of an extension, or undefined when the server lacks it. */
  async queryExtension(extensionName: string): Promise<X11Extension | undefined> {
    const name = Buffer.from(extensionName, 'latin1');
    const req = Buffer.alloc(8 + name.length + pad4(name.length));
    req.writeUInt8(Opcode.QueryExtension, 0);
    req.writeUInt16LE(req.length / 4, 2);
    req.writeUInt16LE(name.length, 4);
    name.copy(req, 8);
    const reply = await this.request(req);
    if (reply[8] !== 1) return undefined;
    return { majorOpcode: reply[9]!, firstEvent: reply[10]!, firstError: reply[11]! };
  }

  /** A fresh resource id (for a window, pixmap, damage object...) owned by this connection. */
  newId(): number {
    const { resourceIdBase: base, resourceIdMask: mask } = this.setup;
    const step = mask & -mask;
    const id = (++this.lastId * step) & mask;
    if (id === 0) throw new Error('out of X resource ids');
    return (base | id) >>> 0;
  }

  /** Injects one core input event through XTEST (no reply; errors surface at {@link sync}). */
  fakeInput(type: number, detail: number, rootX = 0, rootY = 0): void {
    if (!this.xtestOpcode) throw new Error('initXTest() first');
    const req = Buffer.alloc(36);
    req.writeUInt8(this.xtestOpcode, 0);
    req.writeUInt8(XTEST_FAKE_INPUT, 1);
    req.writeUInt16LE(9, 2);
    req.writeUInt8(type, 4);
    req.writeUInt8(detail, 5);
    req.writeUInt32LE(0, 8); // CurrentTime: no delay.
    req.writeUInt32LE(type === X11Event.MotionNotify ? this.setup.root : 0, 12);
    req.writeInt16LE(rootX, 24);
    req.writeInt16LE(rootY, 26);
    this.send(req);
  }

  /** Reads the keyboard mapping: `perKeycode` keysyms for each keycode from `first`. */
  async getKeyboardMapping(first: number, count: number): Promise<{ perKeycode: number; keysyms: Uint32Array }> {
    const req = Buffer.alloc(8);
    req.writeUInt8(Opcode.GetKeyboardMapping, 0);
    req.writeUInt16LE(2, 2);
    req.writeUInt8(first, 4);
    req.writeUInt8(count, 5);
    const reply = await this.request(req);
    const perKeycode = reply[1]!;
    const keysyms = new Uint32Array(count * perKeycode);
    for (let i = 0; i < keysyms.length; i++) keysyms[i] = reply.readUInt32LE(32 + 4 * i);
    return { perKeycode, keysyms };
  }

  /** Replaces the keysyms of consecutive keycodes (no reply; errors surface at {@link sync}). */
  changeKeyboardMapping(first: number, perKeycode: number, keysyms: readonly number[]): void {
    const count = keysyms.length / perKeycode;
    const req = Buffer.alloc(8 + 4 * keysyms.length);
    req.writeUInt8(Opcode.ChangeKeyboardMapping, 0);
    req.writeUInt8(count, 1);
    req.writeUInt16LE(req.length / 4, 2);
    req.writeUInt8(first, 4);
    req.writeUInt8(perKeycode, 5);
    keysyms.forEach((k, i) => req.writeUInt32LE(k >>> 0, 8 + 4 * i));
    this.send(req);
  }

  /** The atom called `name`, or 0 when no client ever made it (InternAtom, only-if-exists). */
  async internAtom(name: string): Promise<number> {
    const bytes = Buffer.from(name, 'latin1');
    const req = Buffer.alloc(8 + bytes.length + pad4(bytes.length));
    req.writeUInt8(Opcode.InternAtom, 0);
    req.writeUInt8(1, 1);
    req.writeUInt16LE(req.length / 4, 2);
    req.writeUInt16LE(bytes.length, 4);
    bytes.copy(req, 8);
    const reply = await this.request(req);
    return reply.readUInt32LE(8);
  }

  /**
   * A window property of any type: its type atom (0: not set), format (8, 16 or 32 bits per unit)
   * and at most `maxBytes` of its value.
   */
  async getProperty(window: number, property: number, maxBytes = 1024): Promise<{ type: number; format: number; value: Buffer }> {
    const req = Buffer.alloc(24);
    req.writeUInt8(Opcode.GetProperty, 0);
    req.writeUInt16LE(6, 2);
    req.writeUInt32LE(window >>> 0, 4);
    req.writeUInt32LE(property >>> 0, 8);
    req.writeUInt32LE(0, 12); // AnyPropertyType
    req.writeUInt32LE(0, 16); // from the start
    req.writeUInt32LE(Math.ceil(maxBytes / 4), 20);
    const reply = await this.request(req);
    const format = reply[1]!;
    const units = reply.readUInt32LE(16);
    const length = Math.min(units * (format / 8), reply.length - 32);
    return { type: reply.readUInt32LE(8), format, value: reply.subarray(32, 32 + Math.max(0, length)) };
  }

  /** The window that has the keyboard focus (0 None, 1 PointerRoot). */
  async inputFocus(): Promise<number> {
    const req = Buffer.alloc(4);
    req.writeUInt8(Opcode.GetInputFocus, 0);
    req.writeUInt16LE(1, 2);
    const reply = await this.request(req);
    return reply.readUInt32LE(8);
  }

  /** Current modifier and button state (the core `SETofKEYBUTMASK`, e.g. bit 1 = Lock). */
  async queryPointerMask(): Promise<number> {
    const req = Buffer.alloc(8);
    req.writeUInt8(Opcode.QueryPointer, 0);
    req.writeUInt16LE(2, 2);
    req.writeUInt32LE(this.setup.root, 4);
    const reply = await this.request(req);
    return reply.readUInt16LE(24);
  }

  /**
   * Waits until the server has processed every request sent so far (one round trip).
   * Rejects with the first X11ProtocolError raised by a reply-less request since the last sync.
   */
  async sync(): Promise<void> {
    const req = Buffer.alloc(4);
    req.writeUInt8(Opcode.GetInputFocus, 0);
    req.writeUInt16LE(1, 2);
    await this.request(req);
    const errors = this.voidErrors;
    this.voidErrors = [];
    if (errors.length > 0) throw errors[0];
  }

  /** Closes the socket; pending requests reject. Safe to call twice. */
  close(): void {
    if (this._closed) return;
    this.onLost = undefined;
    this.lost(new Error(`connection to X display ${this.display} closed`));
    this.socket.destroy();
  }

  /**
   * Sends a request that has no reply (already encoded, little-endian, length in 4-byte units at
   * byte 2). Its error, if any, surfaces at {@link sync}. Throws once closed.
   */
  send(req: Buffer): void {
    if (this._closed) throw new Error(`connection to X display ${this.display} is closed`);
    this.seq = (this.seq + 1) & 0xffff;
    this.socket.write(req);
  }

  /**
   * Sends a request that has a reply and resolves with the whole reply (32 bytes and its extra
   * data, a buffer of its own); rejects with X11ProtocolError when the server refuses it.
   * Requests may be pipelined: replies arrive in order.
   */
  request(req: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      try {
        this.send(req);
      } catch (err) {
        reject(err as Error);
        return;
      }
      this.pending.push({ seq: this.seq, resolve, reject });
    });
  }

  private onData(chunk: Buffer): void {
    this.reader.push(chunk);
  }

  private onMessage(message: Buffer, owned: boolean): void {
    const kind = message[0]! & 0x7f;
    if (kind === 0) this.onError(message);
    else if (kind === 1) this.onReply(owned ? message : Buffer.from(message));
    else {
      if (kind === MAPPING_NOTIFY && message[4] === 1) this.onKeyboardMappingChanged?.();
      this.onEvent?.(message);
    }
  }

  private onReply(message: Buffer): void {
    const seq = message.readUInt16LE(2);
    const head = this.pending.shift();
    if (!head) return;
    if (head.seq !== seq) {
      head.reject(new Error(`X reply out of order (${seq} for ${head.seq})`));
      return;
    }
    head.resolve(message);
  }

  private onError(message: Buffer): void {
    const err = new X11ProtocolError(message[1]!, message[10]!, message.readUInt16LE(8), message.readUInt32LE(4));
    const seq = message.readUInt16LE(2);
    if (this.pending[0]?.seq === seq) this.pending.shift()!.reject(err);
    else this.voidErrors.push(err);
  }

  private lost(err: Error): void {
    if (this._closed) return;
    this._closed = true;
    for (const p of this.pending.splice(0)) p.reject(err);
    const onLost = this.onLost;
    this.onLost = undefined;
    onLost?.(err);
  }
}

async function openFirstSocket(display: string, paths: string[], timeoutMs: number): Promise<Socket> {
  let lastError: unknown;
  for (const path of paths) {
    try {
      return await openSocket(display, path, timeoutMs);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

function openSocket(display: string, path: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const timer = setTimeout(() => fail(new Error('timed out')), timeoutMs);
    function fail(err: Error): void {
      clearTimeout(timer);
      socket.destroy();
      reject(PlatformError.displayUnavailable(display, `cannot connect (${err.message.replace('\0', '@')})`, err));
    }
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}
