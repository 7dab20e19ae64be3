import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { PolicyError, parseJson, SignedPolicy, verifySignedPolicy, type HostPolicy } from '@wardlink/protocol';
import { writeDurably } from '../durable.ts';
import { AgentError } from '../errors.ts';

const POLICY_FILE = 'recording-policy.json';

/** Options for {@link RecordingPolicy}. */
export interface RecordingPolicyOptions {
  dataDir: string;
  /** The hospital admin's Ed25519 public key (raw), configured on this PC; undefined: none configured. */
  adminKey: Uint8Array | undefined;
  /** Fetches the broker's newest signed policy (or null); may reject when offline. */
  fetch: () => Promise<unknown>;
  log: Logger;
}

/**
 * Which auditor keys this host encrypts recordings to (docs/SPEC.md POL3-POL5): the newest policy
 * signed by the pinned admin key. The broker only carries it: a policy it forged, altered or rolled
 * back is refused and the last good one stays in force. The last good policy is kept in the data
 * folder (and checked again when read), so the host can record while the broker is away.
 */
export class RecordingPolicy {
  private readonly options: RecordingPolicyOptions;
  private readonly file: string;

  constructor(options: RecordingPolicyOptions) {
    this.options = options;
    this.file = join(options.dataDir, POLICY_FILE);
  }

  /** The policy in force; throws AgentError `no_recording_policy` when there is none. */
  async current(): Promise<HostPolicy> {
    const { adminKey, log } = this.options;
    if (!adminKey) throw new AgentError('no_recording_policy', 'No admin policy key is configured on this PC (--policy-key).');
    const stored = this.stored(adminKey);
    let fetched: unknown;
    try {
      fetched = await this.options.fetch();
    } catch (err) {
      log.warn({ err: String(err) }, 'recording policy not fetched; using the stored one');
    }
    if (fetched) {
      try {
        const policy = verifySignedPolicy(fetched, adminKey, stored?.version ?? 1);
        if (!stored || policy.version > stored.version) this.save(fetched as SignedPolicy);
        return policy;
      } catch (err) {
        if (!(err instanceof PolicyError)) throw err;
        log.error({ why: err.message }, 'the broker offered a recording policy this PC refuses');
      }
    }
    if (stored) return stored;
    throw new AgentError('no_recording_policy', 'No recording policy signed by the hospital admin has reached this PC.');
  }

  private stored(adminKey: Uint8Array): HostPolicy | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = parseJson(SignedPolicy, text, 64 * 1024);
    if (!parsed.ok) return undefined;
    try {
      return verifySignedPolicy(parsed.value, adminKey);
    } catch {
      this.options.log.error('the stored recording policy does not verify; ignoring it');
      return undefined;
    }
  }

  private save(signed: SignedPolicy): void {
    writeDurably(this.file, JSON.stringify(signed));
  }
}
