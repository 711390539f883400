// `revoke: github`: reported findings (after inline allows, .gitleaks.toml allowlists and the baseline) that are
// validated GitHub tokens of a type GitHub's credential-revocation endpoint accepts are submitted to it, each secret
// once, up to 1000 a request and at most 60 requests (its hourly limit). On GitHub.com the request carries no token
// (an authenticated one is refused with 403); on GitHub Enterprise Server it is authenticated. Every candidate
// finding gets a `revocation` record (submitted or not, and the answer); the secret is read from the engine's
// retained secrets and goes nowhere but the request body.
import { GitHubApiError, type GitHubClient, REVOKE_BATCH_SIZE } from '../shared/github.ts';
import type { RetainedSecrets } from './retained.ts';
import type { Finding, Revocation } from './types.ts';

/** Rule id → the token prefix the endpoint accepts for it. */
export const REVOCABLE: Readonly<Record<string, string>> = {
  'github-pat-classic': 'ghp_',
  'github-fine-grained-pat': 'github_pat_',
  'github-oauth-token': 'gho_',
  'github-user-to-server-token': 'ghu_',
  'github-refresh-token': 'ghr_',
};
export const REVOCABLE_RULE_IDS: readonly string[] = Object.keys(REVOCABLE);
/** GitHub accepts 60 revocation requests an hour. */
export const MAX_REVOKE_REQUESTS = 60;

export interface RevocationResult {
  /** The findings, candidates carrying their `revocation` record. */
  findings: Finding[];
  /** Distinct credentials the endpoint accepted. */
  accepted: number;
  /** Distinct credentials that were candidates. */
  candidates: number;
  /** Why revocation failed, with what to do by hand; undefined when every candidate was accepted. */
  failure?: string;
}

export interface RevokeOptions {
  client: GitHubClient;
  /** False on GitHub.com (no Authorization header), true on GitHub Enterprise Server. */
  authenticated: boolean;
  batchSize?: number;
  onNotice?: (message: string) => void;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export async function revokeFindings(
  findings: readonly Finding[],
  secrets: RetainedSecrets | undefined,
  opts: RevokeOptions,
): Promise<RevocationResult> {
  const records = new Map<Finding, Revocation>();
  /** secret → the findings that show it (one secret can be reported in several places). */
  const bySecret = new Map<string, Finding[]>();
  for (const f of findings) {
    const prefix = REVOCABLE[f.ruleId];
    if (prefix === undefined) continue;
    const secret = f.validated ? secrets?.get(f.fingerprint) : undefined;
    if (!f.validated) {
      records.set(f, { submitted: false, answer: 'not submitted: its checksum or structure is not proven' });
    } else if (!secret?.startsWith(prefix)) {
      records.set(f, { submitted: false, answer: 'not submitted: not a token type the endpoint accepts' });
    } else {
      const list = bySecret.get(secret) ?? [];
      list.push(f);
      bySecret.set(secret, list);
    }
  }

  const batchSize = Math.max(1, Math.min(REVOKE_BATCH_SIZE, opts.batchSize ?? REVOKE_BATCH_SIZE));
  const all = [...bySecret.keys()];
  let accepted = 0;
  let failure: string | undefined;
  for (let i = 0, request = 0; i < all.length; i += batchSize, request++) {
    const batch = all.slice(i, i + batchSize);
    const mark = (r: Revocation) => {
      for (const s of batch) for (const f of bySecret.get(s)!) records.set(f, r);
    };
    if (failure !== undefined) {
      mark({ submitted: false, answer: 'not submitted: an earlier revocation request failed' });
      continue;
    }
    if (request >= MAX_REVOKE_REQUESTS) {
      failure = `more than ${MAX_REVOKE_REQUESTS * batchSize} tokens: GitHub accepts ${MAX_REVOKE_REQUESTS} revocation requests an hour`;
      mark({ submitted: false, answer: 'not submitted: over the endpoint’s hourly limit' });
      continue;
    }
    try {
      const { status } = await opts.client.revokeCredentials(batch, { authenticated: opts.authenticated });
      accepted += batch.length;
      mark({ submitted: true, status, answer: `accepted (HTTP ${status})` });
      opts.onNotice?.(`revocation: ${plural(batch.length, 'token')} submitted, HTTP ${status}`);
    } catch (e) {
      const status = e instanceof GitHubApiError && e.status > 0 ? e.status : undefined;
      const why = (e as Error).message;
      failure = why;
      mark({
        submitted: true,
        ...(status !== undefined ? { status } : {}),
        answer: status !== undefined ? `refused (HTTP ${status})` : 'failed (no answer)',
      });
    }
  }

  const out = findings.map((f) => {
    const r = records.get(f);
    return r ? { ...f, revocation: r } : f;
  });
  const result: RevocationResult = { findings: out, accepted, candidates: all.length };
  if (failure !== undefined) {
    const left = all.length - accepted;
    result.failure =
      `revocation of ${plural(left, 'GitHub token')} failed (${failure}); ${left === 1 ? 'it is' : 'they are'} still ` +
      'live. Revoke by hand now: find each one at the location the annotations and the job summary give (findings ' +
      'whose revocation was not accepted), then have its owner delete it (Settings → Developer settings → Personal ' +
      'access tokens), or submit it yourself with POST /credentials/revoke ({"credentials": ["<token>"]}; on ' +
      'GitHub.com without an Authorization header).';
  }
  return result;
}
