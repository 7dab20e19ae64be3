/** The hospital-local PKI: a CA made on first start and the broker's server certificate. */
export {
  ensureLocalPki,
  fingerprint,
  issueClientCertificate,
  type ClientCertificate,
  type ClientCertificateOptions,
  type LocalPki,
  type LocalPkiOptions,
} from './LocalPki.ts';
export { toPkcs12, type Pkcs12Options } from './pkcs12.ts';
