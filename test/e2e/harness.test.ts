// The harness is the judge of every e2e test, so it is proven first: against hand-written expectations of the
// runner's formats, and by running a probe action built on the real @actions/core.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startOidcIssuer } from './services/oidc-issuer.ts';
import { join } from 'node:path';
import {
  createJob,
  findLeaks,
  foreignCommands,
  inputEnvName,
  parseFileCommand,
  parseLegacyCommand,
  parseWorkflowCommand,
  runnerLines,
  repoRoot,
  runStep,
  SecretMasker,
} from './harness.ts';

describe('runner protocol (hand-written expectations)', () => {
  it('names input variables as the runner does', () => {
    assert.equal(inputEnvName('greeting words'), 'INPUT_GREETING_WORDS');
    assert.equal(inputEnvName('if-no-files-found'), 'INPUT_IF-NO-FILES-FOUND');
  });
  it('parses single-line and heredoc file commands', () => {
    const text = 'a=1\nb<<ghadelimiter_x\nline 1\nline 2\nghadelimiter_x\nc=x=y\n';
    assert.deepEqual(parseFileCommand(text), { a: '1', b: 'line 1\nline 2', c: 'x=y' });
  });
  it('rejects an unterminated heredoc and a malformed line', () => {
    assert.throws(() => parseFileCommand('b<<EOF\nno end\n'), /closing delimiter/);
    assert.throws(() => parseFileCommand('just text\n'), /invalid line/);
  });
  it('parses workflow commands with escaped properties and data', () => {
    const cmd = parseWorkflowCommand('::error file=src/a.ts,line=3,col=2,title=A%2C B%3A C::50%25 done%0Anext');
    assert.deepEqual(cmd, {
      command: 'error',
      properties: { file: 'src/a.ts', line: '3', col: '2', title: 'A, B: C' },
      message: '50% done\nnext',
    });
    assert.equal(parseWorkflowCommand('plain :: text'), undefined);
    assert.deepEqual(parseWorkflowCommand('::endgroup::'), { command: 'endgroup', properties: {}, message: '' });
  });
  it('parses commands as the runner does: leading whitespace, `:` in properties, registered names only', () => {
    assert.equal(parseWorkflowCommand(' \t::warning file=a:b.txt::x')?.properties.file, 'a:b.txt');
    assert.equal(parseWorkflowCommand('::not-a-command::x'), undefined);
    assert.equal(parseWorkflowCommand('::pwned-token::', ['pwned-token'])?.command, 'pwned-token');
    assert.equal(parseWorkflowCommand('x ::error::y'), undefined);
  });
  it('splits lines where the runner does, including a lone carriage return', () => {
    assert.deepEqual(runnerLines('a\r::error::b\r\nc\nd'), ['a', '::error::b', 'c', 'd']);
  });
  it('finds the legacy ##[ form anywhere in a line', () => {
    assert.equal(parseLegacyCommand('file.txt ##[add-mask]value'), 'add-mask');
    assert.equal(parseLegacyCommand('##[unknown]x ##[error]y'), 'error');
    assert.equal(parseLegacyCommand('no ##[ close'), undefined);
  });
  it('reports commands the project did not issue, and none inside a stop-commands block', () => {
    const own = ['error', 'stop-commands'];
    assert.deepEqual(foreignCommands('::error::ok\n  ::warning::x\nplain\nq ##[error]z', ['error']), [
      '  ::warning::x',
      'q ##[error]z',
    ]);
    assert.deepEqual(foreignCommands('::stop-commands::tok\n::warning::quoted\n::tok::\n::notice::after', own), [
      '::notice::after',
    ]);
    assert.deepEqual(foreignCommands('a\r::stop-commands::x', ['error']), ['::stop-commands::x']);
  });
  it('masks registered values and each line of a multi-line value, longest first', () => {
    const m = new SecretMasker();
    m.add('abc');
    m.add('abcdef');
    m.add('first line\n  second line  \n');
    assert.equal(m.mask('x abcdef y abc z'), 'x *** y *** z');
    assert.equal(m.mask('second line'), '***');
    m.add('   ');
    assert.ok(!m.values.includes('   '));
  });
  it('finds leaks of whole secrets and of meaningful lines of multi-line ones', () => {
    const key =
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQVYBGV0ZXN0c2VjcmV0\nabcdefghijkl\n-----END PGP PRIVATE KEY BLOCK-----';
    assert.deepEqual(findLeaks('nothing here', [key, 'tok123456']), []);
    assert.deepEqual(findLeaks('x abcdefghijkl y', [key]), ['abcdefghijkl']);
    assert.deepEqual(findLeaks('tok123456', ['tok123456']), ['tok123456']);
  });
});

describe('probe action through the harness (real @actions/core under Node 24)', () => {
  const probe = join(repoRoot, 'test', 'e2e', 'fixtures', 'probe');
  const job = createJob();
  after(() => job.cleanup());
  const step = (script: 'main.mjs' | 'post.mjs', inputs: Record<string, string>, extra = {}) =>
    runStep({ job, metadata: join(probe, 'action.yml'), script: join(probe, script), inputs, ...extra });

  it('delivers inputs with spaces, round-trips outputs (multi-line too), env, summary, annotations, groups', async () => {
    const r = await step('main.mjs', { 'greeting words': 'hi there', 'multi-line-value': 'one\ntwo\nthree' });
    assert.equal(r.exitCode, 0, r.raw);
    assert.equal(r.outputs.greeting, 'hi there');
    assert.equal(r.outputs.multi, 'one\ntwo\nthree');
    assert.equal(r.env.PROBE_VAR, 'exported');
    assert.match(r.summary, /<h1>Probe summary<\/h1>/);
    assert.deepEqual(r.groups, ['probe']);
    assert.deepEqual(r.annotations, [
      {
        level: 'error',
        message: 'something is wrong: 50% done, a:b',
        file: 'src/a.ts',
        line: 3,
        col: 2,
        title: 'Probe, title',
      },
    ]);
  });

  it('applies action.yml defaults to unset inputs', async () => {
    const r = await step('main.mjs', {});
    assert.equal(r.outputs.greeting, 'hello');
    assert.equal(r.outputs.multi, '');
  });

  it('refuses an input the action does not declare', async () => {
    await assert.rejects(step('main.mjs', { bogus: 'x' }), /not declared/);
  });

  it('hands state saved in main to post, and runs post after main exits non-zero', async () => {
    const main = await step('main.mjs', { fail: 'true' });
    assert.equal(main.exitCode, 1);
    assert.deepEqual(main.state, { token: 'state-from-main', multi: 'line one\nline two' });
    const post = await step('post.mjs', {}, { state: main.state });
    assert.equal(post.exitCode, 0);
    assert.equal(post.outputs.restored, 'state-from-main');
    assert.match(post.log, /post sees state: state-from-main \/ "line one\\nline two"/);
  });

  it('reports a secret printed before its ::add-mask:: as a leak', async () => {
    const secret = 'hvs.CAESIJx7a1b2c3d4e5f6';
    const r = await step('main.mjs', { 'leak-mode': 'before-mask', secret }, { secrets: [secret] });
    assert.deepEqual(r.leaks, [secret]);
  });

  it('does not report the same secret printed after a proper mask (stdout and stderr)', async () => {
    const secret = 'hvs.CAESIJx7a1b2c3d4e5f6';
    const r = await step('main.mjs', { 'leak-mode': 'masked', secret }, { secrets: [secret] });
    assert.deepEqual(r.leaks, []);
    assert.match(r.log, /value: \*\*\*/);
    assert.match(r.log, /stderr value: \*\*\*/);
  });

  it('reports one line of a multi-line secret left unmasked', async () => {
    const secret = 'lQVYBGV0ZXN0c2VjcmV0aaaa\nmQINBGV0ZXN0c2VjcmV0bbbb\nzzTHISLINEISNOTMASKED99';
    const r = await step('main.mjs', { 'leak-mode': 'partial-mask', secret }, { secrets: [secret] });
    assert.deepEqual(r.leaks, ['zzTHISLINEISNOTMASKED99']);
  });

  it('masks every line of a multi-line secret registered whole (as the runner does)', async () => {
    const secret = 'lQVYBGV0ZXN0c2VjcmV0aaaa\nmQINBGV0ZXN0c2VjcmV0bbbb';
    const r = await step('main.mjs', { 'leak-mode': 'masked', secret }, { secrets: [secret] });
    assert.deepEqual(r.leaks, []);
  });

  it('serves the OIDC token endpoint: @actions/core appends &audience= to a URL that has a query', async () => {
    const issuer = await startOidcIssuer({ owner: 'octo-org', repo: 'octo-repo' });
    try {
      const r = await step('main.mjs', { 'oidc-audience': 'jit-gpg' }, { oidc: issuer });
      assert.equal(r.exitCode, 0, r.log);
      assert.equal(r.outputs['oidc-aud'], 'jit-gpg');
      assert.equal(r.outputs['oidc-repository'], 'octo-org/octo-repo');
      // getIDToken masks the token itself, so the harness sees it as masked, not leaked.
      assert.match(r.log, /token: \*\*\*/);
      assert.equal(issuer.issuedTokens.length, 1);
      assert.deepEqual(findLeaks(r.log, issuer.issuedTokens), []);
      assert.ok(r.raw.includes(issuer.issuedTokens[0]!), 'the raw output did print it (masked afterwards)');
    } finally {
      await issuer.close();
    }
  });

  it('runs under Node 24', async () => {
    const r = await runStep({
      job,
      metadata: join(probe, 'action.yml'),
      script: join(repoRoot, 'test', 'e2e', 'fixtures', 'print-version.mjs'),
    });
    assert.match(r.log, /^v24\./m);
  });
});
