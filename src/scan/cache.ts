// Incremental scanning: the pure half. The action (src/action/scan-cache.ts) moves the state file through
// @actions/cache; everything that decides what the state means lives here, free of @actions imports.
//
// What is cached: the ids of the commits a clean scan covered (history and diff modes), under a key that carries a
// hash of everything that decides what a scan finds: the rules (patterns, keywords, entropy, validators by id),
// allow regexes, stopwords, ignored paths, max file size, the config file's bytes, and the scanner version. Never
// findings, never file contents, never secrets: a commit id says "nothing was found here under these rules".
//
// Trust model. A restored cache can only make us skip commits, so a poisoned one could hide a secret. Who can write
// one: GitHub scopes caches by ref; a workflow run can write only to its own ref's scope (a pull request to
// `refs/pull/N/merge`, which only that pull request's runs read), and reads its own scope plus the base branch's
// and the default branch's. A fork's pull request cannot write to the base branch's scope. A run that can write to
// a scope we read already controls that ref's workflow (and could remove the scan step), so the cache grants no new
// power. On top of that we check what a restored state claims, and fall back to a full scan on anything unexpected:
// format name and version, scanner version, policy hash and mode equal ours; commit ids well-formed and unique;
// a SHA-256 checksum over the canonical body (catches truncation and corruption, not a forger: see above); size
// bounds before parsing. We save only after a scan with no findings and nothing unreadable (the caller decides;
// see isCleanForCache), merging what was restored with what this run covered.
import { createHash } from 'node:crypto';
import type { ScanPolicy } from './policy.ts';

export const CACHE_FORMAT = 'jit-gpg-scan-state';
export const CACHE_FORMAT_VERSION = 1;
/** Bigger restored files are refused before parsing (a few million commit ids fit). */
export const MAX_STATE_BYTES = 256 * 1024 * 1024;
export const MAX_COMMITS = 5_000_000;

export type CacheMode = 'diff' | 'history';

export interface ScanState {
  format: typeof CACHE_FORMAT;
  version: typeof CACHE_FORMAT_VERSION;
  scannerVersion: string;
  policyHash: string;
  mode: CacheMode;
  createdAt: string;
  /** Commits scanned clean under this policy, sorted. */
  commits: string[];
  /** sha256 (hex) of the canonical JSON of every field above. */
  checksum: string;
}

/** A stable hash of everything that changes what a scan finds. `extra` covers config file bytes, decode/archive settings. */
export function policyHash(
  policy: ScanPolicy,
  scannerVersion: string,
  extra: Record<string, string | number | boolean> = {},
): string {
  const rules = policy.rules
    .map((r) => ({
      id: r.id,
      pattern: r.pattern,
      keywords: [...r.keywords].sort(),
      secretGroup: r.secretGroup ?? null,
      caseInsensitive: r.caseInsensitive ?? false,
      entropy: r.entropy ?? null,
      window: r.window ?? null,
      requireValid: r.requireValid ?? false,
      severity: r.severity,
      // A validator is code: its presence and its source text are part of the policy.
      validate: r.validate ? sha256(r.validate.toString()) : null,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const body = {
    scannerVersion,
    rules,
    ignorePaths: [...policy.ignorePaths].sort(),
    allowRegexes: [...policy.allowRegexes].sort(),
    stopwords: [...policy.stopwords].map((s) => s.toLowerCase()).sort(),
    maxFileSize: policy.maxFileSize,
    extra: Object.fromEntries(Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  return sha256(JSON.stringify(body));
}

export interface CacheKeys {
  /** Unique per save (GitHub cache entries are immutable). */
  key: string;
  /** Prefix that restores the newest entry for this policy and mode. */
  restoreKeys: string[];
}

export function cacheKeys(mode: CacheMode, hash: string, unique: string): CacheKeys {
  const prefix = `jit-gpg-scan-v${CACHE_FORMAT_VERSION}-${mode}-${hash.slice(0, 24)}-`;
  const safe = unique.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  return { key: `${prefix}${safe}`, restoreKeys: [prefix] };
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function checksumOf(s: Omit<ScanState, 'checksum'>): string {
  return sha256(JSON.stringify([s.format, s.version, s.scannerVersion, s.policyHash, s.mode, s.createdAt, s.commits]));
}

export function buildState(
  args: { scannerVersion: string; policyHash: string; mode: CacheMode; commits: Iterable<string> },
  now: Date = new Date(),
): ScanState {
  const commits = [...new Set(args.commits)].sort();
  if (commits.length > MAX_COMMITS) commits.length = MAX_COMMITS;
  const body: Omit<ScanState, 'checksum'> = {
    format: CACHE_FORMAT,
    version: CACHE_FORMAT_VERSION,
    scannerVersion: args.scannerVersion,
    policyHash: args.policyHash,
    mode: args.mode,
    createdAt: now.toISOString(),
    commits,
  };
  return { ...body, checksum: checksumOf(body) };
}

export function serializeState(state: ScanState): string {
  return `${JSON.stringify(state)}\n`;
}

export type StateCheck = { ok: true; commits: Set<string>; state: ScanState } | { ok: false; reason: string };

const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Validates a restored state against what this run expects; any doubt → `{ ok: false, reason }` (full scan). */
export function checkState(
  text: string | Buffer,
  expected: { scannerVersion: string; policyHash: string; mode: CacheMode },
): StateCheck {
  if (text.length > MAX_STATE_BYTES)
    return { ok: false, reason: `state is ${text.length} bytes, over the ${MAX_STATE_BYTES} limit` };
  let v: unknown;
  try {
    v = JSON.parse(text.toString());
  } catch {
    return { ok: false, reason: 'state is not JSON' };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, reason: 'state is not an object' };
  const s = v as Record<string, unknown>;
  const keys = Object.keys(s).sort().join(',');
  if (keys !== 'checksum,commits,createdAt,format,mode,policyHash,scannerVersion,version') {
    return { ok: false, reason: `unexpected fields (${keys})` };
  }
  if (s.format !== CACHE_FORMAT) return { ok: false, reason: `format "${String(s.format)}" is not ${CACHE_FORMAT}` };
  if (s.version !== CACHE_FORMAT_VERSION)
    return { ok: false, reason: `format version ${String(s.version)} is not ${CACHE_FORMAT_VERSION}` };
  if (s.scannerVersion !== expected.scannerVersion) {
    return { ok: false, reason: `made by scanner ${String(s.scannerVersion)}, this is ${expected.scannerVersion}` };
  }
  if (s.policyHash !== expected.policyHash) return { ok: false, reason: 'made under different rules or config' };
  if (s.mode !== expected.mode)
    return { ok: false, reason: `made in ${String(s.mode)} mode, this is ${expected.mode}` };
  if (typeof s.createdAt !== 'string' || Number.isNaN(Date.parse(s.createdAt)))
    return { ok: false, reason: 'bad createdAt' };
  if (!Array.isArray(s.commits)) return { ok: false, reason: 'commits is not a list' };
  if (s.commits.length > MAX_COMMITS) return { ok: false, reason: `more than ${MAX_COMMITS} commits` };
  const commits = new Set<string>();
  let prev = '';
  for (const c of s.commits) {
    if (typeof c !== 'string' || !COMMIT_ID.test(c)) return { ok: false, reason: 'a commit id is malformed' };
    if (c <= prev) return { ok: false, reason: 'commit ids are not sorted and unique' };
    prev = c;
    commits.add(c);
  }
  if (typeof s.checksum !== 'string') return { ok: false, reason: 'no checksum' };
  const state = s as unknown as ScanState;
  if (checksumOf(state) !== s.checksum) return { ok: false, reason: 'checksum mismatch (truncated or altered)' };
  return { ok: true, commits, state };
}

/** Only a scan that found nothing and missed nothing may vouch for its commits. */
export function isCleanForCache(
  result: { findings: unknown[]; warnings?: string[] },
  source: { stats: { missing: number } },
): boolean {
  return result.findings.length === 0 && source.stats.missing === 0;
}
