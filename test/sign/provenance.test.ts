import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ciNotations } from '../../src/sign/provenance.ts';

describe('ciNotations', () => {
  it('records repository, workflow ref, ref, commit, run URL and attempt in GitHub Actions', () => {
    const n = ciNotations({
      GITHUB_ACTIONS: 'true',
      GITHUB_SERVER_URL: 'https://github.example.com',
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1',
      GITHUB_REF: 'refs/tags/v1',
      GITHUB_SHA: 'f'.repeat(40),
      GITHUB_RUN_ID: '99',
      GITHUB_RUN_ATTEMPT: '2',
    });
    assert.deepEqual(n, {
      'repository@jit-gpg': 'octo-org/octo-repo',
      'workflow-ref@jit-gpg': 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1',
      'ref@jit-gpg': 'refs/tags/v1',
      'commit@jit-gpg': 'f'.repeat(40),
      'run-url@jit-gpg': 'https://github.example.com/octo-org/octo-repo/actions/runs/99/attempts/2',
      'run-attempt@jit-gpg': '2',
    });
  });
  it('is empty outside GitHub Actions and skips what is unset', () => {
    assert.deepEqual(ciNotations({ GITHUB_REPOSITORY: 'a/b' }), {});
    assert.deepEqual(ciNotations({ GITHUB_ACTIONS: 'true', GITHUB_SHA: 'abc' }), { 'commit@jit-gpg': 'abc' });
  });
});
