// `jit-gpg scan [PATH|-]`: the scanner outside Actions. Exit 0 clean, 1 findings (per --fail-on), 2 usage or config
// error. Reports go to stdout (or --output); warnings and the one-line summary to stderr.
//
// `runScanJob` is the one place that turns options into a scan (config → policy → source → engine → baseline); the
// scan action calls it too. Git sources (diff/history, and auto on pull_request/push) slot in at `selectSource`.
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { applyBaseline, type Baseline, loadBaseline } from '../scan/baseline.ts';
import { loadConfig, parseSize } from '../scan/config.ts';
import { findGitleaksConfig, type GitleaksImport, loadGitleaksConfig, mergeGitleaks } from '../scan/gitleaks.ts';
import { scan } from '../scan/index.ts';
import type { ScanPolicy } from '../scan/policy.ts';
import { renderJson, type StaleEntry } from '../scan/report/json.ts';
import { renderSarif } from '../scan/report/sarif.ts';
import { plural, renderText } from '../scan/report/text.ts';
import { planScan, readEvent, type ScanPlan } from '../scan/sources/event.ts';
import { GitRangeError, type GitScanResult, scanGit } from '../scan/sources/git.ts';
import type { ScanItem } from '../scan/sources/types.ts';
import type { FailOn, Finding, ScanMode, ScanResult } from '../scan/types.ts';
import { oneOf, parseFlags } from './args.ts';
import { type CliIO, EXIT, UsageError } from './io.ts';
import { VERSION } from './main.ts';

export const SCAN_MODES: readonly ScanMode[] = ['auto', 'worktree', 'diff', 'history'];
export const FAIL_ON: readonly FailOn[] = ['any', 'validated', 'none'];
export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export const SCAN_USAGE = `Usage: jit-gpg scan [PATH|-] [options]

Scan a directory (default .), a single file, or stdin (-) for hardcoded secrets.

Options:
  --mode MODE          auto (default), worktree, diff (added lines between --base and --head) or history
  --base REV           base revision for --mode diff
  --head REV           head revision for --mode diff (default HEAD)
  --config FILE        config file (TOML); default .jit-gpg.toml in PATH or the current directory, if present
  --baseline FILE      a previous JSON report (--format json): its findings are accepted
  --format FORMAT      text (default), json or sarif
  --output FILE        write the report to FILE instead of stdout
  --fail-on WHEN       any (default), validated (only findings a checksum or structure proves), none
  --max-file-size SIZE skip larger files (bytes, or e.g. "5MiB"; default 10MiB)
  --threads N          scanning threads (default: available cores, at most 8)
  -h, --help           show this help

Suppress a finding with an inline \`jit-gpg:allow\` comment, [allow] in .jit-gpg.toml, or a baseline.
Exit codes: 0 no findings, 1 findings (per --fail-on), 2 usage or configuration error.
`;

/** A mode that this build cannot run (yet), or a mode that needs options it did not get. */
export class ModeError extends Error {
  override name = 'ModeError';
}

/** What a scan should read: the work tree, stdin, a single file, or (later) git history. */
export type SourcePlan =
  | { kind: 'worktree' }
  | { kind: 'stdin'; stream: NodeJS.ReadableStream }
  | { kind: 'items'; describe: string; items: () => AsyncIterable<ScanItem> }
  // [git-sources engineer] diff, history, and auto on pull_request/push/merge_group events (sources/event.ts).
  | { kind: 'git'; plan: ScanPlan };

export interface ScanJobOptions {
  /** Absolute directory paths in findings are relative to. */
  root: string;
  /** The file to scan when PATH names a single file (relative to root). */
  file?: string;
  stdin?: NodeJS.ReadableStream;
  mode: ScanMode;
  base?: string;
  head?: string;
  /** Explicit config file: must exist. */
  configPath?: string;
  /** Where to look for `.jit-gpg.toml` otherwise, in order. */
  configSearch: string[];
  /** Resolves relative config/baseline paths; names files in errors. */
  cwd: string;
  baselinePath?: string;
  maxFileSize?: number;
  threads?: number;
  env: NodeJS.ProcessEnv;
  onWarning: (message: string) => void;
  onProgress?: (p: { items: number; bytes: number }) => void;
  /** [git-sources engineer] Notices (what auto mode chose, fetches in shallow clones) and git progress lines. */
  onNotice?: (message: string) => void;
  /** [git-sources engineer] Commits a restored cache vouches for (the action's @actions/cache adapter). */
  restoreGitCache?: (
    mode: 'diff' | 'history',
    policy: ScanPolicy,
    configFile: string | undefined,
  ) => Promise<Set<string> | undefined>;
}

export interface ScanJob {
  /** The scan result with `findings` after the baseline and `staleBaseline` filled in. */
  result: ScanResult;
  /** Findings the baseline accepted. */
  accepted: Finding[];
  stale: StaleEntry[];
  policy: ScanPolicy;
  configFile?: string;
  baseline?: Baseline;
  /** What was scanned, in words (for logs). */
  source: string;
  /** [git-sources engineer] Git modes: commits in scope (what a clean scan lets the cache vouch for), stats. */
  git?: GitScanResult['git'];
}

/**
 * The one place where `mode` is interpreted. Git sources slot in here: `diff` and `history` (and `auto` on
 * pull_request/push events) will return `{ kind: 'items', … }` from the git source.
 */
export function selectSource(
  opts: Pick<ScanJobOptions, 'mode' | 'stdin' | 'file' | 'root' | 'env' | 'base' | 'head'>,
): SourcePlan {
  if (opts.stdin) return { kind: 'stdin', stream: opts.stdin };
  if (opts.file) {
    const abs = resolve(opts.root, opts.file);
    const size = statSync(abs).size;
    const path = opts.file;
    return {
      kind: 'items',
      describe: `file ${path}`,
      items: async function* () {
        yield { path, source: { kind: 'file', absPath: abs, size } };
      },
    };
  }
  switch (opts.mode) {
    case 'worktree':
      return { kind: 'worktree' };
    case 'auto': {
      // [git-sources engineer] auto: pull_request → the PR's commits, push → the pushed commits (a new branch: those
      // not on the default branch), merge_group → its commits; other events (and no event) scan the work tree.
      let plan: ScanPlan;
      try {
        plan = planScan(readEvent(opts.env));
      } catch (e) {
        throw new ModeError((e as Error).message);
      }
      return plan.mode === 'worktree' ? { kind: 'worktree' } : { kind: 'git', plan };
    }
    case 'diff':
      if (!opts.base)
        throw new ModeError('mode diff needs a base revision (--base, input `base`); head defaults to HEAD');
      return { kind: 'git', plan: { mode: 'diff', base: opts.base, head: opts.head ?? 'HEAD' } };
    case 'history':
      return { kind: 'git', plan: { mode: 'history', ...(opts.head ? { head: opts.head } : {}) } };
    default:
      throw new ModeError(`unknown mode "${String(opts.mode)}"; expected one of ${SCAN_MODES.join(', ')}`);
  }
}

export async function runScanJob(opts: ScanJobOptions): Promise<ScanJob> {
  const plan = selectSource(opts);
  if (plan.kind === 'worktree' && (opts.base || opts.head) && opts.mode !== 'diff') {
    opts.onWarning(`base/head are only used by mode diff; mode ${opts.mode} scans the work tree and ignores them`);
  }
  const { policy: ownPolicy, path: configFile } = await loadConfig({
    path: opts.configPath,
    cwd: opts.cwd,
    searchDirs: opts.configSearch,
  });
  // [git-sources engineer] Migration: an existing .gitleaks.toml at the root adds its custom rules and allowlists;
  // what it cannot honour is a warning naming the field. Errors in it are config errors (exit 2).
  let policy = ownPolicy;
  let gitleaks: GitleaksImport | undefined;
  const gitleaksFile = opts.stdin ? undefined : findGitleaksConfig(opts.root);
  if (gitleaksFile) {
    gitleaks = loadGitleaksConfig(gitleaksFile);
    policy = mergeGitleaks(policy, gitleaks);
    for (const w of gitleaks.warnings) opts.onWarning(w);
    const s = gitleaks.summary;
    opts.onNotice?.(
      `.gitleaks.toml: ${s.rules} custom rules, ${s.allowPaths} allowed paths, ${s.allowRegexes} allow regexes, ${s.stopwords} stopwords, ${s.commits} allowed commits`,
    );
  }
  if (opts.maxFileSize !== undefined) policy.maxFileSize = opts.maxFileSize;
  // The config file's own rule examples are fake secrets by definition: don't report the file that defines them.
  if (configFile) {
    const rel = relative(opts.root, configFile);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) policy.ignorePaths.push(rel.split(sep).join('/'));
  }
  const baseline = opts.baselinePath ? await loadBaseline(resolve(opts.cwd, opts.baselinePath)) : undefined;

  let raw: ScanResult;
  let git: GitScanResult['git'] | undefined;
  let gitSource: string | undefined;
  if (plan.kind === 'git') {
    ({ result: raw, git, source: gitSource } = await runGitPlan(plan.plan, opts, policy, configFile));
  } else {
    raw = await scan({
      root: opts.root,
      policy,
      threads: opts.threads,
      onWarning: opts.onWarning,
      onProgress: opts.onProgress,
      ...(plan.kind === 'stdin' ? { stdin: plan.stream } : {}),
      ...(plan.kind === 'items' ? { items: plan.items() } : {}),
    });
  }
  if (gitleaks) raw.findings = gitleaks.filterFindings(raw.findings); // [git-sources engineer] paths/commits allowlists
  const outcome = applyBaseline(raw.findings, baseline);
  const result: ScanResult = {
    ...raw,
    findings: outcome.findings,
    staleBaseline: outcome.stale.map((s) => s.fingerprint),
  };
  const source =
    gitSource ?? (plan.kind === 'stdin' ? 'stdin' : plan.kind === 'items' ? plan.describe : `work tree ${opts.root}`);
  const job: ScanJob = { result, accepted: outcome.accepted, stale: outcome.stale, policy, source };
  if (git) job.git = git;
  if (configFile) job.configFile = configFile;
  if (baseline) job.baseline = baseline;
  return job;
}

/**
 * [git-sources engineer] Runs a git plan: nothing (an empty range: a clean no-op with a notice), or the diff/history
 * source through scanGit (findings once per secret at the commit that introduced it). A range git cannot resolve is
 * a ModeError (CLI exit 2; the action names the `mode` input) carrying git's reason and what to change.
 */
async function runGitPlan(
  p: ScanPlan,
  opts: ScanJobOptions,
  policy: ScanPolicy,
  configFile: string | undefined,
): Promise<{ result: ScanResult; git?: GitScanResult['git']; source: string }> {
  if (p.notice) opts.onNotice?.(p.notice);
  if (p.mode !== 'diff' && p.mode !== 'history') {
    const stats = {
      files: 0,
      bytes: 0,
      skippedBinary: 0,
      skippedLarge: 0,
      unreadable: 0,
      durationMs: 0,
      engine: 'none',
    };
    return { result: { findings: [], stats, warnings: [], staleBaseline: [] }, source: p.notice ?? 'nothing to scan' };
  }
  const skipCommits = opts.restoreGitCache ? await opts.restoreGitCache(p.mode, policy, configFile) : undefined;
  try {
    const { git, ...result } = await scanGit({
      root: opts.root,
      mode: p.mode,
      base: p.base,
      head: p.head,
      exclude: p.exclude,
      fallbackExclude: p.fallbackExclude,
      policy,
      threads: opts.threads,
      skipCommits,
      onWarning: opts.onWarning,
      onNotice: opts.onNotice,
      onProgressLine: opts.onNotice,
    });
    const range =
      p.mode === 'history'
        ? 'history'
        : `commits ${p.base ? `${p.base.slice(0, 12)}..` : ''}${(p.head ?? 'HEAD').slice(0, 12)}`;
    return { result, git, source: `${range} (${git.stats.commits} commits) of ${opts.root}` };
  } catch (e) {
    if (e instanceof GitRangeError) throw new ModeError(e.message);
    throw e;
  }
}

/** The findings that fail the run per `fail-on`. */
export function failing(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'none') return [];
  if (failOn === 'validated') return findings.filter((f) => f.validated);
  return [...findings];
}

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new UsageError(`scan: --${flag} must be a positive integer (got "${v}")`);
  return Number(v);
}

export async function scanCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('scan', argv, {
    mode: { type: 'string' },
    base: { type: 'string' },
    head: { type: 'string' },
    config: { type: 'string' },
    baseline: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
    'max-file-size': { type: 'string' },
    threads: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(SCAN_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `scan: one PATH at most (got ${positionals.length}: ${positionals.join(' ')}). Run \`jit-gpg scan --help\`.`,
    );
  }
  const mode = oneOf('scan', 'mode', values.mode, SCAN_MODES) ?? 'auto';
  const format = oneOf('scan', 'format', values.format, FORMATS) ?? 'text';
  const failOn = oneOf('scan', 'fail-on', values['fail-on'], FAIL_ON) ?? 'any';
  const threads = positiveInt('threads', values.threads);
  let maxFileSize: number | undefined;
  if (values['max-file-size'] !== undefined) {
    maxFileSize = parseSize(values['max-file-size']);
    if (maxFileSize === undefined) {
      throw new UsageError(
        `scan: --max-file-size must be a positive size in bytes or with a unit, e.g. 5MiB (got "${values['max-file-size']}")`,
      );
    }
  }
  for (const flag of ['config', 'baseline', 'output', 'base', 'head'] as const) {
    if (values[flag] === '') throw new UsageError(`scan: --${flag} needs a value`);
  }

  const target = positionals[0] ?? '.';
  const useStdin = target === '-';
  let root = io.cwd;
  let file: string | undefined;
  if (!useStdin) {
    const abs = resolve(io.cwd, target);
    if (!existsSync(abs)) throw new UsageError(`scan: ${target}: no such file or directory`);
    if (statSync(abs).isDirectory()) root = abs;
    else {
      root = dirname(abs);
      file = basename(abs);
    }
  }

  const warn = (m: string) => io.stderr.write(`jit-gpg: warning: ${m}\n`);
  let job: ScanJob;
  try {
    job = await runScanJob({
      root,
      file,
      stdin: useStdin ? io.stdin : undefined,
      mode,
      base: values.base,
      head: values.head,
      configPath: values.config,
      configSearch: useStdin ? [io.cwd] : [...new Set([root, io.cwd])],
      cwd: io.cwd,
      baselinePath: values.baseline,
      maxFileSize,
      threads,
      env: io.env,
      onWarning: warn,
      onNotice: (m) => io.stderr.write(`jit-gpg: ${m}\n`), // [git-sources engineer]
    });
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'ConfigError' || name === 'BaselineError' || name === 'ModeError') {
      io.stderr.write(`jit-gpg scan: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
    throw e;
  }

  const { result } = job;
  const input = {
    findings: result.findings,
    baselined: job.accepted,
    staleBaseline: job.stale,
    stats: result.stats,
    warnings: result.warnings,
    toolVersion: VERSION,
  };
  const toStdout = values.output === undefined;
  // Colour only when the report goes to a terminal (stdout itself, not stderr), unless NO_COLOR; FORCE_COLOR forces it.
  const stdoutTTY = Boolean((io.stdout as { isTTY?: boolean }).isTTY);
  const color =
    toStdout && !io.env.NO_COLOR && (stdoutTTY || Boolean(io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0'));
  const report =
    format === 'json'
      ? renderJson(input)
      : format === 'sarif'
        ? renderSarif({ ...input, rules: job.policy.rules, root: useStdin ? undefined : root })
        : renderText({ ...input, color });
  if (toStdout) {
    io.stdout.write(report);
  } else {
    const out = resolve(io.cwd, values.output!);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, report);
  }

  const fails = failing(result.findings, failOn);
  if (!toStdout || format !== 'text') {
    const n = result.findings.length;
    const summary =
      n === 0
        ? `no secrets found (${plural(result.stats.files, 'file')} scanned)`
        : `${plural(n, 'secret')} found` +
          (failOn !== 'any' ? ` (${fails.length} count for --fail-on ${failOn})` : '') +
          (job.accepted.length ? `; ${job.accepted.length} accepted by the baseline` : '');
    io.stderr.write(`jit-gpg: ${summary}${toStdout ? '' : `; ${format} report written to ${values.output}`}\n`);
  } else if (failOn !== 'any' && result.findings.length > 0) {
    io.stderr.write(`jit-gpg: ${fails.length} of ${result.findings.length} count for --fail-on ${failOn}\n`);
  }
  return fails.length > 0 ? EXIT.findings : EXIT.ok;
}
