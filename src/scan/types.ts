// The scanner's public shapes. A finding never carries the secret itself: only a preview and a fingerprint.

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
   * A catch-all rule (the generic ones): reported only where no other rule reports an overlapping secret. The
   * engine resolves overlaps per input (engine.ts, `resolveOverlaps`), so a specific rule that is disabled or
   * rejects the value leaves the fallback free to report it.
   */
  fallback?: boolean;
  /** Help text for SARIF and docs: what the secret is, and how to revoke or rotate it. */
  help: string;
  examples: RuleExamples;
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
   * An inline allow marker is on its line, but markers do not count there (a line a pull request adds): reported
   * for review, never failing the run.
   */
  inlineAllowed?: boolean;
}

export type ScanMode = 'auto' | 'worktree' | 'diff' | 'history';
export type FailOn = 'any' | 'validated' | 'none';

export interface ScanStats {
  files: number;
  bytes: number;
  skippedBinary: number;
  skippedLarge: number;
  unreadable: number;
  /** Items that could not be scanned for another reason than I/O (a worker crash): the scan is incomplete. */
  failed: number;
  durationMs: number;
  engine: string;
}

export interface ScanResult {
  findings: Finding[];
  stats: ScanStats;
  warnings: string[];
  /** Baseline fingerprints that matched nothing in this scan (stale entries). */
  staleBaseline: string[];
}
