// The environment a `run:` command gets: the step's own, minus what lets a process act as the runner or as this
// step. Hygiene, not isolation: the command runs as the same user and could still find files on disk.
//   - ACTIONS_ID_TOKEN_REQUEST_*: mint fresh OIDC tokens and log in to the key service again;
//   - ACTIONS_RUNTIME_*, ACTIONS_RESULTS_URL, ACTIONS_CACHE_*: the runner's service credentials (artifacts, caches);
//   - GITHUB_STATE, GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY: rewrite what post trusts, set this
//     step's outputs, or change later steps' environment.

export const REMOVED_FROM_CHILD_ENV = [
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'GITHUB_STATE',
  'GITHUB_OUTPUT',
  'GITHUB_ENV',
  'GITHUB_PATH',
  'GITHUB_STEP_SUMMARY',
] as const;

/** A copy of `env` without the runner's step and service variables (names compared case-insensitively). */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const drop = new Set<string>(REMOVED_FROM_CHILD_ENV);
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!drop.has(name.toUpperCase())) out[name] = value;
  }
  return out;
}
