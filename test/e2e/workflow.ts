// Runs an example workflow file (examples/*.yml) the way the runner would, far enough to prove it: jobs in `needs`
// order, matrix jobs at the same time, each in a fresh job directory (harness.createJob). The project's own steps
// (`org/jit-gpg@v1`, `org/jit-gpg/scan@v1`) run through the runner harness, main then (at job end, in reverse
// order) post; `run:` steps run in bash; third-party steps are replaced by local equivalents:
//   actions/checkout                 git clone of a local origin, the job's commit checked out
//   actions/upload-artifact          copy into an artifact store directory (names unique, as in v4)
//   actions/download-artifact        copy out of it (`pattern`, `merge-multiple`)
//   softprops/action-gh-release      REST calls to the release API stand-in (services/releases.ts)
//   github/codeql-action/upload-sarif  parse the SARIF and keep it
// `${{ … }}` supports the contexts the examples use (matrix, inputs, vars, github, steps.<id>.outputs) and fails on
// anything else, so an example cannot silently use what this runner does not understand. `if:` knows `always()`.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { glob } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { nodeBinary } from '../../scripts/node24.mjs';
import { commonDir } from '../../src/sign/manifest.ts';
import { ACTIONS, createJob, findLeaks, HARNESS_GITHUB_TOKEN, type Job, runStep, type StepResult } from './harness.ts';

export interface WorkflowContext {
  event: { name: string; payload: Record<string, unknown> };
  inputs?: Record<string, string>;
  vars: Record<string, string>;
  /** The `github` context: ref, ref_name, sha, repository, … (also exported as GITHUB_* to steps). */
  github: Record<string, string>;
  /** Bare git repository that actions/checkout clones. */
  origin: string;
  oidc: { requestUrl: string; requestToken: string };
  /** Secrets that must never appear in any step's output (evaluated after each step). */
  secrets: () => string[];
  /** Where uploaded artifacts live, by name. */
  artifacts: string;
  releaseApi?: { url: string };
  /** Called after each job level, before the jobs that need it start. */
  afterLevel?: (jobs: string[]) => void;
}

export interface StepRecord {
  name: string;
  uses?: string;
  outcome: 'success' | 'failure' | 'skipped';
  /** The project's own steps: the harness result (main; post is recorded as its own step). */
  result?: StepResult;
  output: string;
}

export interface JobRun {
  /** `build (linux-x64)` for matrix jobs. */
  name: string;
  id: string;
  matrix: Record<string, string>;
  job: Job;
  steps: StepRecord[];
  ok: boolean;
  startedAt: number;
  endedAt: number;
}

interface StepSpec {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  shell?: string;
  'working-directory'?: string;
  env?: Record<string, string>;
}

interface JobSpec {
  needs?: string | string[];
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps: StepSpec[];
}

interface WorkflowSpec {
  permissions?: Record<string, string>;
  jobs: Record<string, JobSpec>;
}

/** Rows of a `strategy.matrix`: the product of its axes, then its `include` entries. */
export function expandMatrix(matrix: Record<string, unknown> | undefined): Record<string, string>[] {
  if (!matrix) return [{}];
  const { include, exclude, ...axes } = matrix as { include?: Record<string, string>[]; exclude?: unknown };
  if (exclude) throw new Error('workflow runner: matrix exclude is not supported');
  let rows: Record<string, string>[] = Object.keys(axes).length ? [{}] : [];
  for (const [k, values] of Object.entries(axes)) {
    rows = rows.flatMap((r) => (values as unknown[]).map((v) => ({ ...r, [k]: String(v) })));
  }
  return [
    ...rows,
    ...(include ?? []).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))),
  ];
}

/** `${{ expr }}` with the contexts the examples use; anything else throws. */
export function evaluate(text: string, scope: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(expr)) {
      throw new Error(`workflow runner: unsupported expression \${{ ${expr} }}`);
    }
    let v: unknown = scope;
    for (const part of expr.split('.')) {
      if (v === null || typeof v !== 'object' || !(part in (v as object))) {
        throw new Error(`workflow runner: \${{ ${expr} }} is not defined`);
      }
      v = (v as Record<string, unknown>)[part];
    }
    return String(v);
  });
}

function stringify(value: unknown): string {
  return typeof value === 'boolean' || typeof value === 'number' ? String(value) : String(value ?? '');
}

async function globFiles(patterns: string[], cwd: string): Promise<string[]> {
  const out = new Set<string>();
  for (const p of patterns) {
    const abs = resolve(cwd, p);
    if (existsSync(abs) && statSync(abs).isDirectory()) {
      for (const f of readdirSync(abs, { recursive: true, withFileTypes: true })) {
        if (f.isFile()) out.add(join(f.parentPath, f.name));
      }
      continue;
    }
    for await (const m of glob(p, { cwd })) {
      const file = resolve(cwd, m);
      if (statSync(file).isFile()) out.add(file);
    }
  }
  return [...out].sort();
}

const lines = (v: unknown) =>
  stringify(v)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The run: step's shell: bash -e -o pipefail, as `shell: bash` on a runner. */
function bash(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((res) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => res({ code, output }));
  });
}

/** A PATH directory whose `npx` runs this repository's bundled CLI for `jit-gpg` (and nothing else). */
function npxStandIn(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const cli = join(dirname(ACTIONS.sign.main), '..', 'cli.js');
  writeFileSync(
    join(bin, 'npx'),
    `#!/bin/sh\n# test stand-in for npx: the repository's own dist/cli.js for jit-gpg, nothing else\nif [ "$1" = "--yes" ] || [ "$1" = "-y" ]; then shift; fi\ncase "$1" in\n  jit-gpg|jit-gpg@*) shift; exec '${nodeBinary()}' '${cli}' "$@" ;;\nesac\necho "npx stand-in: only jit-gpg is available here" >&2\nexit 127\n`,
    { mode: 0o755 },
  );
  return bin;
}

export async function runWorkflow(file: string, ctx: WorkflowContext): Promise<Map<string, JobRun[]>> {
  const spec = parseYaml(readFileSync(file, 'utf8')) as WorkflowSpec;
  const runs = new Map<string, JobRun[]>();
  const done = new Set<string>();
  const ids = Object.keys(spec.jobs);
  while (done.size < ids.length) {
    const ready = ids.filter((id) => !done.has(id) && needsOf(spec.jobs[id]!).every((n) => done.has(n)));
    if (!ready.length) throw new Error('workflow runner: a cycle in needs');
    await Promise.all(
      ready.map(async (id) => {
        const job = spec.jobs[id]!;
        const blocked = needsOf(job).some((n) => runs.get(n)!.some((r) => !r.ok));
        const rows = expandMatrix(job.strategy?.matrix);
        const results = blocked ? [] : await Promise.all(rows.map((matrix) => runJob(id, job, matrix, spec, ctx)));
        runs.set(id, results);
      }),
    );
    for (const id of ready) done.add(id);
    ctx.afterLevel?.(ready);
  }
  return runs;
}

function needsOf(job: JobSpec): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

async function runJob(
  id: string,
  spec: JobSpec,
  matrix: Record<string, string>,
  wf: WorkflowSpec,
  ctx: WorkflowContext,
): Promise<JobRun> {
  const label = Object.keys(matrix).length ? `${id} (${Object.values(matrix)[0]})` : id;
  const job = createJob(`jit-gpg-example-${id}-`);
  const run: JobRun = { name: label, id, matrix, job, steps: [], ok: true, startedAt: Date.now(), endedAt: 0 };
  const permissions = spec.permissions ?? wf.permissions ?? {};
  const oidc = permissions['id-token'] === 'write' ? ctx.oidc : undefined;
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const scope = () => ({ matrix, inputs: ctx.inputs ?? {}, vars: ctx.vars, github: ctx.github, steps });
  const bin = npxStandIn(job.dir);
  const githubEnv: Record<string, string> = {
    GITHUB_REF: ctx.github.ref ?? '',
    GITHUB_REF_NAME: ctx.github.ref_name ?? '',
    GITHUB_SHA: ctx.github.sha ?? '',
    GITHUB_REPOSITORY: ctx.github.repository ?? '',
    GITHUB_JOB: id,
  };
  const posts: { name: string; state: Record<string, string> }[] = [];
  const record = (s: StepRecord) => {
    run.steps.push(s);
    const leaks = findLeaks(s.output, ctx.secrets());
    if (leaks.length) throw new Error(`${label}: step "${s.name}" printed a secret`);
    if (s.outcome === 'failure') run.ok = false;
  };

  for (const step of spec.steps) {
    const name = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? 'step';
    if (!run.ok && step.if !== 'always()') {
      run.steps.push({ name, ...(step.uses ? { uses: step.uses } : {}), outcome: 'skipped', output: '' });
      continue;
    }
    if (step.if !== undefined && step.if !== 'always()') throw new Error(`workflow runner: unsupported if: ${step.if}`);
    const withs = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(stringify(v), scope())]),
    );
    if (step.run !== undefined) {
      if (step.shell !== undefined && step.shell !== 'bash') throw new Error(`workflow runner: shell ${step.shell}`);
      const outputFile = join(job.runnerTemp, `output-${run.steps.length}`);
      writeFileSync(outputFile, '');
      const cwd = step['working-directory'] ? join(job.workspace, step['working-directory']) : job.workspace;
      const r = await bash(evaluate(step.run, scope()), cwd, {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: job.home,
        LANG: 'C.UTF-8',
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: job.workspace,
        GITHUB_OUTPUT: outputFile,
        RUNNER_TEMP: job.runnerTemp,
        ...githubEnv,
        ...(step.env ?? {}),
      });
      if (step.id) steps[step.id] = { outputs: parseOutputs(readFileSync(outputFile, 'utf8')) };
      record({ name, outcome: r.code === 0 ? 'success' : 'failure', output: r.output });
      continue;
    }
    const uses = step.uses ?? '';
    const own = /^org\/jit-gpg(\/scan)?@v1$/.exec(uses);
    if (own) {
      const action = own[1] ? ACTIONS.scan : ACTIONS.sign;
      const result = await runStep({
        job,
        metadata: action.metadata,
        script: action.main,
        inputs: withs,
        env: githubEnv,
        event: ctx.event,
        ...(oidc ? { oidc } : {}),
        secrets: ctx.secrets(),
        timeoutMs: 120_000,
        stepName: step.id ?? 'jit-gpg',
      });
      if (step.id) steps[step.id] = { outputs: result.outputs };
      if ('post' in action) posts.unshift({ name: `Post ${name}`, state: result.state });
      if (result.leaks.length) throw new Error(`${label}: ${name} leaked a secret`);
      record({ name, uses, outcome: result.exitCode === 0 ? 'success' : 'failure', result, output: result.log });
      continue;
    }
    const output = await thirdParty(uses, withs, job, ctx);
    record({ name, uses, outcome: output.ok ? 'success' : 'failure', output: output.log });
  }
  for (const p of posts) {
    const result = await runStep({
      job,
      metadata: ACTIONS.sign.metadata,
      script: ACTIONS.sign.post,
      state: p.state,
      env: githubEnv,
      secrets: ctx.secrets(),
      timeoutMs: 60_000,
      stepName: 'post-jit-gpg',
    });
    record({ name: p.name, outcome: result.exitCode === 0 ? 'success' : 'failure', result, output: result.log });
  }
  run.endedAt = Date.now();
  return run;
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Local equivalents of the third-party actions the examples use. */
async function thirdParty(
  uses: string,
  withs: Record<string, string>,
  job: Job,
  ctx: WorkflowContext,
): Promise<{ ok: boolean; log: string }> {
  const action = uses.replace(/@.*$/, '');
  switch (action) {
    case 'actions/checkout': {
      const r = await bash(
        `git clone --quiet '${ctx.origin}' . && git checkout --quiet --detach '${ctx.github.sha}'`,
        job.workspace,
        { PATH: process.env.PATH ?? '', HOME: job.home },
      );
      return { ok: r.code === 0, log: r.output };
    }
    case 'actions/upload-artifact': {
      const name = withs.name ?? 'artifact';
      const dest = join(ctx.artifacts, name);
      if (existsSync(dest)) return { ok: false, log: `an artifact named ${name} already exists` };
      const paths = lines(withs.path);
      const files = await globFiles(paths, job.workspace);
      if (!files.length) return { ok: false, log: `no files found for ${paths.join(', ')}` };
      const single = paths.length === 1 && statSync(resolve(job.workspace, paths[0]!)).isDirectory();
      const root = single ? resolve(job.workspace, paths[0]!) : commonDir(files, job.workspace);
      for (const f of files) cpSync(f, join(dest, relative(root, f)));
      return { ok: true, log: `uploaded ${files.length} file(s) as ${name}` };
    }
    case 'actions/download-artifact': {
      const match = picomatch(withs.pattern || withs.name || '*');
      const target = resolve(job.workspace, withs.path || '.');
      const names = existsSync(ctx.artifacts) ? readdirSync(ctx.artifacts).filter((n) => match(n)) : [];
      for (const n of names) {
        cpSync(join(ctx.artifacts, n), withs['merge-multiple'] === 'true' ? target : join(target, n), {
          recursive: true,
        });
      }
      return { ok: names.length > 0, log: `downloaded ${names.join(', ')}` };
    }
    case 'softprops/action-gh-release': {
      if (!ctx.releaseApi) throw new Error('workflow runner: no release API stand-in');
      const files = await globFiles(lines(withs.files), job.workspace);
      const headers = { authorization: `token ${HARNESS_GITHUB_TOKEN}`, 'content-type': 'application/json' };
      const api = `${ctx.releaseApi.url}/repos/${ctx.github.repository}/releases`;
      const created = await fetch(api, {
        method: 'POST',
        headers,
        body: JSON.stringify({ tag_name: withs.tag_name, name: withs.tag_name }),
      });
      if (created.status !== 201)
        return { ok: false, log: `create release: ${created.status} ${await created.text()}` };
      const release = (await created.json()) as { upload_url: string };
      for (const f of files) {
        const uploadUrl = release.upload_url.replace(/\{\?name,label\}$/, `?name=${encodeURIComponent(basename(f))}`);
        const up = await fetch(uploadUrl, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/octet-stream' },
          body: readFileSync(f),
        });
        if (up.status !== 201) return { ok: false, log: `upload ${basename(f)}: ${up.status} ${await up.text()}` };
      }
      return { ok: true, log: `released ${withs.tag_name} with ${files.length} asset(s)` };
    }
    case 'github/codeql-action/upload-sarif': {
      const path = resolve(job.workspace, withs.sarif_file ?? '');
      if (!existsSync(path)) return { ok: false, log: `no SARIF at ${withs.sarif_file}` };
      const sarif = JSON.parse(readFileSync(path, 'utf8')) as { version?: string };
      if (sarif.version !== '2.1.0') return { ok: false, log: 'not SARIF 2.1.0' };
      // what code scanning received: <artifacts>/../code-scanning/<unique>/<category>.sarif
      mkdirSync(join(dirname(ctx.artifacts), 'code-scanning'), { recursive: true });
      const dest = join(
        mkdtempSync(join(dirname(ctx.artifacts), 'code-scanning', 'upload-')),
        `${withs.category || 'sarif'}.sarif`,
      );
      cpSync(path, dest);
      return { ok: true, log: `uploaded ${dest}` };
    }
    default:
      throw new Error(`workflow runner: no local equivalent for ${uses}`);
  }
}
