// `jit-gpg scan` as a plain function (runCli with injected IO): exit codes, formats, stdin, --output, config and
// baseline errors. The planted secrets match a custom rule defined in the test's own config, so these tests do not
// depend on the built-in catalogue; no secret value may appear in any output.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { runCli } from '../../src/cli/main.ts';
import { isStartupBound, startupBound } from '../../src/cli/scan.ts';
import { failing, selectSource } from '../../src/scan/job.ts';
import { builtinRules } from '../../src/scan/rules/index.ts';
import { POOL_AFTER_MS, POOL_MIN_FILES } from '../../src/scan/worker-thread.ts';

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsPlugin as unknown as { default?: AddFormats }).default ??
  addFormatsPlugin) as unknown as AddFormats;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'sarif-2.1.0-schema.json'), 'utf8')),
);

const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-cli-scan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Fake, built from parts at run time.
const PREFIX = ['zq', 'tk_'].join('');
const SECRET_A = `${PREFIX}${'k3J9x0Q2m8V7b6N5c4Z1l0P9o8I7u6Y5'}`;
const SECRET_B = `${PREFIX}${'Qw7Er5Ty3Ui1Op9As8Df6Gh4Jk2Lz0Xc'}`;
const SECRETS = [SECRET_A, SECRET_B];

// The built-in catalogue is switched off in these trees so the tests depend only on the custom rule (a generic
// rule may also flag `TOKEN=…` lines); the catalogue itself is exercised by the SARIF schema test below.
const CONFIG = [
  ...builtinRules.flatMap((r) => [`[rules.${r.id}]`, 'enabled = false']),
  '[[rules.custom]]',
  'id = "zq-token"',
  'title = "ZQ test token"',
  'severity = "high"',
  `keywords = ["${PREFIX}"]`,
  `pattern = '\\b(${PREFIX}[A-Za-z0-9]{32})\\b'`,
  '',
].join('\n');

function tree(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function cli(argv: string[], opts: { stdin?: string; cwd?: string } = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await runCli(['scan', ...argv], {
    stdout: out,
    stderr: err,
    stdin: Readable.from(opts.stdin ? [Buffer.from(opts.stdin)] : []),
    env: {},
    cwd: opts.cwd ?? dir,
    isTTY: false,
  });
  for (const s of SECRETS) {
    assert.ok(!stdout.includes(s), 'no secret on stdout');
    assert.ok(!stderr.includes(s), 'no secret on stderr');
  }
  return { code, stdout, stderr };
}

const planted = tree('planted', {
  '.jit-gpg.toml': CONFIG,
  'app/settings.env': `# settings\nDEBUG=1\nZQ_TOKEN=${SECRET_A}\n`,
  'deploy/values.yaml': `image: x\nauth:\n  token: "${SECRET_B}"\n`,
  'README.md': 'nothing here\n',
});
const clean = tree('clean', { '.jit-gpg.toml': CONFIG, 'a.txt': 'hello\n', 'b/c.md': `prefix ${PREFIX} alone\n` });

describe('jit-gpg scan', () => {
  test('--help exits 0 and lists the options', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--mode', '--base', '--head', '--config', '--baseline', '--format', '--output', '--fail-on']) {
      assert.ok(r.stdout.includes(flag), flag);
    }
  });

  test('clean tree: exit 0', async () => {
    const r = await cli([clean]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No secrets found/);
  });

  test('planted tree: exit 1, text report grouped by file with previews at the right lines', async () => {
    const r = await cli([planted]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /app\/settings\.env\n {2}3:10 +high +ZQ test token {2}zqtk\*\*\*\* {2}zq-token/);
    assert.match(r.stdout, /deploy\/values\.yaml\n {2}3:11 /);
    assert.match(r.stdout, /2 secrets found in 2 files/);
  });

  test('a relative PATH resolves against the working directory; a single file can be scanned', async () => {
    assert.equal((await cli(['planted'])).code, 1);
    const r = await cli(['planted/app/settings.env', '--config', 'planted/.jit-gpg.toml', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0].file, 'settings.env');
  });

  test('--fail-on none exits 0 with findings; --fail-on validated exits 0 when none is validated', async () => {
    assert.equal((await cli([planted, '--fail-on', 'none'])).code, 0);
    const r = await cli([planted, '--fail-on', 'validated']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /0 of 2 count for --fail-on validated/);
  });

  test('usage errors exit 2: unknown flag, bad values, two paths, missing path', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--bogus'], /Unknown option '--bogus'/],
      [[planted, '--format', 'xml'], /--format must be one of text, json, sarif \(got "xml"\)/],
      [[planted, '--fail-on', 'some'], /--fail-on must be one of any, validated, none/],
      [[planted, '--mode', 'fast'], /--mode must be one of auto, worktree, diff, history/],
      [[planted, '--threads', '0'], /--threads must be a positive integer/],
      [[planted, '--max-file-size', 'huge'], /--max-file-size must be a positive size/],
      [[planted, clean], /one PATH at most/],
      [[join(dir, 'nope')], /no such file or directory/],
      [[planted, '--format'], /argument missing|--format/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(argv);
      assert.equal(r.code, 2, `${argv.join(' ')} → ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });

  test('git modes that cannot run exit 2 with a clear message', async () => {
    const r = await cli([planted, '--mode', 'history']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^jit-gpg scan: .*not a git repository/);
    const d = await cli([planted, '--mode', 'diff']);
    assert.equal(d.code, 2);
    assert.match(d.stderr, /^jit-gpg scan: mode diff needs a base revision/);
  });

  test('config errors exit 2 and name file:line:field', async () => {
    const bad = tree('badconfig', { '.jit-gpg.toml': '[allow]\npaths = ["x"]\nstopword = ["y"]\n', 'a.txt': 'x\n' });
    const r = await cli([bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^jit-gpg scan: .*\.jit-gpg\.toml:3: allow\.stopword: unknown key in \[allow\]/);
    const re2 = tree('re2config', {
      '.jit-gpg.toml': "[[rules.custom]]\nid = 'look'\nkeywords = ['x']\npattern = 'x(?=y)'\n",
    });
    const r2 = await cli([re2]);
    assert.equal(r2.code, 2);
    assert.match(
      r2.stderr,
      /\.jit-gpg\.toml:4: rules\.custom\[0\]\.pattern: RE2 rejected the pattern of this custom rule/,
    );
  });

  test('an explicit --config that does not exist exits 2', async () => {
    const r = await cli([clean, '--config', 'missing.toml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing\.toml: config file not found/);
  });

  test('stdin (-) is scanned as the path "-" with --config', async () => {
    const cfg = join(dir, 'stdin.toml');
    writeFileSync(cfg, CONFIG);
    const r = await cli(['-', '--config', cfg, '--format', 'json'], {
      stdin: `log line 1\nlog line 2 token=${SECRET_B} end\n`,
    });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.findings[0].file, '-');
    assert.equal(report.findings[0].line, 2);
    const empty = await cli(['-', '--config', cfg], { stdin: 'nothing to see\n' });
    assert.equal(empty.code, 0);
  });

  test('--format sarif to stdout and to --output; reports never contain the secret', async () => {
    const r = await cli([planted, '--format', 'sarif']);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs[0].results.length, 2);
    assert.ok(log.runs[0].tool.driver.rules.some((d: { id: string }) => d.id === 'zq-token'));
    const ok = validateSarif(structuredClone(log));
    assert.ok(ok, JSON.stringify(validateSarif.errors));
    // With the whole built-in catalogue described (no config), the log is valid too.
    const bare = tree('bare', { 'a.txt': 'hello\n' });
    const full = JSON.parse((await cli([bare, '--format', 'sarif'])).stdout);
    assert.ok(full.runs[0].tool.driver.rules.length >= Math.min(1, builtinRules.length));
    const fullOk = validateSarif(structuredClone(full));
    assert.ok(fullOk, JSON.stringify(validateSarif.errors));
    const out = join(dir, 'reports', 'nested', 'scan.sarif');
    const r2 = await cli([planted, '--format', 'sarif', '--output', out]);
    assert.equal(r2.code, 1);
    assert.equal(r2.stdout, '');
    assert.match(r2.stderr, /2 secrets found; sarif report written to /);
    const text = readFileSync(out, 'utf8');
    assert.equal(JSON.parse(text).runs[0].results[0].ruleId, 'zq-token');
    for (const s of SECRETS) assert.ok(!text.includes(s));
  });

  test('--baseline: a JSON report accepts its findings; a new secret is still reported; stale entries listed', async () => {
    const base = join(dir, 'baseline.json');
    assert.equal((await cli([planted, '--format', 'json', '--output', base])).code, 1);
    const accepted = await cli([planted, '--baseline', base]);
    assert.equal(accepted.code, 0, accepted.stdout);
    assert.match(accepted.stdout, /2 findings accepted by the baseline/);

    // Move a line and change a secret: the moved one stays accepted, the new one is reported, the old is stale.
    const changed = tree('changed', {
      '.jit-gpg.toml': CONFIG,
      'app/settings.env': `\n\n\n\n# moved down\nZQ_TOKEN=${SECRET_A}\n`,
      'deploy/values.yaml': `image: x\nauth:\n  token: "${PREFIX}Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp"\n`,
    });
    const r = await cli([changed, '--baseline', base, '--format', 'json']);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`),
      ['deploy/values.yaml:3'],
    );
    assert.deepEqual(
      report.baselined.map((f: { file: string; line: number }) => `${f.file}:${f.line}`),
      ['app/settings.env:6'],
    );
    assert.equal(report.staleBaseline.length, 1);
    assert.equal(report.staleBaseline[0].file, 'deploy/values.yaml');
  });

  test('a malformed baseline exits 2 naming the file', async () => {
    const bad = join(dir, 'bad-baseline.json');
    writeFileSync(bad, '{"findings": 3}');
    const r = await cli([planted, '--baseline', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /baseline .*bad-baseline\.json: `findings` must be an array/);
  });

  test('--max-file-size skips larger files and counts them', async () => {
    const r = await cli([planted, '--max-file-size', '10', '--format', 'json']);
    assert.equal(r.code, 0);
    assert.ok(JSON.parse(r.stdout).stats.skippedLarge >= 2);
  });
});

describe('helpers', () => {
  test('failing() per fail-on', () => {
    const f = (validated: boolean) => ({ validated }) as never;
    const list = [f(true), f(false)];
    assert.equal(failing(list, 'any').length, 2);
    assert.equal(failing(list, 'validated').length, 1);
    assert.equal(failing(list, 'none').length, 0);
  });

  test('selectSource: the one switch on mode', () => {
    const base = { root: dir, env: {} };
    assert.deepEqual(selectSource({ ...base, mode: 'worktree' }), { kind: 'worktree' });
    assert.deepEqual(selectSource({ ...base, mode: 'auto' }), { kind: 'worktree' }, 'auto outside an event');
    assert.throws(() => selectSource({ ...base, mode: 'diff' }), /needs a base revision/);
    assert.equal(selectSource({ ...base, mode: 'diff', base: 'main' }).kind, 'git');
    assert.equal(selectSource({ ...base, mode: 'history' }).kind, 'git');
    assert.throws(() => selectSource({ ...base, mode: 'history', stdin: Readable.from([]) }), /not stdin/);
    assert.equal(selectSource({ ...base, mode: 'auto', stdin: Readable.from([]) }).kind, 'stdin');
  });
});

describe('the code cache is written after start-up-bound scans only', () => {
  test('a scan within the time before workers would start is start-up-bound; a longer one is not', () => {
    assert.equal(isStartupBound({ durationMs: 12 }), true);
    assert.equal(isStartupBound({ durationMs: POOL_AFTER_MS }), true);
    assert.equal(isStartupBound({ durationMs: POOL_AFTER_MS + 1 }), false);
  });

  test('startupBound() tells of the last scan the command ran', async () => {
    const one = join(dir, 'startup-one.txt');
    writeFileSync(one, 'nothing here\n');
    assert.equal((await cli([one])).code, 0);
    assert.equal(startupBound(), true);
  });
});

describe('an incomplete scan never passes', () => {
  test('a crashing worker makes the CLI exit 2 and the SARIF say the run failed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'jit-gpg-cli-crash-'));
    try {
      // Enough files that the scan starts its workers at once (POOL_MIN_FILES).
      for (let i = 0; i < POOL_MIN_FILES + 100; i++) writeFileSync(join(root, `f${i}.txt`), `clean file ${i}\n`);
      const worker = join(root, 'crash-worker.mjs');
      writeFileSync(
        worker,
        // Ready once it has its policy (as workerData, or as its first message when the CLI started it ahead of
        // the pool), then it dies on the first batch.
        `import { parentPort, workerData } from 'node:worker_threads';
const ready = () => parentPort.postMessage({ type: 'ready', engine: 'fake', warnings: [] });
if (workerData) ready();
parentPort.on('message', (m) => {
  if (m.id === undefined) return ready(); // the policy, not a batch
  throw new Error('boom');
});`,
      );
      const out = new PassThrough();
      const err = new PassThrough();
      let stdout = '';
      let stderr = '';
      out.on('data', (d) => (stdout += d));
      err.on('data', (d) => (stderr += d));
      const previous = process.env.JIT_GPG_SCAN_WORKER;
      process.env.JIT_GPG_SCAN_WORKER = worker;
      let code: number;
      try {
        // Three threads: two (this one and the native collector) would need no worker.
        code = await runCli(['scan', root, '--format', 'sarif', '--threads', '3'], {
          stdout: out,
          stderr: err,
          stdin: Readable.from([]),
          env: {},
          cwd: root,
          isTTY: false,
        });
      } finally {
        if (previous === undefined) delete process.env.JIT_GPG_SCAN_WORKER;
        else process.env.JIT_GPG_SCAN_WORKER = previous;
      }
      assert.equal(code, 2, stderr);
      assert.match(stderr, /scan incomplete: \d+ items? could not be scanned/);
      assert.equal(JSON.parse(stdout).runs[0].invocations[0].executionSuccessful, false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

test('git modes on stdin or a single file are usage errors, not silently ignored', async () => {
  for (const argv of [
    ['scan', '-', '--mode', 'history'],
    ['scan', 'one.txt', '--mode', 'diff', '--base', 'HEAD~1'],
  ]) {
    const root = mkdtempSync(join(tmpdir(), 'jit-gpg-cli-mode-'));
    writeFileSync(join(root, 'one.txt'), 'nothing\n');
    const err = new PassThrough();
    let stderr = '';
    err.on('data', (d) => (stderr += d));
    const code = await runCli(argv, {
      stdout: new PassThrough(),
      stderr: err,
      stdin: Readable.from([Buffer.from('text\n')]),
      env: {},
      cwd: root,
      isTTY: false,
    });
    rmSync(root, { recursive: true, force: true });
    assert.equal(code, 2, argv.join(' '));
    assert.match(stderr, /scans a git repository, not (stdin|a single file)/);
  }
});
