// `uses: org/jit-gpg/scan@v1`: read inputs, scan (the same runScanJob as the CLI), write SARIF + JSON, annotate each
// finding at its file and line, write the job summary, set outputs, and fail per `fail-on`. The secret never reaches
// this module: findings carry a preview and a fingerprint only, and every writer re-checks that.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { printable } from '../shared/escape.ts';
import { readRegularFile } from '../shared/read-file.ts';
import { VERSION } from '../shared/version.ts';
import { FAIL_ON, failing, REVOKE, runScanJob, SCAN_MODES, type ScanJob } from '../scan/job.ts';
import { isCleanForCache, policyHash } from '../scan/cache.ts';
import { DEFAULT_CONFIG_NAME, MAX_CONFIG_BYTES } from '../scan/config.ts';
import { findGitleaksConfig } from '../scan/gitleaks.ts';
import { isPullRequestEvent } from '../scan/sources/event.ts';
import { renderJson } from '../scan/report/json.ts';
import { renderMarkdown } from '../scan/report/markdown.ts';
import { redactFindings } from '../scan/report/redact.ts';
import { renderSarif } from '../scan/report/sarif.ts';
import { formatBytes, plural } from '../scan/report/text.ts';
import type { ScanPolicy } from '../scan/policy.ts';
import { type FailOn, type Finding, incompleteItems, policySkips, type ScanMode } from '../scan/types.ts';
import { InputError, type InputSource, inputs } from './inputs.ts';
import { restoreScanCache, type ScanCacheContext, saveScanCache } from './scan-cache.ts';

export const ACTION = 'jit-gpg scan';

// Every plain log line goes through printable (escape.ts): paths, notices and warnings carry untrusted text, and
// only the project's own workflow commands may reach the runner. core.warning/error/notice and groups escape their
// data and properties themselves (@actions/core 3), so those are passed as they are.
function info(line: string): void {
  core.info(printable(line));
}
const MAX_WARNING_ANNOTATIONS = 10;

export interface ScanInputs {
  path: string;
  mode: ScanMode;
  base?: string;
  head?: string;
  config?: string;
  baseline?: string;
  failOn: FailOn;
  sarif?: string;
  annotations: boolean;
  cache: boolean;
  /** mode logs: the run to scan (default: this run). */
  runId?: number;
  token?: string;
  revoke: 'none' | 'github';
  configFrom: 'base' | 'head';
}

export function readScanInputs(source?: InputSource): ScanInputs {
  const i = inputs(ACTION, source);
  const out: ScanInputs = {
    path: i.string('path', { fallback: '.' }),
    mode: i.oneOf('mode', SCAN_MODES, 'auto'),
    failOn: i.oneOf('fail-on', FAIL_ON, 'any'),
    annotations: i.boolean('annotations', true),
    cache: i.boolean('cache', true),
    revoke: i.oneOf('revoke', REVOKE, 'none'),
    configFrom: i.oneOf('config-from', ['base', 'head'] as const, 'base'),
  };
  const runId = i.optional('run-id');
  if (runId !== undefined) {
    if (!/^\d{1,15}$/.test(runId) || Number(runId) < 1) {
      throw i.error('run-id', 'must be a workflow run id (a positive integer); remove it to scan this run');
    }
    out.runId = Number(runId);
  }
  const token = i.optional('token');
  if (token !== undefined) out.token = token;
  for (const [key, name] of [
    ['base', 'base'],
    ['head', 'head'],
    ['config', 'config'],
    ['baseline', 'baseline'],
    ['sarif', 'sarif'],
  ] as const) {
    const v = i.optional(name);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** `sub/dir` for a scan root inside the workspace; '' for the workspace itself; undefined when outside. */
function workspacePrefix(workspace: string, root: string): string | undefined {
  const rel = relative(workspace, root);
  if (rel === '') return '';
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

function withPrefix(prefix: string | undefined, f: Finding): Finding {
  return prefix ? { ...f, file: `${prefix}/${f.file}` } : f;
}

function failMessage(job: ScanJob, fails: Finding[], failOn: FailOn): string {
  const n = job.result.findings.length;
  if (job.logs) {
    return (
      `${ACTION}: ${plural(n, 'secret')} found in the run's logs. Rotate each one first (treat it as leaked: ` +
      'anyone who can read the run can read its logs), then stop the step from printing it and delete the logs ' +
      "(the run's menu: Delete all logs). The annotations and the job summary link to each job, step and line."
    );
  }
  const what =
    failOn === 'validated'
      ? `${plural(fails.length, 'validated secret')} found (${n} finding${n === 1 ? '' : 's'} in all)`
      : `${plural(n, 'secret')} found${fails.some((f) => f.validated) ? ` (${fails.filter((f) => f.validated).length} validated)` : ''}`;
  return (
    `${ACTION}: ${what}. Rotate each one first (treat it as leaked: it is in the git history), then remove it ` +
    'from the code. For a false positive, add an inline `jit-gpg:allow` comment or an [allow] entry in ' +
    `${DEFAULT_CONFIG_NAME}, or accept the current findings by passing this run's JSON report (output \`report\`) ` +
    'as input `baseline`. The annotations and the job summary show each file and line.'
  );
}

export async function run(): Promise<void> {
  try {
    await main(process.env);
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    core.setFailed(message.startsWith(`${ACTION}:`) ? message : `${ACTION}: ${message}`);
    if (!(e instanceof InputError) && process.env.RUNNER_DEBUG === '1') core.debug((e as Error).stack ?? '');
  }
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const i = inputs(ACTION);
  const opts = readScanInputs();
  if (opts.token) core.setSecret(opts.token);
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const runnerTemp = env.RUNNER_TEMP || tmpdir();

  const target = resolve(workspace, opts.path);
  if (!existsSync(target)) {
    throw i.error(
      'path',
      `points to ${target}, which does not exist; use a path relative to the workspace (default ".")`,
    );
  }
  const isDir = statSync(target).isDirectory();
  const root = isDir ? target : dirname(target);
  const file = isDir ? undefined : basename(target);
  const sarifPath = opts.sarif ? resolve(workspace, opts.sarif) : join(runnerTemp, 'jit-gpg.sarif');
  const reportPath = join(runnerTemp, 'jit-gpg-report.json');
  if (existsSync(sarifPath) && statSync(sarifPath).isDirectory()) {
    throw i.error('sarif', `points to the directory ${sarifPath}; give a file path such as results/jit-gpg.sarif`);
  }
  const logsMode = opts.mode === 'logs';
  const prefix = workspacePrefix(workspace, root);
  if (prefix === undefined && !logsMode) {
    core.warning(
      `${ACTION}: path ${root} is outside the workspace (${workspace}); annotation and SARIF paths are relative to it`,
    );
  }

  await core.group('Settings', async () => {
    info(`path: ${target}${file ? ' (a single file)' : ''}`);
    info(`mode: ${opts.mode}${opts.mode === 'auto' ? ' (from the event)' : ''}`);
    if (opts.base || opts.head) info(`base: ${opts.base ?? '-'}  head: ${opts.head ?? '-'}`);
    info(`config: ${opts.config ?? `${DEFAULT_CONFIG_NAME} if present`}`);
    info(`baseline: ${opts.baseline ?? 'none'}`);
    info(`fail-on: ${opts.failOn}  annotations: ${opts.annotations}  cache: ${opts.cache}`);
    if (logsMode) info(`run: ${opts.runId ?? `${env.GITHUB_RUN_ID ?? '-'} (this run)`}`);
    info(`revoke: ${opts.revoke}`);
    info(`config-from: ${opts.configFrom}`);
  });

  const warnings: string[] = [];
  const notes: string[] = [];
  // A pull request's own workflows can write its cache scope: a state restored there could skip the PR's commits.
  const event = env.GITHUB_EVENT_NAME;
  const useCache = opts.cache && !isPullRequestEvent(event);
  if (!opts.cache) notes.push('Cache: not used (input `cache` is false).');
  else if (!useCache) {
    const note = `Cache: not used on ${event} events (a pull request's own workflows can write that cache scope); every commit in range was scanned.`;
    info(note);
    notes.push(note);
  }
  // Incremental cache for git modes (scan-cache.ts; trust model in src/scan/cache.ts).
  let cacheCtx: ScanCacheContext | undefined;
  let restored: Set<string> | undefined;
  const restoreGitCache = async (mode: 'diff' | 'history', policy: ScanPolicy, configFile: string | undefined) => {
    const digest = (file: string | undefined) =>
      file
        ? createHash('sha256')
            .update(readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES, what: 'config file' }))
            .digest('hex')
        : '';
    // .gitleaks.toml allowlists apply after the scan, outside the policy: they must change the key too.
    const config = digest(configFile);
    const gitleaks = digest(findGitleaksConfig(root));
    const unique = [env.GITHUB_SHA || 'local', env.GITHUB_RUN_ID || String(Date.now()), env.GITHUB_RUN_ATTEMPT || '1'];
    cacheCtx = {
      mode,
      policyHash: policyHash(policy, VERSION, { config, gitleaks }),
      scannerVersion: VERSION,
      unique: unique.join('-'),
    };
    const r = await restoreScanCache(cacheCtx);
    info(r.message);
    restored = r.commits;
    return r.commits;
  };
  const job = await core.group(`Scan ${prefix === '' ? 'the workspace' : (prefix ?? root)}`, async () => {
    let j: ScanJob;
    try {
      j = await runScanJob({
        root,
        file,
        mode: opts.mode,
        base: opts.base,
        head: opts.head,
        configPath: opts.config,
        configSearch: [...new Set([root, workspace])],
        cwd: workspace,
        baselinePath: opts.baseline,
        configFrom: opts.configFrom,
        env,
        revoke: opts.revoke,
        ...(logsMode
          ? {
              logs: {
                repo: env.GITHUB_REPOSITORY ?? '',
                runId: opts.runId ?? Number(env.GITHUB_RUN_ID ?? ''),
                serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
              },
            }
          : {}),
        github: {
          apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
          ...(opts.token ? { token: opts.token } : {}),
        },
        onNotice: (m) => info(m),
        ...(useCache ? { restoreGitCache } : {}),
        onWarning: (m) => {
          warnings.push(m);
          if (warnings.length <= MAX_WARNING_ANNOTATIONS) core.warning(printable(m));
          else info(`warning: ${m}`);
        },
      });
    } catch (e) {
      const err = e as Error;
      const about = (input: string) => new InputError(`${ACTION}: input \`${input}\`: ${err.message}`, input);
      if (err.name === 'ModeError') throw about('mode');
      if (err.name === 'BaselineError') throw about('baseline');
      if (err.name === 'ConfigError' && opts.config && /config file not found|is a directory/.test(err.message)) {
        throw about('config');
      }
      throw e;
    }
    const s = j.result.stats;
    info(`config: ${j.configFile ? relative(workspace, j.configFile) || j.configFile : 'built-in defaults'}`);
    info(`${plural(j.policy.rules.length, 'rule')}; engine ${s.engine}`);
    info(`${plural(s.files, 'file')} (${formatBytes(s.bytes)}) scanned in ${s.durationMs} ms`);
    const skips = policySkips(s);
    if (skips.length) info(`skipped by policy: ${skips.join(', ')}`);
    if (incompleteItems(s) > 0) {
      info(`could not be scanned: ${plural(incompleteItems(s), 'item')} (see the warnings)`);
    }
    if (j.baseline) {
      info(
        `baseline: ${plural(j.accepted.length, 'finding')} accepted, ${plural(j.stale.length, 'stale entry', 'stale entries')}`,
      );
    }
    return j;
  });

  // Which config decided the scan; a pull request's edits to it are named (they were not used).
  const configNames = job.config.files.map((f) => `${f.name} (${f.origin})`);
  notes.unshift(
    `Config: read from the ${job.config.describe}: ${configNames.length ? configNames.join(', ') : 'no config files, built-in defaults'}.`,
  );
  for (const f of job.config.files.filter((c) => c.changed && job.config.base)) {
    core.notice(
      `${ACTION}: this pull request changes ${f.name}; the scan used the base commit's version instead ` +
        `(${f.origin}). The change takes effect once it is merged.`,
      { title: 'Scan config changed by this pull request', file: f.name },
    );
  }
  const markerFindings = redactFindings(job.markerSuppressed).map((f) => withPrefix(prefix, f));
  for (const f of markerFindings) {
    const message = `suppressed by a marker added in this pull request: review it (${f.title}: ${f.preview} [${f.ruleId}])`;
    core.warning(message, { title: 'Inline allow marker added', file: f.file, startLine: f.line, endLine: f.endLine });
    notes.push(`${f.file}:${f.line}: ${message}`);
  }

  if (job.logs) {
    notes.push(`Logs: ${plural(job.logs.jobs, 'completed job')} of the run scanned.`);
    for (const s of job.logs.skipped) notes.push(`Job "${s.job}" not scanned: ${s.why}.`);
  }

  // Every writer below (annotations, log, reports, summary) sees only redacted findings.
  const filePrefix = logsMode ? '' : prefix;
  const findings = redactFindings(job.result.findings).map((f) => withPrefix(filePrefix, f));
  const accepted = redactFindings(job.accepted).map((f) => withPrefix(filePrefix, f));
  const fails = failing(findings, opts.failOn);
  const input = {
    findings,
    baselined: accepted,
    staleBaseline: job.stale,
    stats: job.result.stats,
    warnings: job.result.warnings,
    toolVersion: VERSION,
  };

  await core.group('Reports', async () => {
    await mkdir(dirname(sarifPath), { recursive: true });
    await writeFile(
      sarifPath,
      renderSarif({
        ...input,
        rules: job.policy.rules,
        root: prefix === undefined ? root : workspace,
        executionSuccessful: incompleteItems(job.result.stats) === 0,
      }),
    );
    info(`SARIF: ${sarifPath}`);
    await mkdir(dirname(reportPath), { recursive: true });
    await writeFile(reportPath, renderJson(input));
    info(`JSON report: ${reportPath}`);
    try {
      await core.summary
        .addRaw(
          renderMarkdown({
            ...input,
            notes,
            failing: fails.length,
            reportPaths: { sarif: sarifPath, json: reportPath },
          }),
        )
        .write();
      info('job summary written');
    } catch (e) {
      core.warning(`${ACTION}: could not write the job summary (${(e as Error).message})`);
    }
  });

  await core.group(`Findings (${findings.length})`, async () => {
    for (const f of findings) {
      const message = `${f.title}: ${f.preview}${f.validated ? ' (validated)' : ''} [${f.ruleId}]`;
      if (f.log) {
        // A log line has no file in the repository: the annotation names the job, the step and the line.
        // Job and step names come from the workflow file (a pull request's own, on pull_request): printable.
        const step = f.log.step !== undefined ? `, step "${printable(f.log.step)}"` : '';
        const where = `job "${printable(f.log.job)}"${step}, line ${f.line}`;
        const revoked = f.revocation ? `; revocation: ${f.revocation.answer}` : '';
        const more = f.locations?.length ? ` (and ${plural(f.locations.length, 'other place')}: see the report)` : '';
        const text = `${message} in ${where}${more}${revoked}: ${f.log.url}`;
        if (opts.annotations) core.error(printable(text), { title: f.title });
        else info(text);
        continue;
      }
      if (opts.annotations) {
        core.error(message, {
          title: f.title,
          file: f.file,
          startLine: f.line,
          startColumn: f.column,
          endLine: f.endLine,
        });
      } else {
        info(`${f.file}:${f.line}:${f.column}: ${message}`);
      }
    }
    if (findings.length === 0) info('no secrets found');
  });

  // Save the cache only after a clean scan: no findings (none accepted by a baseline either)
  // and no missing objects. It records commit ids, never findings or content.
  if (
    cacheCtx &&
    job.git &&
    findings.length === 0 &&
    accepted.length === 0 &&
    isCleanForCache(job.result, { stats: job.git.stats })
  ) {
    const ctx = cacheCtx;
    const commits = job.git.commits;
    await core.group('Cache', async () => info((await saveScanCache(ctx, commits, restored)).message));
  }

  core.setOutput('findings', String(findings.length));
  core.setOutput('sarif', sarifPath);
  core.setOutput('report', reportPath);

  if (job.revocation?.failure) core.setFailed(`${ACTION}: ${job.revocation.failure}`);
  if (fails.length > 0) {
    core.setFailed(failMessage(job, fails, opts.failOn));
  } else if (incompleteItems(job.result.stats) > 0) {
    // Never a silent pass: what could not be scanned might hold a secret.
    core.setFailed(
      `${ACTION}: scan incomplete: ${plural(incompleteItems(job.result.stats), 'item')} could not be scanned (see the warnings); fix what they name or re-run the job`,
    );
  } else if (findings.length > 0) {
    core.notice(
      `${ACTION}: ${plural(findings.length, 'finding')}, none failing with fail-on: ${opts.failOn}; see the job summary`,
    );
  }
}
