// The scan action (dist/scan/main.js) driven through the runner harness as GitHub runs it: planted secrets are
// annotated at their file and line, a schema-valid SARIF and the JSON report are written, `findings` is set and the
// step fails; a clean tree passes; bad inputs fail with a message naming the input; no secret value appears in the
// masked log, the outputs, the summary or the reports. Planted secrets match a custom rule from the tree's own
// config, built from parts at run time.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { loadRegexEngine } from '../../src/scan/regex/index.ts';
import { builtinRules } from '../../src/scan/rules/index.ts';
import { POOL_MIN_FILES } from '../../src/scan/worker-thread.ts';
import { ACTIONS, createJob, findLeaks, type Job, moduleRecorder, repoRoot, runAction } from './harness.ts';

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsPlugin as unknown as { default?: AddFormats }).default ??
  addFormatsPlugin) as unknown as AddFormats;
const schema = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'sarif-2.1.0-schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

const PREFIX = ['zq', 'tk_'].join('');
const SECRETS = {
  env: `${PREFIX}${'k3J9x0Q2m8V7b6N5c4Z1l0P9o8I7u6Y5'}`,
  yaml: `${PREFIX}${'Qw7Er5Ty3Ui1Op9As8Df6Gh4Jk2Lz0Xc'}`,
  code: `${PREFIX}${'Mn8Bv6Cx4Zl2Kj0Hg9Fd7Sa5Po3Iu1Yt'}`,
};
const ALL = Object.values(SECRETS);

// The built-in catalogue is switched off in these trees so exact counts depend only on the custom rule (a generic
// rule may also flag `TOKEN=…` lines); a separate test plants the catalogue's own examples.
const CONFIG = [
  ...builtinRules.flatMap((r) => [`[rules.${r.id}]`, 'enabled = false']),
  '[[rules.custom]]',
  'id = "zq-token"',
  'title = "ZQ test token"',
  'severity = "critical"',
  `keywords = ["${PREFIX}"]`,
  `pattern = '\\b(${PREFIX}[A-Za-z0-9]{32})\\b'`,
  '',
].join('\n');

function plant(job: Job, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    const abs = join(job.workspace, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

/** file → line of each planted secret. */
const EXPECTED: Array<{ file: string; line: number; secret: string }> = [
  { file: 'app/settings.env', line: 3, secret: SECRETS.env },
  { file: 'deploy/values.yaml', line: 4, secret: SECRETS.yaml },
  { file: 'src/client.ts', line: 2, secret: SECRETS.code },
];

function noSecretsIn(text: string, where: string) {
  assert.deepEqual(findLeaks(text, ALL), [], `no secret in ${where}`);
  for (const s of ALL) assert.ok(!text.includes(s.slice(4)), `no part of a secret beyond the preview in ${where}`);
}

describe('scan action through the runner harness', {
  skip: !existsSync(ACTIONS.scan.main) && 'run npm run bundle',
}, () => {
  const jobs: Job[] = [];
  const newJob = () => {
    const j = createJob('jit-gpg-scan-e2e-');
    jobs.push(j);
    return j;
  };
  after(() => {
    for (const j of jobs) j.cleanup();
  });

  let planted: Job;
  let run: Awaited<ReturnType<typeof runAction>>;
  before(async () => {
    planted = newJob();
    plant(planted, {
      '.jit-gpg.toml': CONFIG,
      'app/settings.env': `# app\nDEBUG=1\nZQ_TOKEN=${SECRETS.env}\n`,
      'deploy/values.yaml': `image: app\nenv:\n  - name: ZQ\n    value: "${SECRETS.yaml}"\n`,
      'src/client.ts': `export const client = {\n  token: '${SECRETS.code}',\n};\n`,
      'README.md': '# nothing secret here\n',
    });
    run = await runAction({ action: 'scan', job: planted, secrets: ALL, inputs: {} });
  });

  test('the step fails with a message that says how many and what to do', () => {
    const { main } = run;
    assert.equal(main.exitCode, 1, main.log);
    const failure = main.annotations.find((a) => a.level === 'error' && a.message.startsWith('jit-gpg scan: '));
    assert.ok(failure, main.log);
    assert.match(failure.message, /3 secrets found/);
    assert.match(failure.message, /Rotate each one first/);
    assert.match(failure.message, /baseline/);
  });

  test('each planted secret is annotated at its file and line, with the title and preview only', () => {
    const ann = run.main.annotations.filter((a) => a.level === 'error' && a.file);
    assert.equal(ann.length, 3, JSON.stringify(run.main.annotations));
    for (const e of EXPECTED) {
      const a = ann.find((x) => x.file === e.file);
      assert.ok(a, `annotation for ${e.file}`);
      assert.equal(a.line, e.line, `${e.file} line`);
      assert.ok(a.col ?? 0 >= 1);
      assert.equal(a.title, 'ZQ test token');
      assert.match(a.message, new RegExp(`^ZQ test token: ${e.secret.slice(0, 4)}\\*{4}`));
    }
  });

  test('outputs: findings, sarif (schema-valid), report (JSON in RUNNER_TEMP)', () => {
    const { outputs } = run.main;
    assert.equal(outputs.findings, '3');
    assert.equal(outputs.sarif, join(planted.runnerTemp, 'jit-gpg.sarif'));
    assert.equal(outputs.report, join(planted.runnerTemp, 'jit-gpg-report.json'));
    const sarifText = readFileSync(outputs.sarif!, 'utf8');
    const sarif = JSON.parse(sarifText) as { runs: Array<{ results: unknown[] }> };
    const ok = validateSarif(structuredClone(sarif));
    assert.ok(ok, JSON.stringify(validateSarif.errors));
    const results = sarif.runs[0]!.results as Array<{
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
    }>;
    assert.deepEqual(
      results
        .map(
          (r) =>
            `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`,
        )
        .sort(),
      EXPECTED.map((e) => `${e.file}:${e.line}`).sort(),
    );
    const reportText = readFileSync(outputs.report!, 'utf8');
    assert.equal(JSON.parse(reportText).findings.length, 3);
    noSecretsIn(sarifText, 'the SARIF');
    noSecretsIn(reportText, 'the JSON report');
  });

  test('job summary: a table per file with previews; groups make the log a checklist', () => {
    const { summary, groups } = run.main;
    assert.match(summary, /jit-gpg scan: 3 secrets found/);
    for (const e of EXPECTED) assert.ok(summary.includes(`### \`${e.file}\``), e.file);
    assert.ok(summary.includes(`\`${PREFIX.slice(0, 4)}****\``));
    assert.deepEqual(
      groups.map((g) => g.replace(/\(.*\)/, '()')),
      ['Settings', 'Scan the workspace', 'Reports', 'Findings ()'],
    );
  });

  test('no secret value in the recorded output, outputs, summary or reports', () => {
    const { main } = run;
    assert.deepEqual(main.leaks, []);
    noSecretsIn(main.raw, 'the raw log');
    noSecretsIn(main.summary, 'the summary');
  });

  test('a clean tree passes and says so', async () => {
    const job = newJob();
    plant(job, { '.jit-gpg.toml': CONFIG, 'a.txt': 'hello\n', 'docs/b.md': `the ${PREFIX} prefix alone\n` });
    const { main } = await runAction({ action: 'scan', job, secrets: ALL });
    assert.equal(main.exitCode, 0, main.log);
    assert.equal(main.outputs.findings, '0');
    assert.ok(existsSync(main.outputs.sarif!));
    assert.ok(validateSarif(JSON.parse(readFileSync(main.outputs.sarif!, 'utf8'))));
    assert.match(main.summary, /no secrets found/);
    assert.equal(main.annotations.filter((a) => a.level === 'error').length, 0);
  });

  test('a work-tree scan loads neither @actions/cache nor the portable regex engine (chunks of their own)', async () => {
    const job = newJob();
    plant(job, { '.jit-gpg.toml': CONFIG, 'a.txt': 'hello\n' });
    const recorder = moduleRecorder(job.dir);
    const { main } = await runAction({ action: 'scan', job, secrets: ALL, env: recorder.env });
    assert.equal(main.exitCode, 0, main.log);
    assert.ok(
      recorder.loaded().some((u) => u.endsWith('/dist/scan/main.js')),
      'the recorder saw the step',
    );
    assert.equal(recorder.holding('// node_modules/@actions/cache/'), false);
    assert.equal(recorder.holding('// node_modules/undici/'), false);
    assert.equal(recorder.holding('// node_modules/re2js/'), false);
  });

  test('the JSON report as baseline accepts the findings; fail-on none passes; a sub-path keeps workspace paths', async () => {
    const job = newJob();
    plant(job, {
      '.jit-gpg.toml': CONFIG,
      'svc/app/settings.env': `# app\nDEBUG=1\nZQ_TOKEN=${SECRETS.env}\n`,
    });
    const first = await runAction({ action: 'scan', job, secrets: ALL, inputs: { path: 'svc', 'fail-on': 'none' } });
    assert.equal(first.main.exitCode, 0, first.main.log);
    assert.equal(first.main.outputs.findings, '1');
    const a = first.main.annotations.find((x) => x.file);
    assert.equal(a?.file, 'svc/app/settings.env');
    const baseline = join(job.workspace, 'baseline.json');
    writeFileSync(baseline, readFileSync(first.main.outputs.report!));
    const second = await runAction({
      action: 'scan',
      job,
      secrets: ALL,
      inputs: { path: 'svc', baseline: 'baseline.json', sarif: 'out/scan.sarif', annotations: 'false' },
    });
    assert.equal(second.main.exitCode, 0, second.main.log);
    assert.equal(second.main.outputs.findings, '0');
    assert.equal(second.main.outputs.sarif, join(job.workspace, 'out', 'scan.sarif'));
    assert.match(second.main.summary, /1 finding accepted by the baseline/);
    assert.deepEqual(second.main.leaks, []);
  });

  test('many files go through the worker pool of the bundle and still land at the right line', async () => {
    const job = newJob();
    const files: Record<string, string> = { '.jit-gpg.toml': CONFIG };
    // Enough files that the scan starts its workers at once (POOL_MIN_FILES).
    for (let i = 0; i < POOL_MIN_FILES + 100; i++) {
      files[`d${i % 7}/f${i}.txt`] = 'filler\n'.repeat(i % 150) + (i === 77 ? `k=${SECRETS.env}\n` : 'x\n');
    }
    plant(job, files);
    const { main } = await runAction({ action: 'scan', job, secrets: ALL });
    assert.equal(main.exitCode, 1, main.log);
    assert.deepEqual(
      main.annotations.filter((a) => a.file).map((a) => `${a.file}:${a.line}`),
      ['d0/f77.txt:78'],
    );
    assert.match(main.log, new RegExp(`${POOL_MIN_FILES + 100} files \\(`));
    assert.deepEqual(main.leaks, []);
  });

  test('built-in rules: their own true-positive examples are annotated (validated) and never printed', async () => {
    const wanted = [
      'github-pat-classic',
      'npm-access-token',
      'aws-access-key-id',
      'slack-bot-token',
      'stripe-live-secret-key',
    ];
    const engine = loadRegexEngine();
    const picks = builtinRules
      .filter((r) => wanted.includes(r.id))
      .map((r) => ({ rule: r, example: r.examples.tp.find((t) => !t.includes('\n')) }))
      .filter((p): p is { rule: (typeof builtinRules)[number]; example: string } => p.example !== undefined);
    if (picks.length === 0) return; // catalogue not wired in this build
    const secrets: string[] = [];
    const files: Record<string, string> = {};
    for (const { rule, example } of picks) {
      // The secret is what the rule's own pattern captures: used only to prove it never leaks.
      const buf = Buffer.from(example);
      for (const m of engine.compile(rule.pattern, { caseInsensitive: rule.caseInsensitive }).matchAll(buf)) {
        const g = rule.secretGroup ?? (m.groups.length > 1 ? 1 : 0);
        const span = g === 0 ? [m.start, m.end] : m.groups[g];
        if (span) secrets.push(buf.subarray(span[0]!, span[1]).toString());
      }
      files[`config/${rule.id}.txt`] = `# ${rule.id}\n\n${example}\n`;
    }
    assert.ok(secrets.length >= picks.length, 'each example yields its secret');
    const job = newJob();
    plant(job, files);
    const { main } = await runAction({ action: 'scan', job, secrets, inputs: { 'fail-on': 'validated' } });
    assert.ok(main.annotations.filter((a) => a.file).length >= picks.length);
    for (const { rule } of picks) {
      const a = main.annotations.find((x) => x.file === `config/${rule.id}.txt` && x.message.includes(`[${rule.id}]`));
      assert.ok(a, `${rule.id} annotated: ${JSON.stringify(main.annotations)}`);
      assert.equal(a.line, 3, rule.id);
    }
    if (picks.some(({ rule }) => rule.validate)) {
      assert.equal(main.exitCode, 1, 'fail-on validated fails on validated findings');
      assert.match(main.summary, /✅/);
    }
    assert.deepEqual(main.leaks, []);
    for (const s of secrets) {
      assert.ok(s.length >= 8 && !main.raw.includes(s), 'secret not in the raw log');
      for (const path of [main.outputs.sarif!, main.outputs.report!]) {
        assert.ok(!readFileSync(path, 'utf8').includes(s), `secret not in ${path}`);
      }
    }
  });

  test('bad inputs fail with "jit-gpg scan:" and name the input', async () => {
    const job = newJob();
    plant(job, { 'a.txt': 'x\n' });
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'fail-on': 'sometimes' }, /^jit-gpg scan: input `fail-on` must be one of any, validated, none/],
      [{ mode: 'Worktree' }, /^jit-gpg scan: input `mode` must be one of .*did you mean "worktree"/],
      [{ mode: 'history' }, /^jit-gpg scan: input `mode`: .*not a git repository/],
      [{ mode: 'diff' }, /^jit-gpg scan: input `mode`: mode diff needs a base revision/],
      [{ annotations: 'yes' }, /^jit-gpg scan: input `annotations` must be true or false/],
      [{ path: 'nope' }, /^jit-gpg scan: input `path` points to .*nope, which does not exist/],
      [{ config: 'missing.toml' }, /^jit-gpg scan: input `config`: missing\.toml: config file not found/],
      [{ baseline: 'missing.json' }, /^jit-gpg scan: input `baseline`: baseline .*missing\.json: file not found/],
      [{ sarif: '.' }, /^jit-gpg scan: input `sarif` points to the directory /],
    ];
    for (const [inputs, re] of cases) {
      const { main } = await runAction({ action: 'scan', job, inputs });
      assert.equal(main.exitCode, 1, JSON.stringify(inputs));
      const err = main.annotations.find((a) => a.level === 'error');
      assert.ok(err && re.test(err.message), `${JSON.stringify(inputs)} → ${err?.message}`);
    }
  });

  test('a config error names file:line:field', async () => {
    const job = newJob();
    plant(job, { '.jit-gpg.toml': '[allow]\nregexes = ["ok", "(?<=x)y"]\n', 'a.txt': 'x\n' });
    const { main } = await runAction({ action: 'scan', job });
    assert.equal(main.exitCode, 1);
    const err = main.annotations.find((a) => a.level === 'error');
    assert.match(err?.message ?? '', /^jit-gpg scan: \.jit-gpg\.toml:2: allow\.regexes\[1\]: RE2 rejected/);
  });
});
