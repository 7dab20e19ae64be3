/** The hospital-local PKI: a CA made on first start and the broker's server certificate. */
export { ensureLocalPki, fingerprint, type LocalPki, type LocalPkiOptions } from './LocalPki.ts';
