// A runner harness that runs bundled actions (dist/*.js) the way GitHub's runner does, under Node 24:
// a fresh workspace and RUNNER_TEMP, every declared input as INPUT_<NAME> (defaults from action.yml, "" when
// unset), the file commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_STEP_SUMMARY), state handed to
// post as STATE_*, post run even when main failed, the OIDC token variables, and every printed byte recorded
// (stdout and stderr through one descriptor, so order is kept) then masked as the runner masks it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { nodeBinary } from '../../scripts/node24.mjs';
import {
  type Annotation,
  findLeaks,
  parseFileCommand,
  parseLegacyCommand,
  parseWorkflowCommand,
  runnerLines,
  SecretMasker,
  toAnnotation,
} from './harness/protocol.ts';

export {
  type Annotation,
  findLeaks,
  foreignCommands,
  parseFileCommand,
  parseLegacyCommand,
  parseWorkflowCommand,
  runnerLines,
  SecretMasker,
} from './harness/protocol.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const ACTIONS = {
  scan: { metadata: join(repoRoot, 'scan', 'action.yml'), main: join(repoRoot, 'dist', 'scan', 'main.js') },
  sign: {
    metadata: join(repoRoot, 'action.yml'),
    main: join(repoRoot, 'dist', 'sign', 'main.js'),
    post: join(repoRoot, 'dist', 'sign', 'post.js'),
  },
} as const;

/** The runner's name for an input's variable: uppercase, spaces to `_`, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** The job's `github.token` as the harness's runner hands it out (the runner masks it in the log). */
export const HARNESS_GITHUB_TOKEN = 'ghs_harnessJobToken0000000000000000000000';

/** The runner evaluates `${{ ... }}` in input defaults; the harness knows the one expression action.yml uses. */
function evaluateDefault(value: string): string {
  return value.replace(/\$\{\{\s*github\.token\s*\}\}/g, HARNESS_GITHUB_TOKEN);
}

/** Declared inputs and their defaults, read from an action.yml. */
export function readInputDefaults(metadataPath: string): Record<string, string> {
  const meta = parseYaml(readFileSync(metadataPath, 'utf8')) as { inputs?: Record<string, { default?: unknown }> };
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    out[name] = spec?.default === undefined || spec.default === null ? '' : evaluateDefault(String(spec.default));
  }
  return out;
}

export interface Job {
  /** Root of this job's directories; removed by `cleanup()`. */
  dir: string;
  workspace: string;
  runnerTemp: string;
  home: string;
  cleanup(): void;
}

/** A fresh job: workspace, RUNNER_TEMP and HOME (so no test touches the developer's ~/.gnupg or git config). */
export function createJob(prefix = 'jit-gpg-job-'): Job {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const job = {
    dir,
    workspace: join(dir, 'workspace'),
    runnerTemp: join(dir, 'runner-temp'),
    home: join(dir, 'home'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const d of [job.workspace, job.runnerTemp, job.home]) mkdirSync(d, { recursive: true, mode: 0o700 });
  return job;
}

export interface StepOptions {
  job: Job;
  /** The action.yml whose declared inputs (and defaults) the runner fills in. */
  metadata: string;
  script: string;
  inputs?: Record<string, string>;
  /** State from an earlier step (main → post), handed over as STATE_*. */
  state?: Record<string, string>;
  env?: Record<string, string | undefined>;
  event?: { name: string; payload: unknown };
  oidc?: { requestUrl: string; requestToken: string };
  /** Known secrets that must never appear in the masked log, outputs or summary. */
  secrets?: string[];
  timeoutMs?: number;
  /** Polled while the step runs; returning a signal sends it (e.g. SIGKILL once main saved some state). */
  interrupt?: (progress: { log: string; state: Record<string, string> }) => NodeJS.Signals | undefined;
  stepName?: string;
}

export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Every byte the step printed, before masking (for debugging only: never print it in CI logs). */
  raw: string;
  /** What the runner would display: plain lines and annotation messages, masked; workflow commands consumed. */
  log: string;
  outputs: Record<string, string>;
  env: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  groups: string[];
  masks: string[];
  /** Known secrets (or lines of them) that survived into the log, outputs or summary. */
  leaks: string[];
  timedOut: boolean;
}

const baseEnvKeys = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT', 'TMPDIR'];

/** Runs one step (main or post) of an action as the runner does. */
export async function runStep(opts: StepOptions): Promise<StepResult> {
  const { job } = opts;
  const stepDir = mkdtempSync(join(job.runnerTemp, '_runner_file_commands-'));
  const files = {
    output: join(stepDir, 'output'),
    env: join(stepDir, 'env'),
    state: join(stepDir, 'state'),
    summary: join(stepDir, 'step_summary'),
    path: join(stepDir, 'path'),
    log: join(stepDir, 'log'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');

  const env: Record<string, string> = {};
  for (const k of baseEnvKeys) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  const eventPath = join(stepDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(opts.event?.payload ?? {}));
  Object.assign(env, {
    CI: 'true',
    HOME: job.home,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: job.workspace,
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: opts.event?.name ?? 'workflow_dispatch',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_RUN_ID: '1234567890',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_WORKFLOW: 'release',
    GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
    GITHUB_JOB: 'release',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTION: opts.stepName ?? 'jit-gpg',
    GITHUB_ACTION_PATH: dirname(opts.metadata),
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_PATH: files.path,
    RUNNER_TEMP: job.runnerTemp,
    RUNNER_TOOL_CACHE: join(job.dir, 'tool-cache'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'jit-gpg-harness',
  });
  if (opts.oidc) {
    env.ACTIONS_ID_TOKEN_REQUEST_URL = opts.oidc.requestUrl;
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = opts.oidc.requestToken;
  }
  const declared = readInputDefaults(opts.metadata);
  for (const name of Object.keys(opts.inputs ?? {})) {
    if (!(name in declared)) throw new Error(`harness: input "${name}" is not declared in ${opts.metadata}`);
  }
  for (const [name, def] of Object.entries(declared)) env[inputEnvName(name)] = opts.inputs?.[name] ?? def;
  for (const [k, v] of Object.entries(opts.state ?? {})) env[`STATE_${k}`] = v;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }

  // One descriptor for stdout and stderr keeps the order of everything printed, as the runner's log does.
  const fd = openSync(files.log, 'w');
  const child = spawn(nodeBinary(), [opts.script], {
    cwd: job.workspace,
    env,
    stdio: ['ignore', fd, fd],
    detached: process.platform !== 'win32',
  });
  closeSync(fd);
  let timedOut = false;
  const timeout = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 120_000);
  const poll = opts.interrupt
    ? setInterval(() => {
        const signal = opts.interrupt!({ log: readFileSync(files.log, 'utf8'), state: readState(files.state) });
        if (signal && child.exitCode === null) child.kill(signal);
      }, 25)
    : undefined;
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) =>
    child.on('exit', (code, sig) => res([code, sig])),
  );
  clearTimeout(timeout);
  if (poll) clearInterval(poll);

  const raw = readFileSync(files.log, 'utf8');
  const masker = new SecretMasker();
  const display: string[] = [];
  const annotations: Annotation[] = [];
  const groups: string[] = [];
  let stopToken: string | undefined;
  for (const line of runnerLines(raw)) {
    if (stopToken !== undefined) {
      if (parseWorkflowCommand(line, [stopToken])?.command === stopToken) stopToken = undefined;
      else display.push(masker.mask(line));
      continue;
    }
    const legacy = parseLegacyCommand(line);
    if (legacy === 'add-mask') masker.add(line.slice(line.indexOf(']', line.indexOf('##[')) + 1));
    const cmd = parseWorkflowCommand(line);
    if (!cmd) {
      display.push(masker.mask(line));
      continue;
    }
    switch (cmd.command) {
      case 'add-mask':
        masker.add(cmd.message);
        break;
      case 'group':
        groups.push(cmd.message);
        display.push(masker.mask(`▶ ${cmd.message}`));
        break;
      case 'endgroup':
        break;
      case 'stop-commands':
        stopToken = cmd.message;
        break;
      case 'debug':
        break; // hidden unless step debug logging is on
      default: {
        const a = toAnnotation(cmd);
        if (a) {
          annotations.push({ ...a, message: masker.mask(a.message) });
          display.push(masker.mask(`${a.level}: ${a.message}`));
        } else display.push(masker.mask(line));
      }
    }
  }
  const log = display.join('\n');
  const outputs = parseFileCommand(readFileSync(files.output, 'utf8'));
  const summary = readFileSync(files.summary, 'utf8');
  const secrets = opts.secrets ?? [];
  const leaks = [
    ...findLeaks(log, secrets),
    ...findLeaks(Object.values(outputs).join('\n'), secrets),
    ...findLeaks(summary, secrets),
  ];
  return {
    exitCode,
    signal,
    raw,
    log,
    outputs,
    env: parseFileCommand(readFileSync(files.env, 'utf8')),
    state: readState(files.state),
    summary,
    annotations,
    groups,
    masks: masker.values,
    leaks: [...new Set(leaks)],
    timedOut,
  };
}

function readState(path: string): Record<string, string> {
  try {
    return existsSync(path) ? parseFileCommand(readFileSync(path, 'utf8')) : {};
  } catch {
    return {}; // a half-written state file while the step is still running
  }
}

export interface ActionRun {
  main: StepResult;
  post?: StepResult;
}

/** Runs main and then, as the runner does with `post-if: always()`, post with main's state, whatever main did. */
export async function runAction(
  opts: Omit<StepOptions, 'script' | 'metadata' | 'state'> & { action: 'scan' | 'sign'; postTimeoutMs?: number },
): Promise<ActionRun> {
  const action = ACTIONS[opts.action];
  const main = await runStep({ ...opts, metadata: action.metadata, script: action.main, stepName: `${opts.action}` });
  if (!('post' in action)) return { main };
  const post = await runStep({
    ...opts,
    interrupt: undefined,
    metadata: action.metadata,
    script: action.post,
    state: main.state,
    timeoutMs: opts.postTimeoutMs ?? opts.timeoutMs,
    stepName: `post-${opts.action}`,
  });
  return { main, post };
}

/**
 * Records every module file a step loads: `env` (NODE_OPTIONS preloading a recorder) goes into the step's env;
 * `loaded()` lists the file URLs since the last `reset()`. `holding(marker)`: whether any loaded file of dist/
 * holds that text (esbuild heads each bundled module with its path, e.g. `// src/scan/engine.ts`).
 */
export function moduleRecorder(dir: string): {
  env: Record<string, string>;
  reset(): void;
  loaded(): string[];
  holding(marker: string): boolean;
} {
  const record = join(dir, 'loaded-modules.txt');
  const recorder = join(dir, 'module-recorder.mjs');
  writeFileSync(
    recorder,
    [
      "import { registerHooks } from 'node:module';",
      "import { appendFileSync } from 'node:fs';",
      `registerHooks({ load(url, context, next) { if (url.startsWith('file:')) appendFileSync(${JSON.stringify(record)}, url + '\\n'); return next(url, context); } });`,
    ].join('\n'),
  );
  const loaded = () => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []);
  return {
    env: { NODE_OPTIONS: `--import ${pathToFileURL(recorder).href}` },
    reset: () => rmSync(record, { force: true }),
    loaded,
    holding: (marker) =>
      loaded().some((u) => u.includes('/dist/') && readFileSync(fileURLToPath(u), 'latin1').includes(marker)),
  };
}
