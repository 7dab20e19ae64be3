import { PlatformError } from '../errors.ts';

/** A parsed X display name. */
export interface DisplayName {
  /** Display (server) number: `:7` -> 7. */
  number: number;
  /** Screen number: `:7.1` -> 1; default 0. */
  screen: number;
}

/**
 * Directory of X servers' local sockets. This is a fixed convention of the X Window System
 * (the server creates `X<number>` in it), not a temporary file of ours.
 */
export const X11_UNIX_SOCKET_DIR = '/tmp/.X11-unix';

/**
 * Parses a local display name: `:N`, `:N.S` or `unix:N[.S]`. Remote (`host:N`) displays are
 * refused: the agent always controls the screen of the machine it runs on.
 */
export function parseDisplay(display: string): DisplayName {
  const match = /^(?:unix)?:(\d+)(?:\.(\d+))?$/.exec(display);
  if (!match) throw PlatformError.displayUnavailable(display, 'only local displays like ":0" are supported');
  return { number: Number(match[1]), screen: Number(match[2] ?? 0) };
}

/**
 * Local socket paths of a display number, in the order Xlib tries them: on Linux first the
 * abstract-namespace socket (immune to the socket file being deleted, e.g. by a previous server
 * of the same number that is still shutting down), then the socket file.
 */
export function socketPaths(number: number): string[] {
  const path = `${X11_UNIX_SOCKET_DIR}/X${number}`;
  return process.platform === 'linux' ? [`\0${path}`, path] : [path];
}
