// Scan before sign: the files about to be signed, scanned with the same job as `jit-gpg scan` (built-in rules plus
// the repository's `.jit-gpg.toml` and `.gitleaks.toml`, archives opened, encoded text decoded). The signing job calls
// this through a hook before any OIDC request; a finding or an incomplete scan means no key is fetched. Findings
// name the artifact and the entry inside it (`dist/app-1.0.0.tgz!package/.npmrc`) and are redacted here.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { displayPath } from '../shared/escape.ts';
import { VERSION } from '../shared/version.ts';
import { policyHash } from './cache.ts';
import { runScanJob } from './job.ts';
import { redactFindings } from './report/redact.ts';
import type { ScanItem } from './sources/types.ts';
import type { Finding, ScanStats } from './types.ts';

export interface ArtifactScanOptions {
  /** Absolute paths of the regular files about to be signed. */
  files: readonly string[];
  /** The workspace: config files are looked up here, findings are named relative to it. */
  root: string;
  /** An explicit scan config (else `.jit-gpg.toml` in root when present). */
  configPath?: string;
  env: NodeJS.ProcessEnv;
  threads?: number;
  onWarning?: (message: string) => void;
}

/** What the audit records: which rules vouched for the artifacts. */
export interface RuleSet {
  /** Scanner version and a hash of everything that decides what it finds (rules, allowlists, config bytes). */
  version: string;
  rules: number;
  /** The config file used, relative to root; absent for the built-in defaults. */
  config?: string;
}

export interface ArtifactScan {
  /** Redacted findings; `file` is `ARTIFACT` or `ARTIFACT!entry` relative to root. */
  findings: Finding[];
  ruleSet: RuleSet;
  stats: ScanStats;
  warnings: string[];
  /**
   * Items that could not be read or scanned, and archive content the scanner could not see for a reason other than
   * a size policy (corrupt, encrypted, unsupported, bomb-like ratio): the artifacts were not fully checked.
   */
  incomplete: number;
  /** Archive content skipped by the size policies (entry size, total size, entry count, nesting depth): counted. */
  policySkipped: number;
}

/** Archive limits that are size policy (counted); any other archive content "not scanned" is a failure to check. */
const POLICY_LIMIT = /\(limit: (entry size|total size|entries|depth)\b/;
const NOT_SCANNED = /not scanned|not opened|were not scanned|was not scanned/;

/** How the scan before sign treats a scanner warning: `unscannable` fails the step, `policy` is counted. */
export function classifyWarning(message: string): 'unscannable' | 'policy' | 'other' {
  if (!NOT_SCANNED.test(message)) return 'other';
  return POLICY_LIMIT.test(message) ? 'policy' : 'unscannable';
}

/** A path relative to root with `/` separators when inside it, else absolute. */
function itemPath(file: string, root: string): string {
  const rel = relative(root, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return file;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

export async function scanArtifacts(options: ArtifactScanOptions): Promise<ArtifactScan> {
  const root = options.root;
  const files = [...options.files];
  const items = async function* (): AsyncIterable<ScanItem> {
    for (const absPath of files) {
      const { size } = await stat(absPath);
      yield { path: itemPath(absPath, root), source: { kind: 'file', absPath, size } };
    }
  };
  const warnings: string[] = [];
  let unscannable = 0;
  let policySkipped = 0;
  const job = await runScanJob({
    root,
    items: { describe: `${files.length} artifact(s)`, items },
    mode: 'worktree',
    ...(options.configPath ? { configPath: options.configPath } : {}),
    configSearch: [root],
    cwd: root,
    env: options.env,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    onWarning: (m) => {
      warnings.push(m);
      const kind = classifyWarning(m);
      if (kind === 'unscannable') unscannable++;
      if (kind === 'policy') policySkipped++;
      options.onWarning?.(m);
    },
  });
  const configBytes = job.configFile ? createHash('sha256').update(readFileSync(job.configFile)).digest('hex') : '';
  const hash = policyHash(job.policy, VERSION, { config: configBytes });
  const ruleSet: RuleSet = { version: `${VERSION}+${hash.slice(0, 12)}`, rules: job.policy.rules.length };
  if (job.configFile) ruleSet.config = itemPath(job.configFile, root);
  const s = job.result.stats;
  return {
    findings: redactFindings(job.result.findings),
    ruleSet,
    stats: s,
    warnings,
    incomplete: s.failed + s.unreadable + unscannable,
    policySkipped,
  };
}

/** The step's failure message: how many, where (artifact!entry), and what to do. Names are quoted and escaped. */
export function describeArtifactFindings(scan: ArtifactScan, offSwitch = 'the input `scan: false`'): string {
  const where = [...new Set(scan.findings.map((f) => f.file))];
  const shown = where.slice(0, 5).map((w) => `"${displayPath(w)}"`);
  const more = where.length > shown.length ? ` and ${where.length - shown.length} more` : '';
  const n = scan.findings.length;
  return (
    `${n} secret${n === 1 ? '' : 's'} found in the artifacts about to be signed (${shown.join(', ')}${more}); ` +
    'no key was requested. Rebuild the artifacts without them (and rotate each secret: it may already have been ' +
    'uploaded), or, for a false positive, allow it in .jit-gpg.toml. ' +
    `${offSwitch} turns this check off.`
  );
}
