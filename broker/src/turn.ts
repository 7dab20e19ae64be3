import { createHmac } from 'node:crypto';
import type { IceConfig } from '@wardlink/protocol';
import type { TurnConfig } from './config.ts';

/**
 * Mints short-lived TURN credentials in coturn's REST-API scheme
 * (`use-auth-secret`): username = `<expiry seconds>:<label>`, credential =
 * base64(HMAC-SHA1(secret, username)). The relay sees only DTLS/SRTP ciphertext.
 */
export function iceConfigFor(
  label: string,
  turn: TurnConfig | undefined,
  policy: IceConfig['iceTransportPolicy'],
  nowMs: number = Date.now(),
): IceConfig {
  if (!turn) return { iceServers: [], iceTransportPolicy: policy };
  const username = `${Math.floor(nowMs / 1000) + turn.ttlSeconds}:${label}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return { iceServers: [{ urls: turn.urls, username, credential }], iceTransportPolicy: policy };
}
