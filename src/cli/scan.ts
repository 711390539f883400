// `jit-gpg scan [PATH|-]`: the scanner outside Actions. Exit 0 clean, 1 findings (per --fail-on), 2 usage or config
// error. Reports go to stdout (or --output); warnings and the one-line summary to stderr.
//
// The scan itself (config → policy → source → engine → baseline) is `runScanJob` in src/scan/job.ts.
//
// The scanner (src/scan/job.ts and all it imports) is loaded only once the arguments are checked, and a directory
// scan on more than one thread first starts its scan workers (src/scan/worker-thread.ts), which boot on the other
// cores while this thread loads the scanner, the config and the first of the listing.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ScanJob } from '../scan/job.ts';
import { shippedAddonPresent } from '../scan/regex/native.ts';
import { renderJson } from '../scan/report/json.ts';
import { redactFindings } from '../scan/report/redact.ts';
import { renderSarif } from '../scan/report/sarif.ts';
import { plural, renderText } from '../scan/report/text.ts';
import { FAIL_ON, incompleteItems, REVOKE, SCAN_MODES } from '../scan/types.ts';
import {
  defaultThreads,
  dropPrewarmedWorker,
  isLargeTree,
  POOL_AFTER_MS,
  POOL_MIN_FILES,
  COLLECT_AFTER_ITEMS,
  prewarmWorker,
  resolveWorkerScript,
} from '../scan/worker-thread.ts';
import { VERSION } from '../shared/version.ts';
import { oneOf, parseFlags } from './args.ts';
import { type CliIO, EXIT, UsageError, writeLine } from './io.ts';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export const SCAN_USAGE = `Usage: jit-gpg scan [PATH|-] [options]

Scan a directory (default .), a single file, or stdin (-) for hardcoded secrets.

Options:
  --mode MODE          auto (default), worktree, diff (added lines between --base and --head), history, or
                       logs (the completed jobs' logs of workflow run --run-id in --repo; token from GITHUB_TOKEN)
  --base REV           base revision for --mode diff
  --head REV           head revision for --mode diff (default HEAD)
  --config FILE        config file (TOML); default .jit-gpg.toml in PATH or the current directory, if present
  --baseline FILE      a previous JSON report (--format json): its findings are accepted
  --config-from WHERE  base (default: on pull_request, pull_request_target and merge_group events, read the
                       tracked config files and baseline from the event's base commit) or head
  --format FORMAT      text (default), json or sarif
  --output FILE        write the report to FILE instead of stdout
  --fail-on WHEN       any (default), validated (only findings a checksum or structure proves), none
  --max-file-size SIZE skip larger files (bytes, or e.g. "5MiB"; default 10MiB)
  --threads N          scanning threads, this one included (default: available cores, at most 8). Two: this one
                       and a native matching thread, from the ${COLLECT_AFTER_ITEMS}th file. More: workers beside it,
                       started for a tree of ${POOL_MIN_FILES} files or more, or a scan that runs past ${POOL_AFTER_MS} ms
  --repo OWNER/REPO    for --mode logs (default GITHUB_REPOSITORY)
  --run-id N           for --mode logs: the workflow run (default GITHUB_RUN_ID)
  --revoke github      submit validated GitHub tokens found to GitHub's credential-revocation endpoint
                       (irreversible; the owner is notified); GITHUB_API_URL names a GitHub Enterprise Server
  -h, --help           show this help

Suppress a finding with an inline \`jit-gpg:allow\` comment, [allow] in .jit-gpg.toml, or a baseline.
Exit codes: 0 no findings, 1 findings (per --fail-on), 2 usage or configuration error.
`;

/**
 * Whether the last scan this command ran was one whose time start-up dominates: it ran on this thread alone, within
 * the time after which scan() would start workers (a pre-commit hook, stdin, one file, a small diff). The CLI writes
 * its code cache after such a run only (main.ts): a cache holds every function the run that wrote it compiled, and
 * one written after a tree scan, with the walker's and the pool's code in it, made every later one-file scan
 * deserialize that too (~8 ms of each).
 */
let lastScanStartupBound = false;
export const startupBound = (): boolean => lastScanStartupBound;
export const isStartupBound = (stats: { durationMs: number }): boolean => stats.durationMs <= POOL_AFTER_MS;

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
    'config-from': { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
    'max-file-size': { type: 'string' },
    threads: { type: 'string' },
    repo: { type: 'string' },
    'run-id': { type: 'string' },
    revoke: { type: 'string' },
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
  const configFrom = oneOf('scan', 'config-from', values['config-from'], ['base', 'head'] as const) ?? 'base';
  const threads = positiveInt('threads', values.threads);
  const revoke = oneOf('scan', 'revoke', values.revoke, REVOKE) ?? 'none';
  const runId = positiveInt('run-id', values['run-id'] ?? (mode === 'logs' ? io.env.GITHUB_RUN_ID : undefined));
  if (mode !== 'logs' && (values.repo !== undefined || values['run-id'] !== undefined)) {
    throw new UsageError('scan: --repo and --run-id are only used by --mode logs');
  }
  let maxFileSize: number | undefined;
  if (values['max-file-size'] !== undefined) {
    const { parseSize } = await import('../scan/config.ts');
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

  // A work-tree scan that will want the workers (more than one thread, and as many files as make scan() start them
  // at once) gets them started now; a smaller tree never pays for them. Not for git modes (in `auto`, any GitHub
  // event may make it one): how much they scan is the range's, not the tree's.
  const worktree = mode === 'worktree' || (mode === 'auto' && !io.env.GITHUB_EVENT_NAME);
  // Two threads where the native collector will be the second (src/scan/collect-thread.ts): no worker, nothing to count.
  const scanThreads = threads ?? defaultThreads();
  const multi = !useStdin && !file && worktree && scanThreads > 1 && !(scanThreads === 2 && shippedAddonPresent());
  const script = multi && isLargeTree(root) ? resolveWorkerScript() : undefined;
  // One worker fewer than threads: this thread scans beside them (src/scan/index.ts).
  if (script) prewarmWorker(script, scanThreads - 1);
  const { failing, runScanJob } = await import('../scan/job.ts');

  const warn = (m: string) => writeLine(io.stderr, `jit-gpg: warning: ${m}`);
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
      configFrom,
      maxFileSize,
      threads,
      env: io.env,
      revoke,
      ...(mode === 'logs'
        ? {
            logs: {
              repo: values.repo ?? io.env.GITHUB_REPOSITORY ?? '',
              runId: runId ?? 0,
              serverUrl: io.env.GITHUB_SERVER_URL || 'https://github.com',
            },
          }
        : {}),
      github: {
        apiUrl: io.env.GITHUB_API_URL || 'https://api.github.com',
        ...(io.env.GITHUB_TOKEN ? { token: io.env.GITHUB_TOKEN } : {}),
      },
      onWarning: warn,
      onNotice: (m) => writeLine(io.stderr, `jit-gpg: ${m}`),
    });
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'ConfigError' || name === 'BaselineError' || name === 'ModeError') {
      writeLine(io.stderr, `jit-gpg scan: ${(e as Error).message}`);
      return EXIT.usage;
    }
    throw e;
  } finally {
    void dropPrewarmedWorker(); // not adopted: the scan ran inline, or stopped before it scanned
  }

  const { result } = job;
  lastScanStartupBound = isStartupBound(result.stats);
  if (job.config.base) {
    const used = job.config.files.map((f) => `${f.name} (${f.origin})`).join(', ') || 'none, built-in defaults';
    writeLine(io.stderr, `jit-gpg: config read from the ${job.config.describe}: ${used}`);
    for (const f of job.config.files.filter((c) => c.changed)) {
      writeLine(io.stderr, `jit-gpg: notice: this pull request changes ${f.name}; the base commit's version was used`);
    }
  }
  for (const f of redactFindings(job.markerSuppressed)) {
    writeLine(
      io.stderr,
      `jit-gpg: warning: ${f.file}:${f.line}: suppressed by a marker added in this pull request: review it ` +
        `(${f.title}: ${f.preview} [${f.ruleId}])`,
    );
  }
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
        ? renderSarif({
            ...input,
            rules: job.policy.rules,
            root: useStdin ? undefined : root,
            executionSuccessful: incompleteItems(result.stats) === 0,
          })
        : renderText({ ...input, color });
  if (toStdout) {
    io.stdout.write(report);
  } else {
    // Synchronous: the report is the run's last step, and node:fs/promises costs a pre-commit hook ~8 ms to load.
    const out = resolve(io.cwd, values.output!);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, report);
  }

  const fails = failing(result.findings, failOn);
  if (job.revocation?.failure) writeLine(io.stderr, `jit-gpg: ${job.revocation.failure}`);
  else if (job.revocation && job.revocation.candidates > 0) {
    writeLine(io.stderr, `jit-gpg: revocation: ${plural(job.revocation.accepted, 'GitHub token')} accepted by GitHub`);
  }
  if (!toStdout || format !== 'text') {
    const n = result.findings.length;
    const summary =
      n === 0
        ? `no secrets found (${plural(result.stats.files, 'file')} scanned)`
        : `${plural(n, 'secret')} found` +
          (failOn !== 'any' ? ` (${fails.length} count for --fail-on ${failOn})` : '') +
          (job.accepted.length ? `; ${job.accepted.length} accepted by the baseline` : '');
    writeLine(io.stderr, `jit-gpg: ${summary}${toStdout ? '' : `; ${format} report written to ${values.output}`}`);
  } else if (failOn !== 'any' && result.findings.length > 0) {
    writeLine(io.stderr, `jit-gpg: ${fails.length} of ${result.findings.length} count for --fail-on ${failOn}`);
  }
  if (job.revocation?.failure) return EXIT.usage;
  if (fails.length > 0) return EXIT.findings;
  const incomplete = incompleteItems(result.stats);
  if (incomplete > 0) {
    // Never a silent pass: what could not be scanned might hold a secret.
    writeLine(
      io.stderr,
      `jit-gpg: scan incomplete: ${plural(incomplete, 'item')} could not be scanned (see the warnings above)`,
    );
    return EXIT.usage;
  }
  return EXIT.ok;
}
