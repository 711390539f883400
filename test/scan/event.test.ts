import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { planScan, readEvent } from '../../src/scan/sources/event.ts';

// Trimmed captures of the payloads GitHub sends (field names and nesting as documented for each event).
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);
const repository = { full_name: 'octo/app', default_branch: 'main' };
const fixtures = {
  pull_request: {
    action: 'synchronize',
    number: 42,
    pull_request: { number: 42, base: { ref: 'main', sha: A }, head: { ref: 'feature', sha: B } },
    repository,
  },
  push: { ref: 'refs/heads/main', before: A, after: B, forced: false, created: false, deleted: false, repository },
  pushNewBranch: { ref: 'refs/heads/topic', before: Z, after: B, created: true, repository },
  pushFirst: { ref: 'refs/heads/main', before: Z, after: B, created: true, repository },
  pushDelete: { ref: 'refs/heads/topic', before: A, after: Z, deleted: true, repository },
  pushSame: { ref: 'refs/heads/main', before: A, after: A, repository },
  mergeGroup: {
    action: 'checks_requested',
    merge_group: {
      head_sha: B,
      head_ref: 'refs/heads/gh-readonly-queue/main/pr-1',
      base_sha: A,
      base_ref: 'refs/heads/main',
    },
    repository,
  },
};

test('pull_request and pull_request_target: base..head', () => {
  for (const name of ['pull_request', 'pull_request_target']) {
    const plan = planScan({ name, payload: fixtures.pull_request });
    assert.deepEqual([plan.mode, plan.base, plan.head], ['diff', A, B]);
    assert.match(plan.notice ?? '', /#42/);
  }
  assert.throws(() => planScan({ name: 'pull_request', payload: {} }), /base\.sha/);
});

test('push: before..after with a fallback for force-pushes; new branch; first push; deletion; no-op', () => {
  const push = planScan({ name: 'push', payload: fixtures.push });
  assert.deepEqual([push.mode, push.base, push.head], ['diff', A, B]);
  assert.deepEqual(push.fallbackExclude, ['refs/remotes/origin/main', 'refs/heads/main']);

  const nb = planScan({ name: 'push', payload: fixtures.pushNewBranch });
  assert.equal(nb.mode, 'diff');
  assert.equal(nb.base, undefined);
  assert.equal(nb.head, B);
  assert.deepEqual(nb.exclude, ['refs/remotes/origin/main', 'refs/heads/main']);

  const first = planScan({ name: 'push', payload: fixtures.pushFirst });
  assert.deepEqual([first.mode, first.head], ['history', B]);

  const del = planScan({ name: 'push', payload: fixtures.pushDelete });
  assert.equal(del.mode, 'none');

  const same = planScan({ name: 'push', payload: fixtures.pushSame });
  assert.equal(same.mode, 'none');
  assert.match(same.notice ?? '', /no new commits/);
});

test('merge_group: base_sha..head_sha', () => {
  const plan = planScan({ name: 'merge_group', payload: fixtures.mergeGroup });
  assert.deepEqual([plan.mode, plan.base, plan.head], ['diff', A, B]);
});

test('other events scan the worktree (or history when asked); no event at all too', () => {
  for (const name of ['workflow_dispatch', 'schedule', 'release', 'issue_comment']) {
    assert.equal(planScan({ name, payload: { repository } }).mode, 'worktree');
    assert.equal(planScan({ name, payload: {} }, { fallbackMode: 'history' }).mode, 'history');
  }
  assert.equal(planScan(undefined).mode, 'worktree');
});

const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-event-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('readEvent reads GITHUB_EVENT_NAME and GITHUB_EVENT_PATH; a broken payload is an error', () => {
  const path = join(dir, 'event.json');
  writeFileSync(path, JSON.stringify(fixtures.pull_request));
  const ev = readEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path });
  assert.equal(ev?.name, 'pull_request');
  assert.equal(planScan(ev).head, B);
  assert.equal(readEvent({}), undefined);
  writeFileSync(path, '{not json');
  assert.throws(() => readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path }), /not JSON/);
  assert.throws(
    () => readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: join(dir, 'missing.json') }),
    /cannot read/,
  );
});
