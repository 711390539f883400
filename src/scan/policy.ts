// What to look for and what to leave alone. The config loader (`.jit-gpg.toml`) starts from defaultPolicy() and
// adds or overrides; scan() and the workers only ever see a ScanPolicy.
import { builtinRules } from './rules/index.ts';
import type { Rule } from './types.ts';

export interface ScanPolicy {
  rules: Rule[];
  /** picomatch globs (dot files included) on ScanItem.path. */
  ignorePaths: string[];
  /** RE2 patterns tested against the secret: a match drops the finding. */
  allowRegexes: string[];
  /** Case-insensitive substrings: a secret containing one is dropped. */
  stopwords: string[];
  /** Files (and byte items other than stdin) larger than this are skipped and counted; default 10 MiB. */
  maxFileSize: number;
  /**
   * Rule ids whose validated secrets the engine hands back (ScanResult.secrets), for revocation (revoke.ts); unset,
   * no secret ever leaves the engine.
   */
  retainSecrets?: string[];
  /**
   * `honour` (default): an inline allow marker drops the finding on its line. `report`: the finding is kept, flagged
   * `inlineAllowed` (lines a pull request adds: its author wrote the marker).
   */
  inlineAllow?: 'honour' | 'report';
}

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/**
 * Paths skipped by default. `.git/` is repository metadata. `node_modules/` is third-party code installed from a
 * registry (in a git checkout it is normally ignored anyway; the directory walk would otherwise spend most of its
 * time there). Lockfiles are NOT ignored: their integrity hashes are filtered instead, so a token pasted into one
 * is still found.
 */
export const DEFAULT_IGNORE_PATHS: readonly string[] = [
  '.git/**',
  '**/.git/**',
  'node_modules/**',
  '**/node_modules/**',
];

export function defaultPolicy(): ScanPolicy {
  return {
    rules: builtinRules.slice(),
    ignorePaths: DEFAULT_IGNORE_PATHS.slice(),
    allowRegexes: [],
    stopwords: [],
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
  };
}
