import type { ConsentDecision, WardState } from '@wardlink/protocol';
import { readWardState, readWardStateEvent } from './wardState.ts';

/** Result of a call to the agent's local API. */
export type WardResult = { ok: true; data: WardState } | { ok: false; error: { code: string; message: string } };

/** Callbacks of {@link WardApi.subscribe}. */
export interface WardSubscriber {
  /** A new state arrived. */
  state: (state: WardState) => void;
  /** The event stream is open (`true`) or reconnecting (`false`). */
  connection: (open: boolean) => void;
}

/** The header the agent requires on state-changing requests (a CSRF guard). */
export const LOCAL_HEADER = 'X-Wardlink-Local';

/**
 * The host agent's local HTTP API, on the page's own origin:
 * `GET /api/state`, `GET /api/events` (SSE), `POST /api/help`, `POST /api/end`,
 * `POST /api/consent` and `POST /api/alarm/ack`.
 */
export class WardApi {
  constructor(private readonly base = '') {}

  /** The current state. */
  state(): Promise<WardResult> {
    return this.call('/api/state', { method: 'GET' });
  }

  /** Asks for help: the agent requests a session code. */
  help(): Promise<WardResult> {
    return this.call('/api/help', { method: 'POST', headers: { [LOCAL_HEADER]: '1' } });
  }

  /** Withdraws the code or ends the session. */
  end(): Promise<WardResult> {
    return this.call('/api/end', { method: 'POST', headers: { [LOCAL_HEADER]: '1' } });
  }

  /**
   * Answers the consent prompt: `{ accept: true, permissions }` allows what was ticked (a subset of
   * the request), `{ accept: false, permissions: [] }` declines. The agent answers 409 when the
   * request is gone or the answer is not allowed (control without view, nothing ticked).
   */
  consent(decision: ConsentDecision): Promise<WardResult> {
    return this.call('/api/consent', {
      method: 'POST',
      headers: { [LOCAL_HEADER]: '1', 'content-type': 'application/json' },
      body: JSON.stringify(decision),
    });
  }

  /** Acknowledges the wrong-PIN alarm; the agent returns to `idle` and help can be asked for again. */
  acknowledgeAlarm(): Promise<WardResult> {
    return this.call('/api/alarm/ack', { method: 'POST', headers: { [LOCAL_HEADER]: '1' } });
  }

  /** Follows state changes; returns the function that stops following. */
  subscribe(subscriber: WardSubscriber): () => void {
    const source = new EventSource(`${this.base}/api/events`);
    const onState = (e: MessageEvent): void => {
      const state = readWardStateEvent(e.data);
      if (state) {
        subscriber.state(state);
      }
    };
    const onOpen = (): void => subscriber.connection(true);
    const onError = (): void => subscriber.connection(false);
    source.addEventListener('state', onState);
    source.addEventListener('open', onOpen);
    source.addEventListener('error', onError);
    return () => {
      source.removeEventListener('state', onState);
      source.removeEventListener('open', onOpen);
      source.removeEventListener('error', onError);
      source.close();
    };
  }

  private async call(path: string, init: RequestInit): Promise<WardResult> {
    let body: unknown;
    try {
      const response = await fetch(`${this.base}${path}`, {
        ...init,
        headers: { accept: 'application/json', ...init.headers },
        credentials: 'same-origin',
      });
      body = await response.json();
    } catch {
      return { ok: false, error: { code: 'unavailable', message: 'The support program does not answer.' } };
    }
    const envelope = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (envelope.ok === true) {
      const state = readWardState(envelope.data);
      if (state) {
        return { ok: true, data: state };
      }
    }
    const error = envelope.error as { code?: unknown; message?: unknown } | undefined;
    return {
      ok: false,
      error: {
        code: typeof error?.code === 'string' ? error.code : 'bad_message',
        message: typeof error?.message === 'string' ? error.message : 'Malformed answer.',
      },
    };
  }
}
