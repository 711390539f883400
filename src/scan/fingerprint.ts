// A finding's identity and its only visible trace of the secret: a sha256 of rule id and secret (stable when lines
// move, so baselines survive edits) and a preview of at most the first 4 characters.
import { createHash } from 'node:crypto';

/** sha256 hex of `ruleId + '\0' + secret`. */
export function fingerprint(ruleId: string, secret: string): string {
  return createHash('sha256').update(ruleId).update('\0').update(secret).digest('hex');
}

/**
 * The first 4 characters (code points) of the secret, then `****`; never more of it, and never more than a quarter
 * of it: a short password shows 1 or 2 characters (or none), so the preview never does most of a guesser's work.
 */
export function preview(secret: string): string {
  const chars = [...secret];
  return `${chars.slice(0, Math.min(4, Math.floor(chars.length / 4))).join('')}****`;
}
