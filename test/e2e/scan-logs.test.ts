// `mode: logs` and `revoke: github` of the scan action (dist/scan/main.js) through the runner harness, against the
// GitHub stand-in on 127.0.0.1 (GITHUB_API_URL points at it, so it is a GitHub Enterprise Server to the action:
// revocation is authenticated with `token`, whose default the harness evaluates to HARNESS_GITHUB_TOKEN).
// A run of three completed jobs (plus the scanning job, still running) whose logs are in the runner's format:
// a base64-encoded token, a registered secret masked as `***`, and a GitHub token printed in clear.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { fakeChecksummed } from '../../src/scan/validate/checksum.ts';
import { ACTIONS, createJob, findLeaks, HARNESS_GITHUB_TOKEN, type Job, repoRoot, runAction } from './harness.ts';
import { type GitHubStandIn, type StandInJob, startGitHubStandIn } from './services/github.ts';

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsPlugin as unknown as { default?: AddFormats }).default ??
  addFormatsPlugin) as unknown as AddFormats;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(
  JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'sarif-2.1.0-schema.json'), 'utf8')),
);

const RUN_ID = 1234567890; // the harness's GITHUB_RUN_ID
const CLEAR = fakeChecksummed('ghp_', 'e2e-logs-clear');
const ENCODED = fakeChecksummed('gho_', 'e2e-logs-encoded');
const REGISTERED = fakeChecksummed('ghp_', 'e2e-logs-registered'); // masked by the runner: never in a log
const BASE64 = Buffer.from(JSON.stringify({ registry: 'ghcr.io', auth: ENCODED })).toString('base64');
const SECRETS = [CLEAR, ENCODED, REGISTERED, BASE64];

const t = (s: string) => `2026-12-05T17:${s}Z`;
const log = (lines: [string, string][]) => `\uFEFF${lines.map(([time, text]) => `${t(time)} ${text}`).join('\n')}\n`;
const setUp = (time: string): [string, string][] => [
  [`${time}.0812345`, 'Current runner version: 2.330.0'],
  [`${time}.0823456`, '##[group]Operating System'],
  [`${time}.0823999`, 'Ubuntu 24.04.3 LTS'],
  [`${time}.0824000`, '##[endgroup]'],
  [`${time}.0901234`, 'Secret source: Actions'],
];
const steps = (...s: [string, string, string][]) =>
  s.map(([name, from, to], i) => ({ name, number: i + 1, started_at: t(from), completed_at: t(to) }));

const JOBS: StandInJob[] = [
  {
    id: 9001,
    name: 'build',
    steps: steps(
      ['Set up job', '08:20', '08:21'],
      ['Print registry config', '08:21', '08:24'],
      ['Complete job', '08:24', '08:24'],
    ),
    log: log([
      ...setUp('08:20'),
      ['08:21.5012345', '##[group]Run ./scripts/print-config.sh'],
      ['08:21.5012345', './scripts/print-config.sh'],
      ['08:21.5023456', 'shell: /usr/bin/bash -e {0}'],
      ['08:21.5023456', '##[endgroup]'],
      ['08:22.1234567', `docker config: ${BASE64}`], // line 10
      ['08:24.0000000', 'Cleaning up orphan processes'],
    ]),
  },
  {
    id: 9002,
    name: 'test (node 24)',
    steps: steps(['Set up job', '08:20', '08:21'], ['Run tests', '08:21', '08:30'], ['Complete job', '08:30', '08:30']),
    log: log([
      ...setUp('08:20'),
      ['08:21.2000000', '##[group]Run npm test'],
      ['08:21.2000000', 'npm test'],
      ['08:21.2000000', 'env:'],
      ['08:21.2000000', '  NPM_TOKEN: ***'],
      ['08:21.2000000', '##[endgroup]'],
      ['08:25.0000000', 'registry auth: Authorization: Bearer ***'],
      ['08:25.0000000', 'password=*** user=ci'],
      ['08:30.0000000', 'Cleaning up orphan processes'],
    ]),
  },
  {
    id: 9003,
    name: 'deploy',
    steps: steps(['Set up job', '08:20', '08:21'], ['Checkout', '08:21', '08:22'], ['Deploy', '08:22', '08:29']),
    log: log([
      ...setUp('08:20'),
      ['08:21.3000000', '##[group]Run actions/checkout@v4'],
      ['08:21.3000000', 'with:'],
      ['08:21.9000000', '##[endgroup]'],
      ['08:22.1000000', '##[group]Run ./deploy.sh'],
      ['08:22.1000000', './deploy.sh'],
      ['08:22.1000000', '##[endgroup]'],
      ['08:23.4000000', `+ curl -H 'Authorization: token ${CLEAR}' https://api.github.com/user`], // line 12
    ]),
  },
  { id: 9004, name: 'scan logs', status: 'in_progress', steps: steps(['Set up job', '08:30', '08:31']) },
];

describe('scan action, mode logs, through the runner harness', {
  skip: !existsSync(ACTIONS.scan.main) && 'run npm run bundle',
}, () => {
  let gh: GitHubStandIn;
  const jobs: Job[] = [];
  const runLogs = async (inputs: Record<string, string>) => {
    const job = createJob('jit-gpg-scan-logs-');
    jobs.push(job);
    const { main } = await runAction({
      action: 'scan',
      job,
      inputs: { mode: 'logs', ...inputs },
      env: { GITHUB_API_URL: gh.url },
      secrets: [...SECRETS, HARNESS_GITHUB_TOKEN],
    });
    return { main, job };
  };
  before(async () => {
    gh = await startGitHubStandIn({ token: HARNESS_GITHUB_TOKEN });
    gh.addRun('octo-org', 'octo-repo', RUN_ID, JOBS);
  });
  after(async () => {
    await gh.close();
    for (const j of jobs) j.cleanup();
  });

  let run: Awaited<ReturnType<typeof runLogs>>;
  before(async () => {
    run = await runLogs({});
  });

  test('reports exactly the two unmasked tokens, at job, step and line; nothing for ***', () => {
    const { main } = run;
    assert.equal(main.exitCode, 1, main.log);
    assert.equal(main.outputs.findings, '2');
    const findings = main.annotations.filter((a) => a.level === 'error' && !a.message.startsWith('jit-gpg scan:'));
    assert.deepEqual(
      findings.map((a) => a.message.replace(/: ([a-z]{3}_)\*{4}/, ': $1****')),
      [
        'GitHub OAuth access token: gho_**** (validated) [github-oauth-token] in job "build", step "Print registry config", line 10: https://github.com/octo-org/octo-repo/actions/runs/1234567890/job/9001#step:2:5',
        'GitHub personal access token (classic): ghp_**** (validated) [github-pat-classic] in job "deploy", step "Deploy", line 12: https://github.com/octo-org/octo-repo/actions/runs/1234567890/job/9003#step:3:4',
      ],
    );
    const failure = main.annotations.find((a) => a.message.startsWith('jit-gpg scan:'))!;
    assert.match(failure.message, /2 secrets found in the run's logs\. Rotate each one first/);
    assert.match(main.log, /job "scan logs" not scanned: in_progress/);
    assert.deepEqual(main.leaks, []);
    assert.equal(gh.revocations.length, 0, 'revoke defaults to none: nothing is submitted');
  });

  test('SARIF: logs/<job name>.log at the line; JSON report and summary link to the step line', () => {
    const { main } = run;
    const sarifText = readFileSync(main.outputs.sarif!, 'utf8');
    const sarif = JSON.parse(sarifText);
    assert.ok(validateSarif(structuredClone(sarif)), JSON.stringify(validateSarif.errors));
    const where = sarif.runs[0].results.map(
      (r: {
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
      }) =>
        `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`,
    );
    assert.deepEqual(where, ['logs/build.log:10', 'logs/deploy.log:12']);
    const report = readFileSync(main.outputs.report!, 'utf8');
    const json = JSON.parse(report);
    assert.deepEqual(json.findings[1].log, {
      job: 'deploy',
      jobId: 9003,
      step: 'Deploy',
      stepNumber: 3,
      url: 'https://github.com/octo-org/octo-repo/actions/runs/1234567890/job/9003#step:3:4',
    });
    assert.equal(json.findings[0].decoded, 'base64');
    assert.match(
      main.summary,
      /\[12\]\(https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/1234567890\/job\/9003#step:3:4\)/,
    );
    assert.match(main.summary, /in step `Deploy`/);
    assert.match(main.summary, /stop the step from printing it and delete the run’s logs/);
    assert.match(main.summary, /- Logs: 3 completed jobs of the run scanned\./);
    assert.match(main.summary, /- Job "scan logs" not scanned: in\\_progress: its log is not complete yet/);
    for (const text of [sarifText, report, main.summary, main.log]) assert.deepEqual(findLeaks(text, SECRETS), []);
  });

  test('revoke github: the stand-in receives exactly the validated GitHub tokens, once each, in one batch', async () => {
    const before = gh.requests.length;
    const { main } = await runLogs({ revoke: 'github' });
    assert.equal(main.exitCode, 1, main.log);
    assert.deepEqual(gh.revocations, [[ENCODED, CLEAR]]);
    const revokes = gh.requests.slice(before).filter((r) => r.path === '/credentials/revoke');
    assert.equal(revokes.length, 1);
    assert.equal(revokes[0]!.authorization, `Bearer ${HARNESS_GITHUB_TOKEN}`, 'GHES: authenticated with `token`');
    const json = JSON.parse(readFileSync(main.outputs.report!, 'utf8'));
    for (const f of json.findings)
      assert.deepEqual(f.revocation, { submitted: true, status: 202, answer: 'accepted (HTTP 202)' });
    const sarif = JSON.parse(readFileSync(main.outputs.sarif!, 'utf8'));
    assert.equal(sarif.runs[0].results[0].properties.revocation.answer, 'accepted (HTTP 202)');
    assert.match(main.summary, /\*\*Revocation:\*\* 2 of 2 GitHub token findings accepted/);
    assert.match(main.log, /revocation: accepted \(HTTP 202\)/);
    assert.deepEqual(main.leaks, []);
  });

  test('revoke github: a 422 fails the step with what to do by hand', async () => {
    gh.setRevokeStatus(422);
    try {
      const { main } = await runLogs({ revoke: 'github', 'fail-on': 'none' });
      assert.equal(main.exitCode, 1, 'fails even with fail-on none');
      const failure = main.annotations.find((a) => a.message.startsWith('jit-gpg scan: revocation'));
      assert.ok(failure, main.log);
      assert.match(
        failure.message,
        /revocation of 2 GitHub tokens failed \(.*HTTP 422 \(Validation Failed\).*\); they are still live\. Revoke by hand now/,
      );
      const json = JSON.parse(readFileSync(main.outputs.report!, 'utf8'));
      assert.equal(json.findings[0].revocation.answer, 'refused (HTTP 422)');
      assert.deepEqual(main.leaks, []);
    } finally {
      gh.setRevokeStatus(202);
    }
  });

  test('a token without actions: read fails the step saying so', async () => {
    gh.denyActions('ghs_noActionsRead000000000000000000000');
    const { main } = await runLogs({ token: 'ghs_noActionsRead000000000000000000000' });
    assert.equal(main.exitCode, 1);
    assert.match(main.log, /HTTP 403 \(Resource not accessible by integration\); the token needs `actions: read`/);
    // The token reaches the raw output only in the ::add-mask:: command that registers it.
    const lines = main.raw.split('\n').filter((l) => l.includes('ghs_noActionsRead'));
    assert.deepEqual(lines, ['::add-mask::ghs_noActionsRead000000000000000000000']);
  });

  test('a hostile job or step name is printed, never obeyed', async () => {
    const evil = 'x\n::error title=pwned::injected\n##[group]forged';
    gh.addRun('octo-org', 'octo-repo', 4242, [
      {
        id: 9100,
        name: evil,
        steps: steps(['Set up job', '08:20', '08:21'], [evil, '08:21', '08:29']),
        log: log([
          ['08:21.1000000', '##[group]Run ./x.sh'],
          ['08:22.0000000', `token ${CLEAR}`],
        ]),
      },
    ]);
    const { main } = await runLogs({ 'run-id': '4242' });
    assert.equal(main.exitCode, 1);
    assert.ok(!main.annotations.some((a) => a.title === 'pwned' || a.message === 'injected'), main.log);
    assert.ok(!main.groups.includes('forged'));
    const finding = main.annotations.find((a) => a.message.includes('[github-pat-classic]'))!;
    assert.match(finding.message, /in job "x\\n::error title=pwned::injected\\n#\\x23\[group\]forged", step "x\\n/);
    const json = JSON.parse(readFileSync(main.outputs.report!, 'utf8'));
    assert.equal(json.findings[0].file, 'logs/x_::error title=pwned::injected_##[group]forged.log');
    assert.equal(json.findings[0].log.job, evil, 'the JSON report keeps the name as the API gave it');
  });

  test('bad inputs name the input: run-id, revoke', async () => {
    const badRun = await runLogs({ 'run-id': 'latest' });
    assert.equal(badRun.main.exitCode, 1);
    assert.match(
      badRun.main.log,
      /input `run-id` must be a workflow run id \(a positive integer\); remove it to scan this run/,
    );
    const badRevoke = await runLogs({ revoke: 'all' });
    assert.equal(badRevoke.main.exitCode, 1);
    assert.match(badRevoke.main.log, /input `revoke` must be one of none, github/);
  });

  test('a log that cannot be fetched fails the run', async () => {
    gh.fail({ path: /\/actions\/jobs\/9002\/logs$/, status: 404, times: 5 });
    const { main } = await runLogs({ 'fail-on': 'none' });
    assert.equal(main.exitCode, 1, main.log);
    assert.match(main.log, /logs\/test \(node 24\)\.log: log not scanned: .*HTTP 404/);
    assert.match(main.log, /scan incomplete: 1 item could not be scanned/);
  });
});
