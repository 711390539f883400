// One finding per (rule, secret): grouping across files and lines (worktree), raw vs decoded spans and nesting
// (engine), and the JSON report's `locations`.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { defaultPolicy, scan, scanBuffer } from '../../src/scan/index.ts';
import { groupOccurrences } from '../../src/scan/occurrences.ts';
import { toJsonReport } from '../../src/scan/report/json.ts';
import type { Finding } from '../../src/scan/types.ts';
import { fakeChecksummed } from '../../src/scan/validate/checksum.ts';
import { fakeJwt, fx } from '../../src/scan/validate/structure.ts';

const tmp = mkdtempSync(join(tmpdir(), 'jit-gpg-occ-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const f = (file: string, line: number, extra: Partial<Finding> = {}): Finding => ({
  ruleId: 'r',
  title: 'R',
  severity: 'high',
  validated: false,
  file,
  line,
  column: 1,
  endLine: line,
  endColumn: 10,
  fingerprint: 'fp',
  preview: 'abcd****',
  ...extra,
});

describe('groupOccurrences', () => {
  test('keeps the first occurrence and lists the others in order, once each', () => {
    const out = groupOccurrences([
      f('b.env', 3),
      f('a.env', 9),
      f('a.env', 2),
      f('a.env', 2),
      f('c.env', 1, { fingerprint: 'other' }),
    ]);
    assert.deepEqual(
      out.map((x) => [x.file, x.line, (x.locations ?? []).map((l) => `${l.file}:${l.line}`)]),
      [
        ['a.env', 2, ['a.env:9', 'b.env:3']],
        ['c.env', 1, []],
      ],
    );
  });

  test('the same secret under two rules stays two findings; validated if any occurrence was', () => {
    const out = groupOccurrences([f('a', 1), f('a', 1, { ruleId: 's' }), f('b', 1, { validated: true })]);
    assert.equal(out.length, 2);
    assert.equal(out.find((x) => x.ruleId === 'r')?.validated, true);
  });

  test('places under an inline allow marker group apart from the others (a marked copy hides nothing)', () => {
    const out = groupOccurrences([f('a.env', 1, { inlineAllowed: true }), f('b.env', 1), f('c.env', 1)]);
    assert.deepEqual(
      out.map((x) => [x.file, x.inlineAllowed === true, (x.locations ?? []).map((l) => l.file)]),
      [
        ['a.env', true, []],
        ['b.env', false, ['c.env']],
      ],
    );
  });

  test('regrouping by another rank (history: commit order) moves the primary and keeps every place', () => {
    const once = groupOccurrences([f('a', 1, { commit: 'c2' }), f('b', 5, { commit: 'c1' })]);
    const order = new Map([
      ['c1', 0],
      ['c2', 1],
    ]);
    const again = groupOccurrences(once, (l) => order.get(l.commit ?? '') ?? 99);
    assert.deepEqual(
      again.map((x) => [x.file, x.commit, x.locations?.map((l) => `${l.file}@${l.commit}`)]),
      [['b', 'c1', ['a@c2']]],
    );
  });
});

describe('one finding per secret in a scan', () => {
  test('worktree: a token in three files and twice on a line is one finding with four other locations', async () => {
    const dir = join(tmp, 'wt');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const token = fakeChecksummed('ghp_', 'occ');
    writeFileSync(join(dir, 'a.env'), `GH_TOKEN=${token}\n`);
    writeFileSync(join(dir, 'b.yml'), `x: 1\ntoken: ${token} # again ${token}\n`);
    writeFileSync(join(dir, 'sub', 'c.json'), `{"t": "${token}"}\n`);
    const r = await scan({ root: dir, policy: defaultPolicy(), threads: 1 });
    const gh = r.findings.filter((x) => x.fingerprint === r.findings[0]!.fingerprint);
    assert.equal(gh.length, 1);
    assert.equal(gh[0]!.file, 'a.env');
    assert.deepEqual(
      gh[0]!.locations?.map((l) => `${l.file}:${l.line}:${l.column}`),
      ['b.yml:2:8', `b.yml:2:${8 + token.length + 9}`, 'sub/c.json:1:8'],
    );
    // The JSON report carries the locations, and nothing but location fields in them.
    const report = toJsonReport({ findings: r.findings, stats: r.stats, toolVersion: 't' });
    assert.equal(report.findings[0]!.locations?.length, 3);
    assert.ok(!JSON.stringify(report).includes(token));
  });

  test('a JWT nested in a JWT payload is one finding (the outer token)', () => {
    const inner = fakeJwt({ sub: 'svc-a', iss: 'https://id.invalid', iat: 1767225600 }, 'inner');
    const outer = fakeJwt({ sub: 'svc-b', iat: 1767225600, act: inner, scope: 'x' }, 'outer');
    const found = scanBuffer(Buffer.from(`token = "${outer}"\n`), 'x', defaultPolicy());
    assert.deepEqual(
      found.map((x) => [x.ruleId, x.column, x.decoded]),
      [['jwt', 10, undefined]],
    );
  });

  test('a percent-encoded SAS signature is one finding (raw span), not raw and decoded', () => {
    const sig = `${fx('sas1', 14)}+${fx('sas2', 28)}=`;
    const line = `url: https://acct.blob.core.windows.net/c?sv=2021-06-08&sp=r&sig=${encodeURIComponent(sig)}\n`;
    const found = scanBuffer(Buffer.from(line), 'x', defaultPolicy());
    assert.deepEqual(
      found.map((x) => [x.ruleId, x.decoded]),
      [['azure-sas-token', undefined]],
    );
  });
});
