import type { Logger } from '../logger.ts';
import type { SqliteStore } from '../store/SqliteStore.ts';
import { AllowList, formatIp, type IpAddress } from '@wardlink/protocol';
import { clientAddress } from './AllowList.ts';
import { AllowListPolicy, type Decision } from './AllowListPolicy.ts';
import { AllowListStore } from './AllowListStore.ts';
import { DenialAuditor, type Denial } from './DenialAuditor.ts';

/** Options for {@link AccessControl}. */
export interface AccessControlOptions {
  store: SqliteStore;
  /** CIDRs of reverse proxies whose `X-Forwarded-For` is believed (PROXY1). */
  trustedProxies: readonly string[];
  /** Milliseconds between checks for list changes made by another process (the CLI); 0 turns polling off. */
  reloadMs: number;
  log: Logger;
  /** Rate limits of the denial audit (tests shorten them). */
  audit?: { windowMs?: number; maxPerWindow?: number };
}

/**
 * The broker's allow-list service: the current {@link AllowListPolicy}, the
 * client address of a request or connection (forwarding headers only from
 * trusted proxies), the rate-limited denial audit, and change notification so
 * transports can cut off connections the new lists no longer allow (ACL13).
 */
export class AccessControl {
  private readonly lists: AllowListStore;
  private readonly proxies: AllowList;
  private readonly log: Logger;
  private readonly auditor: DenialAuditor;
  private readonly listeners = new Set<() => void>();
  private readonly timer: NodeJS.Timeout | undefined;
  private current: AllowListPolicy;
  private signature = '';
  private dataVersion = -1;
  private closed = false;

  constructor(options: AccessControlOptions) {
    this.lists = new AllowListStore(options.store);
    this.proxies = new AllowList(options.trustedProxies);
    this.log = options.log;
    this.auditor = new DenialAuditor({ write: (event) => options.store.audit(event), ...options.audit });
    const first = this.load();
    this.current = first.policy;
    this.signature = first.signature;
    this.dataVersion = this.lists.dataVersion();
    if (options.reloadMs > 0) {
      this.timer = setInterval(() => this.poll(), options.reloadMs);
      this.timer.unref();
    }
  }

  /** The lists as of the last (re)load. */
  get policy(): AllowListPolicy {
    return this.current;
  }

  /** The client's address: the TCP peer, or what trusted proxies forwarded; undefined (deny) if malformed. */
  clientOf(peer: string | undefined, forwardedFor: string | readonly string[] | undefined): IpAddress | undefined {
    return clientAddress(peer, forwardedFor, this.proxies);
  }

  /** A host agent's decision; a host enrolled since the last load (unknown id) triggers a reload first. */
  checkHost(address: IpAddress | undefined, hostId: string): Decision {
    if (!this.current.knowsHost(hostId)) this.reload();
    return this.current.host(address, hostId);
  }

  /** Writes the (rate-limited) audit event of a refusal and logs it. */
  denied(denial: Omit<Denial, 'address'> & { address: IpAddress | undefined; peer?: string }): void {
    const address = denial.address ? formatIp(denial.address) : (denial.peer ?? '').slice(0, 64);
    const { peer: _peer, ...rest } = denial;
    const written = this.auditor.record({ ...rest, address });
    if (written) this.log.warn({ address, scope: denial.scope, list: denial.name, channel: denial.channel, reason: denial.reason }, 'address denied');
  }

  /** Calls `listener` after each reload that changed the lists or host groups; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-reads the lists now (after an in-process change); true when something changed. */
  reload(): boolean {
    if (this.closed) return false;
    const { policy, signature } = this.load();
    if (signature === this.signature) return false;
    this.current = policy;
    this.signature = signature;
    this.log.info('allow-lists reloaded');
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (err) {
        this.log.error({ err }, 'allow-list change listener failed');
      }
    }
    return true;
  }

  /** Stops polling and writes the last suppressed-denials summary. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
    this.auditor.close();
  }

  private poll(): void {
    try {
      const version = this.lists.dataVersion();
      if (version === this.dataVersion) return;
      this.dataVersion = version;
      this.reload();
    } catch (err) {
      this.log.error({ err }, 'allow-list reload failed; keeping the previous lists');
    }
  }

  private load(): { policy: AllowListPolicy; signature: string } {
    const records = this.lists.lists();
    const groups = this.lists.hostGroups();
    const policy = new AllowListPolicy(records, groups, (entry) => this.log.error({ entry }, 'invalid allow-list entry ignored'));
    const signature = JSON.stringify([records, [...groups].sort(([a], [b]) => (a < b ? -1 : 1))]);
    return { policy, signature };
  }
}
