import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface StoredIdentity {
  privateKeyPem: string;
  hostId?: string;
  brokerUrl?: string;
}

/**
 * The host's Ed25519 device key and its enrollment, kept in `device.json`
 * (mode 0600) in the agent's data directory. The private key never leaves it.
 */
export class DeviceIdentity {
  private readonly path: string;
  private readonly key: KeyObject;
  private stored: StoredIdentity;

  private constructor(path: string, stored: StoredIdentity) {
    this.path = path;
    this.stored = stored;
    this.key = createPrivateKey(stored.privateKeyPem);
  }

  /** Loads the identity, creating a new key on first start. */
  static load(dataDir: string): DeviceIdentity {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, 'device.json');
    if (existsSync(path)) {
      const stored = JSON.parse(readFileSync(path, 'utf8')) as StoredIdentity;
      if (typeof stored.privateKeyPem !== 'string') throw new Error(`${path} is damaged: no private key.`);
      return new DeviceIdentity(path, stored);
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    const identity = new DeviceIdentity(path, {
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    });
    identity.save();
    return identity;
  }

  /** Raw Ed25519 public key, base64url. */
  get publicKey(): string {
    const jwk = this.key.export({ format: 'jwk' });
    return String(jwk.x);
  }

  /** The id the broker gave this host, once enrolled with that broker. */
  hostIdFor(brokerUrl: string): string | undefined {
    return this.stored.brokerUrl === brokerUrl ? this.stored.hostId : undefined;
  }

  setEnrollment(hostId: string, brokerUrl: string): void {
    this.stored = { ...this.stored, hostId, brokerUrl };
    this.save();
  }

  /** Ed25519 signature, base64url. */
  sign(message: string): string {
    return sign(null, Buffer.from(message), this.key).toString('base64url');
  }

  /** Ed25519 signature over bytes (recording headers, segments and manifests are signed with it). */
  signBytes(message: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, message, this.key));
  }

  private save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.stored, null, 2), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
