// Where a signature was made, recorded in its hashed notations (`gpg --verify --list-options show-notations`).
// Read from the CI environment only: values a workflow cannot forge without changing what the runner reports.

/** Notation names carry the @jit-gpg domain, as RFC 4880 §5.2.3.16 asks of non-IETF notations. */
export const NOTATION_DOMAIN = 'jit-gpg';

/** Notations for a signature made in GitHub Actions; empty outside it. Values are never secret. */
export function ciNotations(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    if (value) out[`${name}@${NOTATION_DOMAIN}`] = value;
  };
  if (env.GITHUB_ACTIONS !== 'true') return out;
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  put('repository', env.GITHUB_REPOSITORY);
  put('workflow-ref', env.GITHUB_WORKFLOW_REF);
  put('ref', env.GITHUB_REF);
  put('commit', env.GITHUB_SHA);
  if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
    put('run-url', `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`);
  }
  put('run-attempt', env.GITHUB_RUN_ATTEMPT);
  return out;
}
