import { io } from 'socket.io-client';
import { PROTOCOL_VERSION } from '@wardlink/protocol';
import type { TechSocket } from './TechClient.ts';

/**
 * Opens the `/tech` socket.io connection on the page's own origin. The
 * session cookie authenticates it; WebSocket only (no long-polling).
 */
export function connectTech(): TechSocket {
  return io('/tech', { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'] });
}
