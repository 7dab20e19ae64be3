import { X11Connection } from './X11Connection.ts';

/** Predefined atoms of the core protocol. */
const ATOM_WM_NAME = 39;
/** Longest title kept, in characters. */
const MAX_TITLE = 256;

/** Options of {@link X11WindowTitle}. */
export interface X11WindowTitleOptions {
  display: string;
  xauthority?: string;
}

/**
 * Reads the title of the window the user works in, for the recording's timeline: the window
 * manager's `_NET_ACTIVE_WINDOW` (EWMH) or else the window with the keyboard focus, and its
 * `_NET_WM_NAME` (UTF-8) or else `WM_NAME` (Latin-1). Connects on first use and again after the
 * display went away; answers undefined when no titled window is active (a bare X server).
 */
export class X11WindowTitle {
  private connection: Promise<{ conn: X11Connection; atoms: Atoms }> | undefined;

  constructor(private readonly options: X11WindowTitleOptions) {}

  /** The active window's title (no control characters, at most 256 characters), or undefined. */
  async title(): Promise<string | undefined> {
    const { conn, atoms } = await this.connect();
    let window = 0;
    if (atoms.netActiveWindow) {
      const active = await conn.getProperty(conn.setup.root, atoms.netActiveWindow, 4);
      if (active.format === 32 && active.value.length >= 4) window = active.value.readUInt32LE(0);
    }
    if (window === 0) window = await conn.inputFocus();
    // 0 is None and 1 PointerRoot: no window of its own.
    if (window <= 1) return undefined;
    let text = '';
    if (atoms.netWmName) {
      const utf8 = await conn.getProperty(window, atoms.netWmName);
      if (utf8.format === 8) text = utf8.value.toString('utf8');
    }
    if (!text) {
      const latin1 = await conn.getProperty(window, ATOM_WM_NAME);
      if (latin1.format === 8) text = latin1.value.toString('latin1');
    }
    const clean = text.replace(/\p{Cc}/gu, ' ').trim().slice(0, MAX_TITLE);
    return clean || undefined;
  }

  /** Closes the connection; the next `title()` opens a new one. */
  close(): void {
    const connection = this.connection;
    this.connection = undefined;
    void connection?.then(({ conn }) => conn.close()).catch(() => undefined);
  }

  private connect(): Promise<{ conn: X11Connection; atoms: Atoms }> {
    this.connection ??= (async () => {
      const conn = await X11Connection.connect(this.options.display, this.options.xauthority ? { xauthority: this.options.xauthority } : {});
      conn.onLost = () => {
        this.connection = undefined;
      };
      const [netActiveWindow, netWmName] = await Promise.all([conn.internAtom('_NET_ACTIVE_WINDOW'), conn.internAtom('_NET_WM_NAME')]);
      return { conn, atoms: { netActiveWindow, netWmName } };
    })();
    const pending = this.connection;
    pending.catch(() => {
      if (this.connection === pending) this.connection = undefined;
    });
    return pending;
  }
}

interface Atoms {
  netActiveWindow: number;
  netWmName: number;
}
