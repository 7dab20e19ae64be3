// `wardlink policy ...`: the hospital admin's key and the recording policy (docs/SPEC.md POL1-POL5).
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Policies } from './Policies.ts';

export const POLICY_USAGE = `  wardlink policy keygen --out FILE.pem   (the hospital admin key: keep FILE off the broker; prints the
                    public key that every host agent gets as --policy-key)
  wardlink policy keys                     (auditor keys and their status)
  wardlink policy approve KEYID... --key FILE.pem   (approve keys and sign a new policy for the hosts)
  wardlink policy revoke KEYID... --key FILE.pem    (withdraw keys and sign a new policy)
  wardlink policy show                     (the newest signed policy)`;

/** Runs one `policy` command; returns what to print. */
export function runPolicyCommand(command: string, positional: string[], flags: Record<string, string>, policies: Policies): string {
  switch (command) {
    case 'keygen': {
      const out = flags['out'];
      if (!out) throw new Error('--out FILE.pem is required');
      if (existsSync(out)) throw new Error(`${out} exists already; refusing to overwrite a key`);
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(out, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
      const raw = publicKey.export({ format: 'jwk' }).x!;
      return `admin key written to ${out} (keep it off the broker)\npolicy key for host agents: ${raw}\n`;
    }
    case 'keys':
      return (
        policies
          .keys()
          .map((k) => `${k.keyId}  ${k.status.padEnd(8)}  ${k.label}  (user ${k.userId})`)
          .join('\n') + '\n'
      );
    case 'approve':
    case 'revoke': {
      if (positional.length === 0) throw new Error('name at least one KEYID');
      const keyFile = flags['key'];
      if (!keyFile) throw new Error('--key FILE.pem (the admin key) is required to sign');
      const policy = policies.approve(command === 'approve' ? { approve: positional } : { revoke: positional }, readFileSync(keyFile, 'utf8'));
      return `signed policy version ${policy.version} with ${policy.auditors.length} auditor key(s)\n`;
    }
    case 'show': {
      const latest = policies.latest();
      return latest ? `${latest.text}\n` : 'no policy signed yet\n';
    }
    default:
      throw new Error(`unknown policy command "${command}"`);
  }
}
