// The scanner's public shapes. A finding never carries the secret itself: only a preview and a fingerprint.
import type { RetainedSecrets } from './retained.ts';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Result of an offline validator: 'valid' proves the format (checksum, parsed payload); 'invalid' drops the match. */
export type Validity = 'valid' | 'invalid' | 'unknown';

export interface RuleExamples {
  /** Lines or snippets (env, YAML, JSON, code, URLs) that must produce exactly one finding of this rule. */
  tp: string[];
  /** Look-alikes that must produce no finding of this rule. */
  fp: string[];
}

/** A secret type: pure data plus an optional offline validator. Patterns are RE2 syntax. */
export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** Lowercase ASCII literals; every true positive's full match contains at least one (the prefilter relies on it). */
  keywords: string[];
  /** RE2 pattern. The secret is capture group `secretGroup` (default 1), or the whole match when there is no group. */
  pattern: string;
  secretGroup?: number;
  /** Compile case-insensitively. */
  caseInsensitive?: boolean;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** How far (bytes) past the keyword a match may extend; default one line. Multi-line secrets (PEM) set it. */
  window?: number;
  /**
   * Offline check of a candidate: `match` is the pattern's whole match, `before` up to 256 bytes of text before it
   * (context such as the object a field belongs to). 'valid' only when it proves structure (checksum, parse).
   */
  validate?: (secret: string, match: string, before?: string) => Validity;
  /** When the rule needs a validator to be believed (a checksum it can check), unvalidated matches are dropped. */
  requireValid?: boolean;
  /**
   * The match is a structure (a JWK object) and `validate` judges the secret members in it, placeholders included:
   * the engine's own stand-in checks, which read the whole text, are skipped (a `kid` of `…@example.org` says
   * nothing of the key beside it).
   */
  structured?: boolean;
  /**
   * A catch-all rule (the generic ones): reported only where no other rule reports an overlapping secret. The
   * engine resolves overlaps per input (engine.ts, `resolveOverlaps`), so a specific rule that is disabled or
   * rejects the value leaves the fallback free to report it.
   */
  fallback?: boolean;
  /**
   * Help text for SARIF and docs: what the secret is, and how to revoke or rotate it. Every rule has one; a built-in
   * rule in a bundle carries it in dist/rules-help.json instead (read it with ruleHelp, rules/help.ts).
   */
  help?: string;
  examples: RuleExamples;
}

/** Another place a finding's secret occurs (the same rule, the same secret). */
export interface FindingLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  commit?: string;
  author?: string;
  date?: string;
  decoded?: string;
  /** `mode: logs`: the job and step whose log holds this place. */
  log?: LogLocation;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  validated: boolean;
  /** Path relative to the scan root, with `/` separators; `-` for stdin; `outer.zip!inner/path` inside archives. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  commit?: string;
  author?: string;
  date?: string;
  /** How the text was decoded before it matched (e.g. `base64`), when it was. */
  decoded?: string;
  /** sha256 of rule id and secret, hex: stable when lines move. */
  fingerprint: string;
  /** First 4 characters of the secret, then a mask. */
  preview: string;
  /**
   * Every other place the same secret occurs for the same rule (other files, lines, commits), in order of
   * occurrence; the finding itself is the first occurrence (in history, the earliest commit). Absent when none.
   */
  locations?: FindingLocation[];
  /** `mode: logs`: the job and step whose log holds it, and a link to the line. */
  log?: LogLocation;
  /** `revoke: github`: whether it was submitted for revocation, and the answer. */
  revocation?: Revocation;
  /**
   * An inline allow marker is on its line, but markers do not count there (a line a pull request adds): reported
   * for review, never failing the run.
   */
  inlineAllowed?: boolean;
}

export interface LogLocation {
  job: string;
  jobId: number;
  /** As the API names it; absent when no step's times enclose the line's. */
  step?: string;
  stepNumber?: number;
  /** The line on GitHub (`…/actions/runs/RUN/job/JOB#step:N:L`). */
  url: string;
}

export interface Revocation {
  submitted: boolean;
  /** The endpoint's HTTP status, when it answered. */
  status?: number;
  /** In words: "accepted (HTTP 202)", "refused (HTTP 422: …)", "not submitted: …". */
  answer: string;
}

export type ScanMode = 'auto' | 'worktree' | 'diff' | 'history' | 'logs';
export type FailOn = 'any' | 'validated' | 'none';
export const SCAN_MODES: readonly ScanMode[] = ['auto', 'worktree', 'diff', 'history', 'logs'];
export const FAIL_ON: readonly FailOn[] = ['any', 'validated', 'none'];
export const REVOKE: readonly ('none' | 'github')[] = ['none', 'github'];

export interface ScanStats {
  files: number;
  bytes: number;
  skippedBinary: number;
  skippedLarge: number;
  unreadable: number;
  /** Items that could not be scanned for another reason than I/O (a worker crash): the scan is incomplete. */
  failed: number;
  /** Symlinks met while listing the work tree: never followed (a target inside the tree is scanned on its own). */
  skippedSymlinks?: number;
  /** FIFOs, sockets and devices met while listing the work tree: never opened. */
  skippedSpecial?: number;
  /** Archives or archive entries not opened: over an archive limit, encrypted, unsupported or corrupt. */
  skippedArchive?: number;
  /** Git objects the range needs that are missing from the clone: the scan is incomplete. */
  missingObjects?: number;
  /** Inputs cut at the stdin cap: the scan is incomplete. */
  truncated?: number;
  durationMs: number;
  engine: string;
}

export interface ScanResult {
  findings: Finding[];
  stats: ScanStats;
  warnings: string[];
  /** Baseline fingerprints that matched nothing in this scan (stale entries). */
  staleBaseline: string[];
  /** Validated secrets of the policy's retainSecrets rules (revocation only; never serialised). */
  secrets?: RetainedSecrets;
}

/**
 * What could not be scanned (unreadable, failed, missing git objects, input cut at the cap): any of it fails the run
 * (CLI exit 2, the action fails, SARIF executionSuccessful false), since it might hold a secret.
 */
export function incompleteItems(stats: ScanStats): number {
  return stats.unreadable + stats.failed + (stats.missingObjects ?? 0) + (stats.truncated ?? 0);
}

/** What policy skipped on purpose, in words with counts ("2 binary files"): shown and reported, never a failure. */
export function policySkips(stats: ScanStats): string[] {
  const n = (count: number, one: string, many: string) => (count > 0 ? [`${count} ${count === 1 ? one : many}`] : []);
  return [
    ...n(stats.skippedBinary, 'binary file', 'binary files'),
    ...n(stats.skippedLarge, 'file over the size limit', 'files over the size limit'),
    ...n(
      stats.skippedArchive ?? 0,
      'archive item over a limit or unreadable',
      'archive items over a limit or unreadable',
    ),
    ...n(stats.skippedSpecial ?? 0, 'FIFO, socket or device', 'FIFOs, sockets or devices'),
    ...n(stats.skippedSymlinks ?? 0, 'symlink (not followed)', 'symlinks (not followed)'),
  ];
}
