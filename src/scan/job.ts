// One scan, from options to result: config → policy → source (work tree, stdin, a file, or git) → engine →
// baseline. The CLI (`jit-gpg scan`) and the scan action both call `runScanJob`, so they cannot drift apart.
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { applyBaseline, type Baseline, loadBaseline } from './baseline.ts';
import { ConfigError, loadConfig } from './config.ts';
import { prepareRegexEngine } from './regex/index.ts';
import { baseSource, type ConfigSource, ConfigSourceError, worktreeSource } from './config-source.ts';
import { type GitleaksImport, loadGitleaksConfig, mergeGitleaks } from './gitleaks.ts';
import { scan } from './index.ts';
import type { ScanPolicy } from './policy.ts';
import type { StaleEntry } from './report/json.ts';
import { planScan, readEvent, type ScanPlan, trustedBaseSha } from './sources/event.ts';
import { GitRangeError, type GitScanResult, scanGit } from './sources/git.ts';
import { openNamedInput } from './sources/stdin.ts';
import type { ScanItem } from './sources/types.ts';
import { type FailOn, type Finding, SCAN_MODES, type ScanMode, type ScanResult } from './types.ts';
// The GitHub client, log fetching and revocation load only for the runs that use them (start-up of the rest).
import type { GitHubClient, GitHubClientOptions } from '../shared/github.ts';
import type { RevocationResult } from './revoke.ts';
import type { LogsSource } from './sources/logs.ts';

export { FAIL_ON, REVOKE, SCAN_MODES } from './types.ts';

/** A mode that this build cannot run (yet), or a mode that needs options it did not get. */
export class ModeError extends Error {
  override name = 'ModeError';
}

/** What a scan should read: the work tree, stdin, a single file, or (later) git history. */
export type SourcePlan =
  | { kind: 'worktree' }
  | { kind: 'stdin'; stream: NodeJS.ReadableStream }
  // A named path that is not a regular file (a pipe, /dev/stdin, a device): read to its end like stdin.
  | { kind: 'named'; absPath: string; name: string }
  | { kind: 'items'; describe: string; items: () => AsyncIterable<ScanItem> }
  // diff, history, and auto on pull_request/push/merge_group events (sources/event.ts).
  | { kind: 'git'; plan: ScanPlan }
  // a workflow run's job logs, from the REST API (sources/logs.ts).
  | { kind: 'logs' };

export interface ScanJobOptions {
  /** Absolute directory paths in findings are relative to. */
  root: string;
  /** The file to scan when PATH names a single file (relative to root). */
  file?: string;
  /** Any list of items instead (artifacts about to be signed); paths relative to root. */
  items?: { describe: string; items: () => AsyncIterable<ScanItem> };
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
  /**
   * `base` (the action's default): on pull_request, pull_request_target and merge_group events the tracked config
   * files and baseline are read from the event's base commit, and inline allow markers on the lines the pull
   * request adds do not count. `head` (default here): read from the file system as they are.
   */
  configFrom?: 'base' | 'head';
  maxFileSize?: number;
  threads?: number;
  env: NodeJS.ProcessEnv;
  onWarning: (message: string) => void;
  onProgress?: (p: { items: number; bytes: number }) => void;
  /** Notices (what auto mode chose, fetches in shallow clones) and git progress lines. */
  onNotice?: (message: string) => void;
  /** mode logs: the run whose completed jobs' logs are scanned. */
  logs?: { repo: string; runId: number; serverUrl: string };
  /** The REST API for mode logs and revocation (`apiUrl` is GITHUB_API_URL; `token` for logs and GHES revocation). */
  github?: Omit<GitHubClientOptions, 'onNotice'>;
  /** `github`: submit reported, validated GitHub tokens to the credential-revocation endpoint (revoke.ts). */
  revoke?: 'none' | 'github';
  /** Commits a restored cache vouches for (the action's @actions/cache adapter). */
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
  /** Git modes: commits in scope (what a clean scan lets the cache vouch for), stats. */
  git?: GitScanResult['git'];
  /** mode logs: jobs scanned, jobs not scanned (still running, skipped) and logs that could not be fetched. */
  logs?: { jobs: number; skipped: { job: string; why: string }[]; failed: number };
  /** revoke github: what was submitted; `failure` says what to do by hand (the run must fail). */
  revocation?: Omit<RevocationResult, 'findings'>;
  /** Where the config came from, and every config file read (with whether the pull request changes it). */
  config: Pick<ConfigSource, 'describe' | 'base' | 'files'>;
  /**
   * Findings on lines a pull request adds that carry an inline allow marker: not in `result.findings` (they do not
   * fail the run) but reported for review.
   */
  markerSuppressed: Finding[];
}

/**
 * The one place where `mode` is interpreted. Git sources slot in here: `diff` and `history` (and `auto` on
 * pull_request/push events) will return `{ kind: 'items', … }` from the git source.
 */
export function selectSource(
  opts: Pick<ScanJobOptions, 'mode' | 'stdin' | 'file' | 'items' | 'root' | 'env' | 'base' | 'head'>,
): SourcePlan {
  if (opts.items) return { kind: 'items', ...opts.items };
  if ((opts.stdin || opts.file) && (opts.mode === 'diff' || opts.mode === 'history')) {
    throw new ModeError(`--mode ${opts.mode} scans a git repository, not ${opts.stdin ? 'stdin' : 'a single file'}`);
  }
  if ((opts.stdin || opts.file) && opts.mode === 'logs') {
    throw new ModeError(
      `--mode logs fetches a workflow run's logs, not ${opts.stdin ? 'stdin' : 'a single file'} (\`jit-gpg scan -\` scans a log piped in)`,
    );
  }
  if (opts.stdin) return { kind: 'stdin', stream: opts.stdin };
  if (opts.file) {
    const abs = resolve(opts.root, opts.file);
    const st = statSync(abs);
    if (!st.isFile()) return { kind: 'named', absPath: abs, name: opts.file };
    const size = st.size;
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
      // auto: pull_request → the PR's commits, push → the pushed commits (a new branch: those
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
    case 'logs':
      return { kind: 'logs' };
    default:
      throw new ModeError(`unknown mode "${String(opts.mode)}"; expected one of ${SCAN_MODES.join(', ')}`);
  }
}

export async function runScanJob(opts: ScanJobOptions): Promise<ScanJob> {
  await prepareRegexEngine();
  const plan = selectSource(opts);
  if (plan.kind === 'worktree' && (opts.base || opts.head) && opts.mode !== 'diff') {
    opts.onWarning(`base/head are only used by mode diff; mode ${opts.mode} scans the work tree and ignores them`);
  }
  const source = await configSource(opts);
  const { policy: ownPolicy, path: configFile } = await loadConfig({
    path: opts.configPath,
    cwd: opts.cwd,
    searchDirs: opts.configSearch,
    source,
  });
  // Migration: an existing .gitleaks.toml at the root adds its custom rules and allowlists;
  // what it cannot honour is a warning naming the field. Errors in it are config errors (exit 2).
  let policy = ownPolicy;
  let gitleaks: GitleaksImport | undefined;
  gitleaks = opts.stdin ? undefined : await loadGitleaksConfig(opts.root, source);
  if (gitleaks) {
    policy = mergeGitleaks(policy, gitleaks);
    for (const w of gitleaks.warnings) opts.onWarning(w);
    const s = gitleaks.summary;
    opts.onNotice?.(
      `.gitleaks.toml: ${s.rules} custom rules, ${s.allowPaths} allowed paths, ${s.allowRegexes} allow regexes, ${s.stopwords} stopwords, ${s.commits} allowed commits`,
    );
  }
  if (opts.maxFileSize !== undefined) policy.maxFileSize = opts.maxFileSize;
  // The config file's own rule examples are fake secrets by definition: don't report the file that defines them.
  // (Unless a pull request changes it: then it is content like any other.)
  if (configFile && !source.files.some((f) => f.changed && resolve(opts.cwd, f.name) === configFile)) {
    const rel = relative(opts.root, configFile);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) policy.ignorePaths.push(rel.split(sep).join('/'));
  }
  const baseline = opts.baselinePath
    ? await loadBaseline(resolve(opts.cwd, opts.baselinePath), {
        source,
        asGiven: isAbsolute(opts.baselinePath),
        name: opts.baselinePath,
      })
    : undefined;
  // Markers on the lines a pull request adds were written by its author: they are reported, not honoured.
  if (source.base !== undefined && plan.kind === 'git') policy.inlineAllow = 'report';
  const revoke = opts.revoke === 'github';
  let client: GitHubClient | undefined;
  let authenticated = false;
  if (plan.kind === 'logs' || revoke) {
    if (!opts.github?.apiUrl) throw new ModeError('the GitHub API URL is not set (GITHUB_API_URL)');
    const github = await import('../shared/github.ts');
    client = github.createGitHubClient({ ...opts.github, ...(opts.onNotice ? { onNotice: opts.onNotice } : {}) });
    authenticated = !github.isGitHubCloud(client.apiUrl);
  }
  const revocations = revoke ? await import('./revoke.ts') : undefined;
  // Only these rules' validated secrets leave the engine, and only to be revoked.
  if (revocations) policy.retainSecrets = [...revocations.REVOCABLE_RULE_IDS];

  let raw: ScanResult;
  let logs: LogsSource | undefined;
  let git: GitScanResult['git'] | undefined;
  let gitSource: string | undefined;
  if (plan.kind === 'git') {
    ({ result: raw, git, source: gitSource } = await runGitPlan(plan.plan, opts, policy, configFile));
  } else if (plan.kind === 'logs') {
    logs = await openLogs(opts, client!);
    // A log is scanned whole (its download is bounded instead). The runner's `***` masks need nothing here: a
    // candidate containing `***` is a placeholder to the engine's filters (filters.ts).
    policy.maxFileSize = Number.MAX_SAFE_INTEGER;
    raw = await scan({
      root: opts.root,
      policy,
      threads: opts.threads,
      onWarning: opts.onWarning,
      onProgress: opts.onProgress,
      items: logs.items(),
    });
    raw.stats.failed += logs.failed;
    const fetched = logs;
    // Each place names its job and step: the finding and every other place of the same secret (`locations`).
    const located = <T extends { file: string; line: number }>(place: T): T => {
      const at = fetched.locate(place);
      return at ? { ...place, log: at } : place;
    };
    raw.findings = raw.findings.map((f) => {
      const out = located(f);
      return f.locations ? { ...out, locations: f.locations.map(located) } : out;
    });
  } else {
    raw = await scan({
      root: opts.root,
      policy,
      threads: opts.threads,
      onWarning: opts.onWarning,
      onProgress: opts.onProgress,
      ...(plan.kind === 'stdin' ? { stdin: plan.stream } : {}),
      ...(plan.kind === 'named' ? { stdin: await openNamedInput(plan.absPath, plan.name), stdinName: plan.name } : {}),
      ...(plan.kind === 'items' ? { items: plan.items() } : {}),
    });
  }
  if (gitleaks) raw.findings = gitleaks.filterFindings(raw.findings); // paths/commits allowlists
  const markerSuppressed = raw.findings.filter((f) => f.inlineAllowed);
  const outcome = applyBaseline(
    raw.findings.filter((f) => !f.inlineAllowed),
    baseline,
  );
  const { secrets, ...kept } = raw;
  const result: ScanResult = {
    ...kept,
    findings: outcome.findings,
    staleBaseline: outcome.stale.map((s) => s.fingerprint),
  };
  let revocation: ScanJob['revocation'];
  if (revocations) {
    const r = await revocations.revokeFindings(result.findings, secrets, {
      client: client!,
      authenticated,
      ...(opts.onNotice ? { onNotice: opts.onNotice } : {}),
    });
    const { findings, ...rest } = r;
    result.findings = findings;
    revocation = rest;
  }
  const sourceWords =
    gitSource ??
    (plan.kind === 'named'
      ? `${plan.name} (read like stdin)`
      : plan.kind === 'stdin'
        ? 'stdin'
        : plan.kind === 'items'
          ? plan.describe
          : plan.kind === 'logs'
            ? logs!.describe
            : `work tree ${opts.root}`);
  const job: ScanJob = {
    result,
    accepted: outcome.accepted,
    stale: outcome.stale,
    policy,
    source: sourceWords,
    config: source,
    markerSuppressed,
  };
  if (git) job.git = git;
  if (logs) job.logs = { jobs: logs.jobs, skipped: logs.skipped, failed: logs.failed };
  if (revocation) job.revocation = revocation;
  if (configFile) job.configFile = configFile;
  if (baseline) job.baseline = baseline;
  return job;
}

/** Lists the run's jobs; a run that cannot be named is a ModeError (CLI exit 2; the action names `mode`). */
async function openLogs(opts: ScanJobOptions, client: GitHubClient): Promise<LogsSource> {
  const where = opts.logs;
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(where?.repo ?? '');
  if (!where || !m) {
    throw new ModeError('mode logs needs the repository as OWNER/REPO (--repo, or GITHUB_REPOSITORY on a runner)');
  }
  if (!Number.isSafeInteger(where.runId) || where.runId < 1) {
    throw new ModeError('mode logs needs the run id, a positive integer (--run-id, input `run-id`, or GITHUB_RUN_ID)');
  }
  const { openLogsSource } = await import('./sources/logs.ts');
  return openLogsSource({
    client,
    owner: m[1]!,
    repo: m[2]!,
    runId: where.runId,
    serverUrl: where.serverUrl,
    ...(opts.onNotice ? { onNotice: opts.onNotice } : {}),
    onWarning: opts.onWarning,
  });
}

/** The base commit's files on pull-request events (config-from: base), else the file system. */
async function configSource(opts: ScanJobOptions): Promise<ConfigSource> {
  if (opts.configFrom !== 'base') return worktreeSource(opts.cwd);
  let base: string | undefined;
  try {
    base = trustedBaseSha(readEvent(opts.env));
  } catch (e) {
    throw new ConfigError((e as Error).message, '');
  }
  if (base === undefined) return worktreeSource(opts.cwd);
  try {
    return await baseSource({ root: opts.root, cwd: opts.cwd, base, onNotice: opts.onNotice });
  } catch (e) {
    if (e instanceof ConfigSourceError) throw new ConfigError(e.message, '');
    throw e;
  }
}

/**
 * Runs a git plan: nothing (an empty range: a clean no-op with a notice), or the diff/history
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
      failed: 0,
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
