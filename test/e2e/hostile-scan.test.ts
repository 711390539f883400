// The scan action and CLI against hostile input, as an attacker and an unlucky user would try them (issue 8):
// dist/scan/main.js through the runner harness (which parses workflow commands exactly as the runner does) and
// dist/cli.js as a process. Each numbered item of the issue that the scanner owns has a named test; every test
// checks the exit code, the message, what the runner recorded, and that no command the project did not issue was
// parsed from anything printed.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { builtinRules } from '../../src/scan/rules/index.ts';
import { nodeBinary } from '../../scripts/node24.mjs';
import {
  ACTIONS,
  createJob,
  findLeaks,
  foreignCommands,
  type Job,
  repoRoot,
  runAction,
  type StepResult,
} from './harness.ts';
import { startCacheServiceV2 } from './services/cache-v2.ts';

const CLI = join(repoRoot, 'dist', 'cli.js');
const PREFIX = ['zq', 'tk_'].join('');
const token = (seed: string) => `${PREFIX}${seed.repeat(8).slice(0, 32)}`;
const SECRET = token('Hx7Kq2Wm9Rt4');
const SECRET2 = token('Bn3Vc8Lp5Zs1');
// One distinct token per hostile file name: one secret in many files is one finding (its other places are
// `locations`), and these tests are about how each file is annotated.
const NAMED_SECRETS = Array.from({ length: 16 }, (_, i) => token(`Nm${String.fromCharCode(65 + i)}${i}Qw7Er2Ty`));
const SECRETS = [SECRET, SECRET2, ...NAMED_SECRETS];

/** Custom rule only (built-ins off), so counts depend on the planted tokens alone. */
function config(extra: string[] = [], title = 'ZQ test token'): string {
  return [
    ...builtinRules.flatMap((r) => [`[rules.${r.id}]`, 'enabled = false']),
    '[[rules.custom]]',
    'id = "zq-token"',
    `title = ${JSON.stringify(title)}`,
    'severity = "critical"',
    `keywords = ["${PREFIX}"]`,
    `pattern = '\\b(${PREFIX}[A-Za-z0-9]{32})\\b'`,
    ...extra,
    '',
  ].join('\n');
}

function plant(job: Job, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const abs = join(job.workspace, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

function git(job: Job, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: job.workspace,
    encoding: 'utf8',
    env: {
      ...process.env,
      HOME: job.home,
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'dev@example.test',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'dev@example.test',
    },
  }).trim();
}

/** A repository with `base` committed, then `head` on top; returns the pull_request event for the two. */
function pullRequest(job: Job, base: Record<string, string>, head: Record<string, string>) {
  git(job, 'init', '-q', '-b', 'main', '.');
  plant(job, base);
  git(job, 'add', '-A');
  git(job, 'commit', '-q', '-m', 'base');
  const baseSha = git(job, 'rev-parse', 'HEAD');
  plant(job, head);
  git(job, 'add', '-A');
  git(job, 'commit', '-q', '-m', 'pull request');
  const headSha = git(job, 'rev-parse', 'HEAD');
  return {
    name: 'pull_request',
    payload: { number: 7, pull_request: { number: 7, base: { sha: baseSha }, head: { sha: headSha } } },
  };
}

/** Nothing printed was parsed as a command the action did not issue; no secret survived anywhere. */
function clean(step: StepResult): void {
  assert.deepEqual(foreignCommands(step.raw), [], 'no injected workflow command');
  assert.deepEqual(step.leaks, [], 'no secret in the log, outputs or summary');
  assert.deepEqual(findLeaks(step.raw, SECRETS), [], 'no secret in anything printed');
}

function cli(args: string[], cwd: string) {
  const r = spawnSync(nodeBinary(), [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

const HOSTILE_NAMES = [
  '::error::pwned.env',
  '  ::warning title=x::pwned.env',
  'x ##[add-mask]pwned.env',
  '%0A::error::pwned%25.env',
  'line\n::stop-commands::pwned\n.env',
  'cr\r::error::pwned.env',
  'bidi\u202eevil.env',
];

describe('hostile input: scan action and CLI', {
  skip: (!existsSync(ACTIONS.scan.main) || !existsSync(CLI)) && 'run npm run bundle',
}, () => {
  const jobs: Job[] = [];
  const newJob = () => {
    const j = createJob('jit-gpg-hostile-');
    jobs.push(j);
    return j;
  };
  after(() => {
    for (const j of jobs) j.cleanup();
  });

  test('a warning naming a hostile file is annotated escaped, as the log line is', async () => {
    const job = newJob();
    // Not an archive inside, named as one: a warning names it (a corrupt archive is counted, not scanned).
    const name = 'bidi\u202eevil\u2066.zip';
    plant(job, { '.jit-gpg.toml': config(), [name]: 'PK\u0003\u0004 not really a zip' });
    const r = await runAction({ action: 'scan', job, secrets: SECRETS, inputs: { mode: 'worktree' } });
    clean(r.main);
    const warnings = r.main.annotations.filter((a) => a.level === 'warning');
    assert.ok(
      warnings.some((a) => a.message.includes('bidi\\u202eevil')),
      JSON.stringify(warnings),
    );
    assert.ok(
      warnings.every((a) => !/[\u202e\u2066]/.test(a.message)),
      'no raw bidi control in an annotation',
    );
  });

  test('item 1: hostile file names are annotated at their exact name and print no command (annotations on and off)', async () => {
    const job = newJob();
    plant(job, { '.jit-gpg.toml': config() });
    HOSTILE_NAMES.forEach((name, i) => {
      plant(job, { [name]: `TOKEN=${NAMED_SECRETS[i]}\n` });
    });
    const on = await runAction({ action: 'scan', job, secrets: SECRETS, inputs: { mode: 'worktree' } });
    assert.equal(on.main.exitCode, 1, on.main.log);
    clean(on.main);
    const findings = on.main.annotations.filter((a) => a.file !== undefined);
    assert.deepEqual(findings.map((a) => a.file).sort(), [...HOSTILE_NAMES].sort(), 'one annotation per file, exact');
    assert.ok(findings.every((a) => a.level === 'error' && a.line === 1));
    assert.equal(on.main.annotations.length, HOSTILE_NAMES.length + 1, 'the findings and the failure, nothing else');
    assert.equal(on.main.outputs.findings, String(HOSTILE_NAMES.length));

    const off = await runAction({
      action: 'scan',
      job,
      secrets: SECRETS,
      inputs: { mode: 'worktree', annotations: 'false' },
    });
    assert.equal(off.main.exitCode, 1);
    clean(off.main);
    assert.deepEqual(
      off.main.annotations.map((a) => a.level),
      ['error'],
      'only the failure message is an annotation',
    );
    assert.match(off.main.log, /\\x3a:error::pwned\.env:1:/);
    assert.match(off.main.log, /line\\n::stop-commands::pwned\\n\.env:1:/);

    const run = cli(['scan', '.'], job.workspace);
    assert.equal(run.status, 1, run.all);
    assert.deepEqual(foreignCommands(run.all), [], 'CLI text report and stderr');
    for (const format of ['json', 'sarif']) {
      const r = cli(['scan', '.', '--format', format], job.workspace);
      assert.equal(r.status, 1);
      assert.deepEqual(foreignCommands(r.all), [], `CLI ${format} report`);
      const report = JSON.parse(r.stdout);
      const files: string[] =
        format === 'json'
          ? report.findings.map((f: { file: string }) => f.file)
          : report.runs[0].results.map(
              (x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
                decodeURIComponent(x.locations[0]!.physicalLocation.artifactLocation.uri),
            );
      assert.deepEqual(files.sort(), [...HOSTILE_NAMES].sort(), `${format}: exact names`);
    }
    assert.deepEqual(findLeaks(run.all, SECRETS), []);
  });

  test('item 1: .gitleaks.toml keys and values, custom rule titles, archive entries and >10 warnings print no command', async () => {
    const job = newJob();
    const keys = Array.from({ length: 12 }, (_, i) => `"k${i}\\n::stop-commands::pwned${i}"`);
    plant(job, {
      '.jit-gpg.toml': config([], '::warning::title ##[add-mask]x %0A'),
      '.gitleaks.toml': [
        ...keys.map((k) => `${k} = "v"`),
        '[allowlist]',
        'regexTarget = "\\n::error::pwned"',
        '[[rules]]',
        'id = "::error::rule"',
        "regex = 'x('",
        '',
      ].join('\n'),
      'app/a.env': `TOKEN=${SECRET}\n`,
    });
    const zip = join(job.workspace, 'bundle.zip');
    const entryDir = join(job.dir, 'entries');
    mkdirSync(join(entryDir, '::error::dir'), { recursive: true });
    writeFileSync(join(entryDir, '::error::dir', '##[add-mask]e.env'), `K=${SECRET2}\n`);
    execFileSync('zip', ['-qr', zip, '.'], { cwd: entryDir });
    const { main } = await runAction({ action: 'scan', job, secrets: SECRETS, inputs: { mode: 'worktree' } });
    assert.equal(main.exitCode, 1, main.log);
    clean(main);
    const files = main.annotations.filter((a) => a.level === 'error' && a.file).map((a) => a.file);
    assert.deepEqual(files.sort(), ['app/a.env', 'bundle.zip!::error::dir/##[add-mask]e.env'].sort());
    assert.ok(main.annotations.some((a) => a.title === '::warning::title ##[add-mask]x %0A'));
    const warnings = main.annotations.filter((a) => a.level === 'warning');
    assert.equal(warnings.length, 10, 'ten warning annotations, the rest as escaped lines');
    assert.match(main.log, /warning: .*k11\\n::stop-commands::pwned11/);
    assert.match(main.log, /error: jit-gpg scan: 2 secrets found/);
    const run = cli(['scan', '.'], job.workspace);
    assert.equal(run.status, 1, run.all);
    assert.deepEqual(foreignCommands(run.all), []);
  });

  test('item 2 (acceptance): a pull request adding a secret and an allow-all .jit-gpg.toml still fails', async () => {
    const job = newJob();
    const event = pullRequest(
      job,
      { '.jit-gpg.toml': config(), 'README.md': 'hello\n' },
      { '.jit-gpg.toml': config(['[allow]', 'paths = ["**"]']), 'app/new.env': `TOKEN=${SECRET}\n` },
    );
    const { main } = await runAction({ action: 'scan', job, event, secrets: SECRETS });
    assert.equal(main.exitCode, 1, main.log);
    clean(main);
    const errors = main.annotations.filter((a) => a.level === 'error' && a.file);
    assert.deepEqual(
      errors.map((a) => [a.file, a.line]),
      [['app/new.env', 1]],
    );
    const notice = main.annotations.find((a) => a.level === 'notice' && a.file === '.jit-gpg.toml');
    assert.ok(notice, 'a notice names the config file the pull request changes');
    assert.match(notice.message, /this pull request changes \.jit-gpg\.toml; the scan used the base commit's version/);
    assert.match(
      main.summary,
      /Config: read from the base commit [0-9a-f]{12} \\\(config-from: base\\\): \.jit-gpg\.toml/,
    );

    // config-from: head keeps the old (unsafe) behaviour: the pull request's allow-all silences it.
    const head = await runAction({ action: 'scan', job, event, secrets: SECRETS, inputs: { 'config-from': 'head' } });
    assert.equal(head.main.exitCode, 0, head.main.log);
    clean(head.main);
  });

  test('a copy of a secret on a path the base allows hides nothing: the copy elsewhere is reported', async () => {
    const job = newJob();
    // The allowed copy sorts first: before, the secret's one finding sat there and was dropped with all its places.
    const event = pullRequest(
      job,
      { '.jit-gpg.toml': config(), '.gitleaks.toml': "[allowlist]\npaths = ['''^a-fixtures/''']\n" },
      { 'a-fixtures/copy.env': `TOKEN=${SECRET}\n`, 'app/new.env': `TOKEN=${SECRET}\n` },
    );
    const { main } = await runAction({ action: 'scan', job, event, secrets: SECRETS });
    assert.equal(main.exitCode, 1, main.log);
    clean(main);
    const files = main.annotations.filter((a) => a.level === 'error' && a.file).map((a) => a.file);
    assert.deepEqual(files, ['app/new.env']);
  });

  test('item 2 (acceptance): an allow-all .gitleaks.toml or a baseline added by the pull request does not count', async () => {
    const job = newJob();
    const event = pullRequest(
      job,
      { '.jit-gpg.toml': config(), 'README.md': 'hello\n' },
      {
        '.gitleaks.toml': '[allowlist]\npaths = [".*"]\n',
        'app/new.env': `TOKEN=${SECRET}\n`,
      },
    );
    const { main } = await runAction({ action: 'scan', job, event, secrets: SECRETS });
    assert.equal(main.exitCode, 1, main.log);
    clean(main);
    assert.ok(main.annotations.some((a) => a.level === 'error' && a.file === 'app/new.env'));
    assert.ok(main.annotations.some((a) => a.level === 'notice' && a.file === '.gitleaks.toml'));
    assert.match(main.summary, /\.gitleaks\.toml \\\(absent at base [0-9a-f]{12}/);

    // A baseline the pull request adds that accepts the finding is not read either (it is not at the base).
    const first = cli(['scan', 'app', '--format', 'json', '--config-from', 'head'], job.workspace);
    writeFileSync(join(job.workspace, 'baseline.json'), first.stdout);
    git(job, 'add', 'baseline.json');
    git(job, 'commit', '-q', '-m', 'accept');
    const ev2 = { ...event, payload: { ...event.payload } };
    ev2.payload.pull_request = { ...event.payload.pull_request, head: { sha: git(job, 'rev-parse', 'HEAD') } };
    const withBaseline = await runAction({
      action: 'scan',
      job,
      event: ev2,
      secrets: SECRETS,
      inputs: { baseline: 'baseline.json' },
    });
    assert.equal(withBaseline.main.exitCode, 1, withBaseline.main.log);
    assert.match(withBaseline.main.log, /baseline baseline\.json: not in the base commit/);
    clean(withBaseline.main);
    // An untracked baseline (downloaded by an earlier step) is read as given.
    git(job, 'rm', '-q', '--cached', 'baseline.json');
    git(job, 'commit', '-q', '-m', 'untrack');
    ev2.payload.pull_request = { ...event.payload.pull_request, head: { sha: git(job, 'rev-parse', 'HEAD') } };
    const untracked = await runAction({
      action: 'scan',
      job,
      event: ev2,
      secrets: SECRETS,
      inputs: { baseline: 'baseline.json' },
    });
    assert.equal(untracked.main.exitCode, 0, untracked.main.log);
    assert.match(untracked.main.summary, /baseline\.json \\\(as given \\\(not tracked\\\)\\\)/);
  });

  test('a marked copy of a secret hides nothing: the unmarked copy elsewhere fails the run', async () => {
    const job = newJob();
    // The marked copy sorts first: before, the secret's one finding sat there, and was only a warning.
    const event = pullRequest(
      job,
      { '.jit-gpg.toml': config(), 'README.md': 'hello\n' },
      { 'app/a.env': `TOKEN=${SECRET} # gitleaks:allow\n`, 'app/b.env': `TOKEN=${SECRET}\n` },
    );
    const { main } = await runAction({ action: 'scan', job, event, secrets: SECRETS });
    assert.equal(main.exitCode, 1, main.log);
    clean(main);
    const errors = main.annotations.filter((a) => a.level === 'error' && a.file).map((a) => a.file);
    assert.deepEqual(errors, ['app/b.env']);
    const warnings = main.annotations.filter((a) => a.level === 'warning').map((a) => a.file);
    assert.deepEqual(warnings, ['app/a.env']);
    // The CLI on the work tree: the marker is honoured where it stands, and only there.
    const run = cli(['scan', 'app', '--format', 'json'], job.workspace);
    assert.equal(run.status, 1, run.all);
    assert.deepEqual(
      (JSON.parse(run.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file),
      ['b.env'],
    );
  });

  test('item 2 (acceptance): a gitleaks:allow marker the pull request adds is a warning annotation, not a pass in silence', async () => {
    const job = newJob();
    const event = pullRequest(
      job,
      { '.jit-gpg.toml': config(), 'app/old.env': `OLD=${SECRET2} # gitleaks:allow\n` },
      { 'app/new.env': `A=1\nTOKEN=${SECRET} # gitleaks:allow\n` },
    );
    const { main } = await runAction({ action: 'scan', job, event, secrets: SECRETS });
    assert.equal(main.exitCode, 0, main.log);
    clean(main);
    const warnings = main.annotations.filter((a) => a.level === 'warning');
    assert.equal(warnings.length, 1, main.log);
    assert.equal(warnings[0]!.file, 'app/new.env');
    assert.equal(warnings[0]!.line, 2);
    assert.match(
      warnings[0]!.message,
      /^suppressed by a marker added in this pull request: review it \(ZQ test token: zqtk/,
    );
    assert.match(main.summary, /app/);
    assert.match(main.summary, /suppressed by a marker added in this pull request/);
    assert.equal(main.outputs.findings, '0');
  });

  test('item 4: non-UTF-8 names, UTF-16 text, symlinks and FIFOs: scanned or counted, never skipped in silence', async () => {
    const job = newJob();
    plant(job, { '.jit-gpg.toml': config(), 'target.txt': 'nothing here\n' });
    const text = `a=1\nTOKEN=${SECRET}\n`;
    const be = Buffer.from(`a=1\nTOKEN=${NAMED_SECRETS[15]}\n`, 'utf16le');
    be.swap16();
    writeFileSync(
      join(job.workspace, 'le.txt'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    writeFileSync(join(job.workspace, 'be.txt'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    const badName = Buffer.concat([
      Buffer.from(`${job.workspace}/bad`),
      Buffer.from([0xff, 0x3a, 0x3a]),
      Buffer.from('.env'),
    ]);
    writeFileSync(badName, `K=${SECRET2}\n`);
    symlinkSync('target.txt', join(job.workspace, 'link.txt'));
    execFileSync('mkfifo', [join(job.workspace, 'pipe')]);
    const { main } = await runAction({
      action: 'scan',
      job,
      secrets: SECRETS,
      inputs: { mode: 'worktree' },
      timeoutMs: 60_000,
    });
    assert.equal(main.exitCode, 1, main.log);
    clean(main);
    const files = main.annotations.filter((a) => a.level === 'error' && a.file).map((a) => `${a.file}:${a.line}`);
    assert.deepEqual(files.sort(), ['bad\\xff::.env:1', 'be.txt:2', 'le.txt:2']);
    assert.match(main.summary, /Skipped by policy:\*\* 1 FIFO, socket or device, 1 symlink \(not followed\)/);
    const report = JSON.parse(readFileSync(main.outputs.report!, 'utf8'));
    assert.equal(report.stats.skippedSymlinks, 1);
    assert.equal(report.stats.skippedSpecial, 1);
    const sarif = JSON.parse(readFileSync(main.outputs.sarif!, 'utf8'));
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications.map(
      (n: { message: { text: string } }) => n.message.text,
    );
    assert.ok(notes.includes('skipped by policy: 1 FIFO, socket or device'), notes.join('\n'));
    assert.ok(notes.includes('skipped by policy: 1 symlink (not followed)'));

    // The same tree in git: names come from `git ls-files -z` as bytes.
    git(job, 'init', '-q', '-b', 'main', '.');
    git(job, 'add', '-A');
    git(job, 'commit', '-q', '-m', 'all');
    const run = cli(['scan', '.', '--format', 'json'], job.workspace);
    assert.equal(run.status, 1, run.stderr);
    const viaGit = JSON.parse(run.stdout);
    assert.deepEqual(viaGit.findings.map((f: { file: string }) => f.file).sort(), [
      'bad\\xff::.env',
      'be.txt',
      'le.txt',
    ]);
    assert.equal(viaGit.stats.skippedSymlinks, 1);
  });

  test('item 4: a named pipe or /dev/stdin is read to its end; a FIFO with no writer ends at once with exit 2', () => {
    const job = newJob();
    plant(job, { '.jit-gpg.toml': config() });
    execFileSync('mkfifo', [join(job.workspace, 'idle.fifo')]);
    const started = Date.now();
    const idle = cli(['scan', 'idle.fifo'], job.workspace);
    assert.ok(Date.now() - started < 20_000, 'no hang');
    assert.equal(idle.status, 2);
    assert.match(idle.stderr, /idle\.fifo: a FIFO with no writer/);
    // 100 KiB of text before the secret: more than the 64 KiB one read of a pipe returns.
    const input = `${'x = 1\n'.repeat((100 * 1024) / 6)}TOKEN=${SECRET}\n`;
    const r = spawnSync(nodeBinary(), [CLI, 'scan', '/dev/stdin', '--format', 'json'], {
      cwd: job.workspace,
      input,
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).findings.length, 1);
    // A real pipe from a shell, and a process substitution.
    writeFileSync(join(job.dir, 'input.txt'), input);
    for (const command of [
      `cat '${job.dir}/input.txt' | "$0" "$1" scan /dev/stdin --format json`,
      `exec "$0" "$1" scan <(cat '${job.dir}/input.txt') --format json`,
    ]) {
      const p = spawnSync('bash', ['-c', command, nodeBinary(), CLI], { cwd: job.workspace, encoding: 'utf8' });
      assert.equal(p.status, 1, `${command}: ${p.stderr}`);
      assert.equal(JSON.parse(p.stdout).findings.length, 1);
    }
  });

  test('item 4: input cut at the stdin cap and missing git objects fail the run (CLI exit 2, action fails, SARIF not successful)', async () => {
    const job = newJob();
    const zero = cli(['scan', '/dev/zero'], job.workspace);
    assert.equal(zero.status, 2);
    assert.match(zero.stderr, /zero: input is larger than 256 MiB; only the first part was scanned/);
    assert.match(zero.stderr, /scan incomplete: 1 item could not be scanned/);

    plant(job, { '.jit-gpg.toml': config(), 'a.txt': 'one\n', 'b.txt': 'two\n' });
    git(job, 'init', '-q', '-b', 'main', '.');
    git(job, 'add', '-A');
    git(job, 'commit', '-q', '-m', 'one');
    const blob = git(job, 'rev-parse', 'HEAD:b.txt');
    execFileSync('rm', ['-f', join(job.workspace, '.git', 'objects', blob.slice(0, 2), blob.slice(2))]);
    const cliRun = cli(['scan', '.', '--mode', 'history', '--format', 'sarif'], job.workspace);
    assert.equal(cliRun.status, 2, cliRun.stderr);
    assert.match(cliRun.stderr, new RegExp(`git object ${blob} .*missing`));
    assert.equal(JSON.parse(cliRun.stdout).runs[0].invocations[0].executionSuccessful, false);
    const { main } = await runAction({ action: 'scan', job, secrets: SECRETS, inputs: { mode: 'history' } });
    assert.equal(main.exitCode, 1, main.log);
    assert.match(main.log, /scan incomplete: 1 item could not be scanned/);
    assert.equal(
      JSON.parse(readFileSync(main.outputs.sarif!, 'utf8')).runs[0].invocations[0].executionSuccessful,
      false,
    );
    clean(main);
  });

  test('item 5: .gitleaks.toml as a symlink to /dev/zero, a FIFO or a directory fails at once with a clear message', async () => {
    for (const kind of ['zero', 'fifo', 'dir'] as const) {
      const job = newJob();
      plant(job, { '.jit-gpg.toml': config(), 'a.env': 'x=1\n' });
      const path = join(job.workspace, '.gitleaks.toml');
      if (kind === 'zero') symlinkSync('/dev/zero', path);
      if (kind === 'fifo') execFileSync('mkfifo', [path]);
      if (kind === 'dir') mkdirSync(path);
      const started = Date.now();
      const { main } = await runAction({
        action: 'scan',
        job,
        secrets: SECRETS,
        inputs: { mode: 'worktree' },
        timeoutMs: 20_000,
      });
      assert.ok(Date.now() - started < 15_000, `${kind}: no hang`);
      assert.equal(main.exitCode, 1, main.log);
      const what = { zero: 'a character device', fifo: 'a FIFO \\(named pipe\\)', dir: 'a directory' }[kind];
      assert.match(main.log, new RegExp(`gitleaks config .*\\.gitleaks\\.toml is ${what}, not a regular file`));
      clean(main);
      const run = cli(['scan', '.'], job.workspace);
      assert.equal(run.status, 2, `${kind}: CLI exit 2 (${run.stderr})`);
      assert.match(run.stderr, new RegExp(`\\.gitleaks\\.toml is ${what}, not a regular file`));
    }
  });

  test('item 5: --config and --baseline on a FIFO or /dev/zero never hang (exit 2 naming the file)', () => {
    const job = newJob();
    plant(job, { 'a.env': 'x=1\n' });
    execFileSync('mkfifo', [join(job.workspace, 'pipe')]);
    symlinkSync('/dev/zero', join(job.workspace, 'zero.json'));
    for (const args of [
      ['--config', 'pipe'],
      ['--baseline', 'pipe'],
      ['--baseline', 'zero.json'],
    ]) {
      const started = Date.now();
      const run = cli(['scan', '.', ...args], job.workspace);
      assert.ok(Date.now() - started < 20_000);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /(pipe is a FIFO|zero\.json is a character device).*not a regular file/);
    }
  });

  test('item 8: errors about config and baseline content show file, line, field and at most four characters', async () => {
    const job = newJob();
    plant(job, { '.jit-gpg.toml': `max-file-size = "${SECRET}"\n`, 'a.env': 'x=1\n', 'bad.json': `${SECRET}\n` });
    const run = cli(['scan', '.'], job.workspace);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /\.jit-gpg\.toml:1: max-file-size: .*the string "zqtk…" \(37 characters\)/);
    assert.deepEqual(findLeaks(run.all, SECRETS), []);
    assert.ok(!run.all.includes(SECRET.slice(0, 6)), 'no more than four characters');
    writeFileSync(join(job.workspace, '.jit-gpg.toml'), config());
    for (const text of [
      `${SECRET}\n`,
      `{"findings":[{"fingerprint":"${SECRET}","ruleId":"x"}]}`,
      `{"findings": "${SECRET}"}`,
    ]) {
      writeFileSync(join(job.workspace, 'bad.json'), text);
      const b = cli(['scan', '.', '--baseline', 'bad.json'], job.workspace);
      assert.equal(b.status, 2, b.stderr);
      assert.match(b.stderr, /baseline .*bad\.json/);
      assert.ok(!b.all.includes(SECRET.slice(0, 6)), `baseline error shows at most four characters: ${b.stderr}`);
    }
    const { main } = await runAction({
      action: 'scan',
      job,
      secrets: SECRETS,
      inputs: { mode: 'worktree', baseline: 'bad.json' },
    });
    assert.equal(main.exitCode, 1);
    assert.match(main.log, /input `baseline`: baseline bad\.json/);
    clean(main);
    assert.ok(!main.raw.includes(SECRET.slice(0, 6)));
  });

  test('item 11: no cache restore or save on pull_request, pull_request_target and merge_group; the summary says why', async () => {
    const svc = await startCacheServiceV2();
    try {
      for (const name of ['pull_request', 'pull_request_target', 'merge_group'] as const) {
        const job = newJob();
        const pr = pullRequest(job, { '.jit-gpg.toml': config(), 'a.env': 'x=1\n' }, { 'b.env': 'y=2\n' });
        const event =
          name === 'merge_group'
            ? {
                name,
                payload: {
                  merge_group: {
                    base_sha: pr.payload.pull_request.base.sha,
                    head_sha: pr.payload.pull_request.head.sha,
                  },
                },
              }
            : { ...pr, name };
        const before = svc.calls.length;
        const { main } = await runAction({
          action: 'scan',
          job,
          event,
          env: svc.env,
          secrets: SECRETS,
          inputs: { cache: 'true' },
        });
        assert.equal(main.exitCode, 0, main.log);
        assert.equal(svc.calls.length, before, `${name}: the cache service was never called`);
        assert.match(main.summary, new RegExp(`Cache: not used on ${name.replace(/_/g, '\\\\_')} events`));
        clean(main);
      }
    } finally {
      await svc.close();
    }
  });
});
