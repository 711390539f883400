// sources/logs.ts: the runner's log format (timestamp prefixes, BOM, `##[group]`), lines mapped to the steps whose
// times enclose them, and `mode: logs` end to end through runScanJob against the GitHub stand-in: findings at job,
// step and line with a link, `***` masks never a finding, a log that cannot be fetched fails the scan.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runScanJob } from '../../src/scan/job.ts';
import { logPath, prepareLog, timestampPrefix } from '../../src/scan/sources/logs.ts';
import { fakeChecksummed } from '../../src/scan/validate/checksum.ts';
import type { WorkflowStep } from '../../src/shared/github.ts';
import { type GitHubStandIn, type StandInJob, startGitHubStandIn } from '../e2e/services/github.ts';

const at = (hms: string, frac = '1234567') => `2026-12-05T${hms}.${frac}Z`;
const logOf = (lines: [string, string][]) => lines.map(([t, text]) => `${t} ${text}`).join('\n');
const step = (number: number, name: string, from: string, to: string): WorkflowStep => ({
  number,
  name,
  status: 'completed',
  conclusion: 'success',
  startedAt: Date.parse(`2026-12-05T${from}Z`),
  completedAt: Date.parse(`2026-12-05T${to}Z`),
});

test('timestampPrefix reads the runner prefix (any fraction), and nothing else', () => {
  const out = { sec: 0 };
  const read = (s: string) => {
    const b = Buffer.from(s);
    return timestampPrefix(b, 0, b.length, out);
  };
  assert.equal(read('2026-12-05T17:08:26.1234567Z hello'), 29);
  assert.equal(out.sec, Date.parse('2026-12-05T17:08:26Z') / 1000);
  assert.equal(read('2026-12-05T17:08:26Z hello'), 21);
  assert.equal(read('2026-12-05T17:08:26.5Z'), 22, 'an empty line after the prefix');
  assert.equal(read('2026-12-05 17:08:26.1Z x'), 0);
  assert.equal(read('2026-12-05T17:08:26.Z x'), 0);
  assert.equal(read('2026-12-05T17:08:26.1234567Zx'), 0, 'the prefix ends with a space');
  assert.equal(read('token=2026-12-05T17:08:26Z'), 0);
  assert.equal(read('short'), 0);
});

test('prepareLog cuts prefixes and the BOM in place, keeping every line', () => {
  const raw = Buffer.from(
    `\uFEFF${logOf([
      [at('17:08:20'), 'Current runner version: 2.330.0'],
      [at('17:08:20'), '##[group]Operating System'],
    ])}\nno timestamp here\n${at('17:08:21')} \n${at('17:08:21')} last`,
  );
  const p = prepareLog(raw, []);
  assert.equal(
    p.data.toString(),
    'Current runner version: 2.330.0\n##[group]Operating System\nno timestamp here\n\nlast',
  );
  assert.equal(p.lines, 5);
});

test('lines belong to the step whose times enclose them; a ##[group] opens the next step in a shared second', () => {
  const steps = [
    step(1, 'Set up job', '17:08:20', '17:08:21'),
    step(2, 'Run actions/checkout@v4', '17:08:21', '17:08:23'),
    step(3, 'Run tests', '17:08:23', '17:08:30'),
    step(4, 'Complete job', '17:08:30', '17:08:30'),
  ];
  const raw = Buffer.from(
    logOf([
      [at('17:08:20'), 'Current runner version'], // 1: Set up job
      [at('17:08:21', '1000000'), 'Secret source: Actions'], // 2: still Set up job (shared second, no group)
      [at('17:08:21', '2000000'), '##[group]Run actions/checkout@v4'], // 3: checkout starts
      [at('17:08:22'), 'Syncing repository'], // 4
      [at('17:08:23'), '##[group]Run npm test'], // 5: tests start in the shared second
      [at('17:08:23', '5000000'), 'npm test'], // 6
      [at('17:08:27'), 'ok 1'], // 7
    ]) +
      '\ncontinued output without a prefix\n' +
      `${at('17:08:30')} Cleaning up orphan processes`,
  );
  const p = prepareLog(raw, steps);
  const names = Array.from({ length: p.lines }, (_, i) => steps[p.stepOf(i + 1)]?.name);
  assert.deepEqual(names, [
    'Set up job',
    'Set up job',
    'Run actions/checkout@v4',
    'Run actions/checkout@v4',
    'Run tests',
    'Run tests',
    'Run tests',
    'Run tests',
    'Run tests', // 17:08:30 is still inside Run tests (it ends that second); Complete job has no group line
  ]);
  assert.equal(p.firstLine.get(2), 5, 'Run tests starts at line 5');
});

test('a line outside every step belongs to none', () => {
  const p = prepareLog(Buffer.from(`${at('18:00:00')} late`), [step(1, 'A', '17:00:00', '17:00:01')]);
  assert.equal(p.stepOf(1), -1);
});

test('logPath keeps the job name but no path separators or control characters', () => {
  assert.equal(logPath('build (ubuntu, 22)'), 'logs/build (ubuntu, 22).log');
  assert.equal(logPath('call / test'), 'logs/call _ test.log');
  assert.equal(logPath('../../etc/passwd\n::error::x'), 'logs/.._.._etc_passwd_::error::x.log');
});

describe('mode logs through runScanJob, against the GitHub stand-in', () => {
  let gh: GitHubStandIn;
  const ghp = fakeChecksummed('ghp_', 'logs-unit-ghp');
  const gho = fakeChecksummed('gho_', 'logs-unit-gho');
  const encoded = Buffer.from(JSON.stringify({ auth: gho })).toString('base64');
  const steps = [
    { name: 'Set up job', number: 1, started_at: '2026-12-05T17:08:20Z', completed_at: '2026-12-05T17:08:21Z' },
    { name: 'Print config', number: 2, started_at: '2026-12-05T17:08:21Z', completed_at: '2026-12-05T17:08:25Z' },
    { name: 'Complete job', number: 3, started_at: '2026-12-05T17:08:25Z', completed_at: '2026-12-05T17:08:26Z' },
  ];
  const job = (id: number, name: string, lines: [string, string][], extra: Partial<StandInJob> = {}): StandInJob => ({
    id,
    name,
    started_at: '2026-12-05T17:08:20Z',
    steps,
    log: `\uFEFF${logOf(lines)}\n`,
    ...extra,
  });
  before(async () => {
    gh = await startGitHubStandIn();
    gh.addRun('octo-org', 'octo-repo', 77, [
      job(1, 'build', [
        [at('17:08:20'), 'Current runner version'],
        [at('17:08:21', '5'), '##[group]Run ./print-config.sh'],
        [at('17:08:21', '6'), './print-config.sh'],
        [at('17:08:21', '7'), '##[endgroup]'],
        [at('17:08:22'), `config: ${encoded}`],
      ]),
      job(2, 'test', [
        [at('17:08:20'), 'Current runner version'],
        [at('17:08:21', '5'), '##[group]Run npm test'],
        [at('17:08:21', '6'), 'env:'],
        [at('17:08:21', '7'), '  GITHUB_TOKEN: ***'],
        [at('17:08:21', '8'), '##[endgroup]'],
        [at('17:08:23'), 'password=*** user=admin'],
        [at('17:08:23'), 'DB_PASSWORD=***Xy9kLm2Qp8Zr4Tw'], // a registered part masked: the rest is no finding
        [at('17:08:23'), 'curl https://admin:***@registry.example.com/v2/'],
        [at('17:08:24'), `using token ${ghp} for the API`],
      ]),
      job(3, 'lint (node 24)', [
        [at('17:08:20'), 'Current runner version'],
        [at('17:08:21', '5'), '##[group]Run npm run lint'],
        [at('17:08:22'), 'Authorization: Bearer ***'],
      ]),
      job(4, 'scan', [], { status: 'in_progress', log: undefined }),
      job(5, 'deploy', [], { conclusion: 'skipped', steps: [], log: undefined }),
    ]);
  });
  after(() => gh.close());

  const run = (runId: number, extra: Partial<Parameters<typeof runScanJob>[0]> = {}) => {
    const warnings: string[] = [];
    const notices: string[] = [];
    return runScanJob({
      root: process.cwd(),
      mode: 'logs',
      configSearch: [],
      cwd: process.cwd(),
      env: {},
      threads: 1,
      logs: { repo: 'octo-org/octo-repo', runId, serverUrl: 'https://github.com' },
      github: { apiUrl: gh.url, token: gh.token, sleep: async () => {} },
      onWarning: (m) => warnings.push(m),
      onNotice: (m) => notices.push(m),
      ...extra,
    }).then((job) => ({ job, warnings, notices }));
  };

  test('reports the clear and the base64 token at job, step and line; nothing for ***', async () => {
    const { job, notices } = await run(77);
    const got = job.result.findings.map((f) => ({
      file: f.file,
      line: f.line,
      rule: f.ruleId,
      decoded: f.decoded,
      log: f.log,
    }));
    assert.deepEqual(got, [
      {
        file: 'logs/build.log',
        line: 5,
        rule: 'github-oauth-token',
        decoded: 'base64',
        log: {
          job: 'build',
          jobId: 1,
          step: 'Print config',
          stepNumber: 2,
          url: 'https://github.com/octo-org/octo-repo/actions/runs/77/job/1#step:2:4',
        },
      },
      {
        file: 'logs/test.log',
        line: 9,
        rule: 'github-pat-classic',
        decoded: undefined,
        log: {
          job: 'test',
          jobId: 2,
          step: 'Print config',
          stepNumber: 2,
          url: 'https://github.com/octo-org/octo-repo/actions/runs/77/job/2#step:2:8',
        },
      },
    ]);
    const f = job.result.findings[1]!;
    assert.equal(f.column, 'using token '.length + 1, 'columns are those of the line without its timestamp');
    assert.equal(job.logs?.jobs, 3);
    assert.deepEqual(
      job.logs?.skipped.map((s) => s.job),
      ['scan', 'deploy'],
    );
    assert.ok(notices.some((n) => /job "scan" not scanned: in_progress/.test(n)));
    assert.equal(job.result.stats.failed, 0);
    assert.equal(job.result.secrets, undefined, 'no secret leaves the engine without revoke');
    assert.ok(!JSON.stringify(job).includes(ghp.slice(4)));
  });

  test('jobs whose names collide as paths keep separate files', async () => {
    gh.addRun('octo-org', 'octo-repo', 79, [
      job(21, 'a/b', [[at('17:08:22'), `token ${ghp}`]]),
      job(22, 'a_b', [[at('17:08:22'), `token ${ghp}`]]),
      job(23, 'a_b (22)', [[at('17:08:22'), `token ${ghp}`]]),
    ]);
    const { job: scanned } = await run(79);
    // One secret in three logs: one finding, the other two places in `locations`, each naming its job and step.
    const [f] = scanned.result.findings;
    assert.equal(scanned.result.findings.length, 1);
    assert.deepEqual(
      [f!, ...(f!.locations ?? [])].map((p) => [p.file, p.log?.jobId, p.log?.step]),
      [
        ['logs/a_b (22) (23).log', 23, 'Print config'],
        ['logs/a_b (22).log', 22, 'Print config'],
        ['logs/a_b.log', 21, 'Print config'],
      ],
    );
  });

  test('a log that cannot be fetched is named and fails the scan; the others are still reported', async () => {
    gh.addRun('octo-org', 'octo-repo', 78, [
      job(11, 'ok', [[at('17:08:22'), `token ${ghp}`]]),
      job(12, 'gone', [[at('17:08:22'), 'x']], { log: undefined }),
    ]);
    const { job: scanned, warnings } = await run(78);
    assert.equal(scanned.result.stats.failed, 1);
    assert.equal(scanned.result.findings.length, 1);
    assert.ok(
      warnings.some((w) => /^logs\/gone\.log: log not scanned: .*HTTP 404/.test(w)),
      warnings.join('\n'),
    );
  });

  test('a token without actions: read fails with what to change', async () => {
    gh.denyActions('ghs_noactions000000000000000000000000');
    await assert.rejects(
      run(77, { github: { apiUrl: gh.url, token: 'ghs_noactions000000000000000000000000' } }),
      /HTTP 403 .*the token needs `actions: read`/,
    );
  });

  test('mode logs needs OWNER/REPO and a run id; not on stdin or a file', async () => {
    await assert.rejects(
      run(77, { logs: { repo: 'nope', runId: 77, serverUrl: 'https://github.com' } }),
      /needs the repository as OWNER\/REPO/,
    );
    await assert.rejects(run(0), /needs the run id/);
    await assert.rejects(
      run(77, { file: 'package.json' }),
      /--mode logs fetches a workflow run's logs, not a single file/,
    );
  });

  test('max-file-size does not apply to a log', async () => {
    const { job } = await run(77, { maxFileSize: 10 });
    assert.equal(job.result.findings.length, 2);
    assert.equal(job.result.stats.skippedLarge, 0);
  });
});
