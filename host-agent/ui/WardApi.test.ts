import { expect } from '@open-wc/testing';
import type { WardState } from '@wardlink/protocol';
import { LOCAL_HEADER, WardApi } from './WardApi.ts';

const idle: WardState = { hostName: 'PC', broker: 'online', state: 'idle' };

/** What the page sent, and the fetch it went through. */
interface Sent {
  url: string;
  init: RequestInit;
}

describe('WardApi', () => {
  const realFetch = window.fetch;
  let sent: Sent[];

  /** Answers every request with `status` and `body`, remembering the requests. */
  function answer(status: number, body: unknown): void {
    sent = [];
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push({ url: String(input), init: init ?? {} });
      return Promise.resolve(new Response(JSON.stringify(body), { status }));
    };
  }

  afterEach(() => {
    window.fetch = realFetch;
  });

  it('posts a consent answer as JSON with the local header', async () => {
    answer(200, { ok: true, data: { ...idle, state: 'connecting', permissions: ['view'] } });
    const result = await new WardApi().consent({ accept: true, permissions: ['view'] });
    expect(result).to.deep.equal({ ok: true, data: { ...idle, state: 'connecting', permissions: ['view'] } });
    const [{ url, init }] = sent as [Sent];
    expect(url).to.equal('/api/consent');
    expect(init.method).to.equal('POST');
    const headers = init.headers as Record<string, string>;
    expect(headers[LOCAL_HEADER]).to.equal('1');
    expect(headers['content-type']).to.equal('application/json');
    expect(JSON.parse(init.body as string)).to.deep.equal({ accept: true, permissions: ['view'] });
  });

  it('passes on the code and message of a refused answer', async () => {
    answer(409, { ok: false, error: { code: 'bad_message', message: 'There is no request to answer.' } });
    const result = await new WardApi().consent({ accept: false, permissions: [] });
    expect(result).to.deep.equal({ ok: false, error: { code: 'bad_message', message: 'There is no request to answer.' } });
  });

  it('acknowledges the alarm with a POST that carries the local header', async () => {
    answer(200, { ok: true, data: idle });
    const result = await new WardApi().acknowledgeAlarm();
    expect(result).to.deep.equal({ ok: true, data: idle });
    const [{ url, init }] = sent as [Sent];
    expect(url).to.equal('/api/alarm/ack');
    expect(init.method).to.equal('POST');
    expect((init.headers as Record<string, string>)[LOCAL_HEADER]).to.equal('1');
  });
});
