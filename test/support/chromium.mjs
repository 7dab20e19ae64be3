// Debian Chromium's executable and flags for tests on this machine (see FIELD-NOTES), shared by
// the Playwright builders in test/support and by web-test-runner.config.mjs.

/** Path of the browser; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags every test browser gets: no sandbox as root, no background traffic on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Extra flags for WebRTC on loopback (see FIELD-NOTES: without them no loopback candidates). */
export const CHROMIUM_WEBRTC_ARGS = [
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
];
