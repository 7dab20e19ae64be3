/**
 * PIN-authenticated key exchange: CPace (ristretto255, SHA-512) and wardlink's handshake on top.
 * Runs unchanged in Node and the browser.
 */
export * from './cpace.ts';
export * from './handshake.ts';
export * from './errors.ts';
export * from './binding.ts';
