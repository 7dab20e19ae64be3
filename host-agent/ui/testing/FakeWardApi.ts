/**
 * A stand-in for the agent's local API in component tests: answers from a
 * state the test sets, records the calls, and lets the test push states as
 * the event stream would. Only tests import this module.
 */
import type { ConsentDecision, WardState } from '@wardlink/protocol';
import type { WardApi, WardResult, WardSubscriber } from '../WardApi.ts';

/** The agent's API, answering from a state the test sets. */
export class FakeWardApi
  implements Pick<WardApi, 'state' | 'help' | 'end' | 'consent' | 'acknowledgeAlarm' | 'subscribe'>
{
  subscriber: WardSubscriber | undefined;
  readonly calls: string[] = [];
  readonly decisions: ConsentDecision[] = [];

  constructor(
    public current: WardState,
    public next: WardResult | undefined = undefined,
  ) {}

  async state(): Promise<WardResult> {
    return { ok: true, data: this.current };
  }

  async help(): Promise<WardResult> {
    this.calls.push('help');
    return this.next ?? { ok: true, data: this.current };
  }

  async end(): Promise<WardResult> {
    this.calls.push('end');
    return this.next ?? { ok: true, data: this.current };
  }

  async consent(decision: ConsentDecision): Promise<WardResult> {
    this.calls.push('consent');
    this.decisions.push(decision);
    return this.next ?? { ok: true, data: this.current };
  }

  async acknowledgeAlarm(): Promise<WardResult> {
    this.calls.push('acknowledgeAlarm');
    return this.next ?? { ok: true, data: this.current };
  }

  subscribe(subscriber: WardSubscriber): () => void {
    this.subscriber = subscriber;
    return () => (this.subscriber = undefined);
  }

  /** This fake where the component expects the real API. */
  asApi(): WardApi {
    return this as unknown as WardApi;
  }
}
