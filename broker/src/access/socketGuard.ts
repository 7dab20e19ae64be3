import type { Server, Socket } from 'socket.io';
import { ErrorCode, formatIp, type IpAddress } from '@wardlink/protocol';
import type { UserRecord } from '../store/SqliteStore.ts';
import type { AccessControl } from './AccessControl.ts';
import type { Decision } from './AllowListPolicy.ts';

/** Key in `socket.data` under which the guard keeps the client address it checked. */
const ADDRESS_KEY = 'accessAddress';

/**
 * Enforces the allow-lists on socket.io (ACL11, ACL13), in three places:
 * 1. the transport handshake: an address outside every list gets no
 *    connection at all (before any namespace, the unused `/` included);
 * 2. each namespace, after its own authentication: `/tech` needs the
 *    technician's organisation and role lists, `/host` its host group's list
 *    (refused with `address_denied`); a reconnect is a new connection and is
 *    checked again;
 * 3. when the lists or host groups change, every connected socket is checked
 *    again and those no longer allowed are disconnected.
 * Returns a function that removes the change listener.
 */
export function installSocketGuards(io: Server, access: AccessControl): () => void {
  const previous = io.engine.opts.allowRequest;
  io.engine.opts.allowRequest = (req, callback) => {
    const peer = req.socket.remoteAddress;
    const address = access.clientOf(peer, req.headers['x-forwarded-for']);
    const decision = access.policy.anyone(address);
    if (!decision.allowed) {
      access.denied({ address, peer, scope: decision.scope, name: decision.name, channel: 'socket', reason: 'outside_list' });
      callback(ErrorCode.ADDRESS_DENIED, false);
      return;
    }
    if (previous) previous(req, callback);
    else callback(null, true);
  };

  for (const namespace of ['/tech', '/host'] as const) {
    io.of(namespace).use((socket, next) => {
      const address = access.clientOf(socket.handshake.address, socket.handshake.headers['x-forwarded-for']);
      socket.data[ADDRESS_KEY] = address;
      const decision = decide(access, namespace, socket, address);
      if (decision.allowed) return next();
      access.denied({ address, peer: socket.handshake.address, ...denialOf(decision, socket), channel: namespace, reason: 'outside_list' });
      return next(new Error(ErrorCode.ADDRESS_DENIED));
    });
  }

  return access.onChange(() => {
    for (const namespace of ['/tech', '/host'] as const) {
      for (const socket of io.of(namespace).sockets.values()) {
        const address = socket.data[ADDRESS_KEY] as IpAddress | undefined;
        const decision = decide(access, namespace, socket, address);
        if (decision.allowed) continue;
        access.denied({ address, peer: socket.handshake.address, ...denialOf(decision, socket), channel: namespace, reason: 'list_changed' });
        socket.disconnect(true);
      }
    }
  });
}

function decide(access: AccessControl, namespace: '/tech' | '/host', socket: Socket, address: IpAddress | undefined): Decision {
  if (namespace === '/tech') {
    const user = socket.data.user as UserRecord | undefined;
    return user ? access.policy.technician(address, user) : { allowed: false, scope: 'technician', name: '' };
  }
  const hostId = socket.data.hostId as string | undefined;
  return hostId ? access.checkHost(address, hostId) : { allowed: false, scope: 'host', name: '' };
}

function denialOf(decision: Decision, socket: Socket): { scope: string; name: string; actor?: string; hostId?: string } {
  const user = socket.data.user as UserRecord | undefined;
  const hostId = socket.data.hostId as string | undefined;
  return { scope: decision.scope, name: decision.name, ...(user ? { actor: user.id } : {}), ...(hostId ? { hostId } : {}) };
}

/** The client address the guard checked for this socket (behind trusted proxies), as people write it. */
export function checkedAddress(socket: Socket): string | undefined {
  const address = socket.data[ADDRESS_KEY] as IpAddress | undefined;
  return address ? formatIp(address) : undefined;
}
