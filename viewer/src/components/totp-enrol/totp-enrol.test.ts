import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { stubFetch } from '../../testing/fetchStub.ts';
import './totp-enrol.ts';
import type { TotpEnrol, TotpEnrolledEvent } from './totp-enrol.ts';

const ME = { id: 'user-0001', username: 'tanaka', name: 'Tanaka Ichiro', organisation: 'Vendor KK', role: 'vendor' };
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const QR =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><path fill="#fff" d="M0 0h4v4H0z"/><path d="M1 1h2v2H1z"/></svg>';
const ENROLMENT = {
  uri: `otpauth://totp/wardlink:tanaka?issuer=wardlink&secret=${SECRET}&algorithm=SHA1&digits=6&period=30`,
  secret: SECRET,
  qrSvg: QR,
  recoveryCodes: Array.from({ length: 10 }, (_, i) => `abcd-efgh-ijkl-mn${'abcdefghij'[i]}${'abcdefghij'[i]}`),
};

function root(el: TotpEnrol): ShadowRoot {
  return el.shadowRoot!;
}

async function loaded(el: TotpEnrol): Promise<void> {
  await waitUntil(() => root(el).querySelector('img.qr') !== null, 'the enrolment did not show');
}

function confirm(el: TotpEnrol, code: string): void {
  root(el).querySelector<HTMLInputElement>('#confirm-code')!.value = code;
  root(el).querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
}

function alertText(el: TotpEnrol): string {
  return root(el).querySelector('form + [role=alert]')!.textContent!.trim();
}

describe('wl-totp-enrol', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('AUTH8: shows the QR code as an image with alt text, the key for typing and ten recovery codes, accessibly', async () => {
    const stub = stubFetch(() => [200, { ok: true, data: ENROLMENT }]);
    restore = stub.restore;
    const el = await fixture<TotpEnrol>(html`<wl-totp-enrol></wl-totp-enrol>`);
    await loaded(el);
    expect(stub.calls[0]).to.deep.include({ url: '/api/totp/enrol', method: 'POST' });
    const img = root(el).querySelector<HTMLImageElement>('img.qr')!;
    expect(img.alt).to.equal('QR code for your authenticator app');
    expect(atob(img.src.replace('data:image/svg+xml;base64,', ''))).to.equal(QR);
    expect(root(el).querySelector('code.secret')!.textContent).to.equal('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(root(el).querySelectorAll('ul.codes li')).to.have.length(10);
    const input = root(el).querySelector<HTMLInputElement>('#confirm-code')!;
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(input.getAttribute('inputmode')).to.equal('numeric');
    await expect(el).to.be.accessible();
  });

  it('never puts the SVG into the page itself: markup in it cannot run', async () => {
    const hostile = '<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned = true</script></svg>';
    restore = stubFetch(() => [200, { ok: true, data: { ...ENROLMENT, qrSvg: hostile } }]).restore;
    const el = await fixture<TotpEnrol>(html`<wl-totp-enrol></wl-totp-enrol>`);
    await loaded(el);
    expect(root(el).querySelector('svg, script')).to.equal(null);
    expect((window as unknown as { __pwned?: boolean }).__pwned).to.equal(undefined);
  });

  it('AUTH8: confirms with the first code and fires wl-totp-enrolled with the technician', async () => {
    const stub = stubFetch((url) => (url === '/api/totp/enrol' ? [200, { ok: true, data: ENROLMENT }] : [200, { ok: true, data: ME }]));
    restore = stub.restore;
    const el = await fixture<TotpEnrol>(html`<wl-totp-enrol></wl-totp-enrol>`);
    await loaded(el);
    const enrolled = oneEvent(el, 'wl-totp-enrolled') as Promise<TotpEnrolledEvent>;
    confirm(el, ' 654 321 ');
    expect((await enrolled).detail).to.deep.equal(ME);
    expect(stub.calls[1]).to.deep.include({ url: '/api/totp/confirm', method: 'POST', body: { code: '654321' } });
  });

  it('says a wrong code does not match and lets the technician try again', async () => {
    restore = stubFetch((url) =>
      url === '/api/totp/enrol'
        ? [200, { ok: true, data: ENROLMENT }]
        : [403, { ok: false, error: { code: 'forbidden', message: 'x' } }],
    ).restore;
    const el = await fixture<TotpEnrol>(html`<wl-totp-enrol></wl-totp-enrol>`);
    await loaded(el);
    confirm(el, '111111');
    await waitUntil(() => alertText(el) !== '', 'no alert appeared');
    expect(alertText(el)).to.contain('does not match');
    expect(root(el).querySelector<HTMLInputElement>('#confirm-code')!.value).to.equal('');
    expect(root(el).activeElement?.id).to.equal('confirm-code');
  });

  it('asks for six digits before posting anything', async () => {
    const stub = stubFetch(() => [200, { ok: true, data: ENROLMENT }]);
    restore = stub.restore;
    const el = await fixture<TotpEnrol>(html`<wl-totp-enrol></wl-totp-enrol>`);
    await loaded(el);
    confirm(el, '12ab56');
    await el.updateComplete;
    expect(alertText(el)).to.equal('Enter the 6-digit code from your authenticator app.');
    expect(stub.calls).to.have.length(1);
  });

  it('hands back to sign-in when the broker no longer knows the sign-in', async () => {
    restore = stubFetch(() => [401, { ok: false, error: { code: 'unauthenticated', message: 'x' } }]).restore;
    const el = document.createElement('wl-totp-enrol');
    const signedOut = oneEvent(el, 'wl-signed-out') as Promise<CustomEvent<string>>;
    await fixture(html`<div>${el}</div>`);
    expect((await signedOut).detail).to.equal('unauthenticated');
  });

  it('fires wl-sign-out from its Sign out button', async () => {
    restore = stubFetch(() => [200, { ok: true, data: ENROLMENT }]).restore;
    const el = await fixture<TotpEnrol>(html`<wl-totp-enrol></wl-totp-enrol>`);
    const signOut = oneEvent(el, 'wl-sign-out');
    root(el).querySelector<HTMLButtonElement>('header button')!.click();
    await signOut;
  });
});
