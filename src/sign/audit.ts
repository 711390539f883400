// The audit record of one signing run: which key, which artifacts (with digests), which OIDC claims unlocked it,
// and how long the key lived. Plain data built by the job; the action writes it to RUNNER_TEMP and the summary.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OidcClaims } from './oidc.ts';

export const AUDIT_CLAIMS = [
  'repository',
  'ref',
  'sha',
  'workflow',
  'job_workflow_ref',
  'run_id',
  'run_attempt',
  'actor',
  'environment',
  'event_name',
  'sub',
  'aud',
] as const;

export interface AuditFile {
  path: string;
  sha256: string;
  size: number;
  signature: string;
}

export interface Audit {
  tool: 'jit-gpg';
  version: 1;
  outcome: 'signed' | 'failed' | 'nothing-to-sign';
  error?: string;
  key?: {
    fingerprint: string;
    keyId: string;
    primaryFingerprint: string;
    userIds: string[];
    algorithm: string;
    source: string;
    /** The identity the key service saw (remote signers, cloud roles). */
    identity?: string;
  };
  claims: Partial<Record<(typeof AUDIT_CLAIMS)[number], string | number | string[]>>;
  files: AuditFile[];
  checksums?: {
    path: string;
    sha256: string;
    signature: string;
    /** A fan-in (`checksums-merge`): the fragments, how many listed files were present and matched, which were absent. */
    merged?: { fragments: string[]; entries: number; verified: number; absent: string[] };
  };
  /** The secret scan before any OIDC request: whether it ran, and the rule set that vouched for the files. */
  scan?: {
    scanned: boolean;
    reason?: string;
    ruleSet?: { version: string; rules: number; config?: string };
    artifacts?: number;
    findings?: number;
    skipped?: { binary: number; large: number; archiveLimits?: number };
  };
  publicKey?: string;
  run?: { exitCode: number | null; timedOut: boolean; durationMs: number };
  lifetime: { fetchedAt?: string; destroyedAt?: string; seconds?: number; ttl: number };
}

export function newAudit(ttl: number): Audit {
  return { tool: 'jit-gpg', version: 1, outcome: 'failed', claims: {}, files: [], lifetime: { ttl } };
}

export function pickClaims(claims: OidcClaims): Audit['claims'] {
  const out: Audit['claims'] = {};
  for (const n of AUDIT_CLAIMS) if (claims[n] !== undefined) out[n] = claims[n];
  return out;
}

/** Writes the record as `jit-gpg-audit-<run>-<attempt>-<random>.json` (0600) under `dir`; returns its path. */
export async function writeAudit(audit: Audit, dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = `jit-gpg-audit-${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}-${randomBytes(4).toString('hex')}.json`;
  const path = join(dir, name);
  await writeFile(path, `${JSON.stringify(audit, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return path;
}
