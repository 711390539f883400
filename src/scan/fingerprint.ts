// A finding's identity and its only visible trace of the secret: a sha256 of rule id and secret (stable when lines
// move, so baselines survive edits) and a preview of at most the first 4 characters.
import { createHash } from 'node:crypto';

/** sha256 hex of `ruleId + '\0' + secret`. */
export function fingerprint(ruleId: string, secret: string): string {
  return createHash('sha256').update(ruleId).update('\0').update(secret).digest('hex');
}

/** The first 4 characters (code points) of the secret, then `****`; never more of it. */
export function preview(secret: string): string {
  let out = '';
  let n = 0;
  for (const ch of secret) {
    if (n++ === 4) break;
    out += ch;
  }
  return `${out}****`;
}
