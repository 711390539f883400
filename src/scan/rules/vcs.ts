// Source hosting and code platforms: GitHub, GitLab, Bitbucket, Gitea/Forgejo, Azure DevOps, Sourcegraph.
// Each rule is written from the vendor's published token format. Example values are fake and built at run time.
import type { Rule, Severity } from '../types.ts';
import { ASSIGN } from './syntax.ts';
import {
  ALPHABETS,
  corrupt,
  fake,
  fakeAtlassianToken,
  fakeBitbucketAppPassword,
  fakeChecksummed,
  fakeGitlabRoutable,
  syntax,
  validateAtlassianToken,
  validateGithubClassic,
  validateGithubFineGrained,
  validateGithubInstallation,
  validateGitlabToken,
} from '../validate/checksum.ts';
import { lazyExamples } from './examples.ts';

const { env, yaml, json, code } = syntax;

const NOT_REPORTED = 'A value whose checksum fails is not reported.';

function githubClassic(prefix: string, id: string, title: string, severity: Severity, help: string): Rule {
  const p = `${prefix}_`;
  return {
    id,
    title,
    severity,
    keywords: [p],
    pattern: String.raw`\b(${prefix}_[A-Za-z0-9]{36})\b`,
    entropy: 3.5,
    validate: validateGithubClassic,
    requireValid: true,
    help: `${help} The last 6 characters are a base62 CRC32 of the 30 random ones. ${NOT_REPORTED}`,
    examples: lazyExamples(() => {
      const a = fakeChecksummed(p, `${id}-a`);
      const b = fakeChecksummed(p, `${id}-b`);
      return {
        tp: [
          ...syntax.all('github_token', a, b),
          `git clone https://x-access-token:${a}@github.com/acme/app.git`,
          `curl -H "Authorization: token ${b}" https://api.github.com/user`,
        ],
        fp: [
          env('GITHUB_TOKEN', corrupt(a)), // checksum fails
          yaml('token', `${p}${'x'.repeat(36)}`),
          json('token', `${p}${fake(`${id}-short`, 30)}`), // too short
          code('token', `my${a}`), // embedded in a longer identifier
          env('GITHUB_TOKEN', `${a}Z`), // too long
          yaml('token', syntax.secretRef('GITHUB_TOKEN')),
        ],
      };
    }),
  };
}

interface GitlabSpec {
  id: string;
  prefix: string;
  title: string;
  severity: Severity;
  help: string;
  /** Body character class and minimum length (a fixed body class means no routable form). */
  body?: string;
  /** Only the legacy form exists (no routable tokens). */
  legacyOnly?: boolean;
  min?: number;
  alphabet?: string;
  name: string;
}

function gitlab(s: GitlabSpec): Rule {
  const body = s.body ?? '[A-Za-z0-9_-]';
  const routes = !s.body && !s.legacyOnly;
  const min = s.min ?? 20;
  const alphabet = s.alphabet ?? ALPHABETS.base64url;
  // Routable tokens (GitLab 17+): `<prefix><base64url payload>[.<2-char version>].<2-char length><7-char crc32>`.
  const routable = !routes ? '' : String.raw`(?:(?:\.[0-9a-z]{2})?\.[0-9a-z]{9})?`;
  const esc = s.prefix.replace(/[.-]/g, (c) => `\\${c}`);
  return {
    id: s.id,
    title: s.title,
    severity: s.severity,
    keywords: [s.prefix.toLowerCase()],
    pattern: String.raw`\b(${esc}${body}{${min},300}${routable})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3,
    ...(routes ? { validate: validateGitlabToken } : {}),
    help: !routes
      ? s.help
      : `${s.help} Routable tokens end in a payload length and a CRC32; one whose checksum fails is not reported.`,
    examples: lazyExamples(() => {
      const a = s.prefix + fake(`${s.id}-a`, min, alphabet);
      const b = s.prefix + fake(`${s.id}-b`, min + 6, alphabet);
      const routableA = fakeGitlabRoutable(s.prefix, `${s.id}-r`, Math.max(27, min));
      const routableB = fakeGitlabRoutable(s.prefix, `${s.id}-r2`, Math.max(31, min + 4), '01');
      return {
        tp: [
          ...syntax.all(s.name, a, b),
          ...(routes ? [env(s.name.toUpperCase(), routableA), yaml(s.name, routableB)] : []),
        ],
        fp: [
          env(s.name.toUpperCase(), `${s.prefix}${'x'.repeat(min)}`),
          yaml(s.name, `${s.prefix}${fake(`${s.id}-short`, min - 6, alphabet)}`),
          json(s.name, `my${a}`),
          code(s.name, `<${s.prefix}your-token-here>`),
          ...(routes ? [json(s.name, corrupt(routableA))] : []),
        ],
      };
    }),
  };
}

const fineA = `github_pat_${fake('fg-a', 22)}_${fake('fg-a2', 59)}`;
const fineB = `github_pat_${fake('fg-b', 22)}_${fake('fg-b2', 59)}`;

const ghsA = fakeChecksummed('ghs_', 'ghs-a');
const jwtPart = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const ghsStateless = `ghs_${fake('app', 6, '0123456789')}_${jwtPart({ alg: 'RS256', typ: 'JWT' })}.${jwtPart({
  iss: fake('iss', 12),
  exp: 1_900_000_000,
  inst: 4242,
})}.${fake('ghs-sig', 86, ALPHABETS.base64url)}`;

const ghrShort = fakeChecksummed('ghr_', 'ghr-a');
const ghrLong = `ghr_${fake('ghr-long', 76)}`;

const hex40 = (seed: string) => fake(seed, 40, ALPHABETS.hex);

const atlassianTail = (seed: string) =>
  `${fake(seed, 170, ALPHABETS.base64url)}=${fake(`${seed}-c`, 8, ALPHABETS.HEX)}`;
const atctA = fakeAtlassianToken('ATCTT3xFfGN0', 'atct-a');
const atctB = fakeAtlassianToken('ATCTT3xFfGN0', 'atct-b');
const atbbA = fakeBitbucketAppPassword('atbb-a');
const atbbB = fakeBitbucketAppPassword('atbb-b');

const adoNewA = `${fake('ado-a', 76)}AZDO${fake('ado-a3', 4)}`;
const adoNewB = `${fake('ado-b', 76)}AZDO${fake('ado-b3', 4)}`;
const adoLegacyA = fake('ado-l-a', 52, 'abcdefghijklmnopqrstuvwxyz234567');
const adoLegacyB = fake('ado-l-b', 52, 'abcdefghijklmnopqrstuvwxyz234567');

export const vcsRules: Rule[] = [
  githubClassic(
    'ghp',
    'github-pat-classic',
    'GitHub personal access token (classic)',
    'high',
    'A classic GitHub PAT acts as its owner on every repository its scopes allow. Delete it under Settings → Developer settings → Personal access tokens and replace it with a fine-grained token.',
  ),
  githubClassic(
    'gho',
    'github-oauth-token',
    'GitHub OAuth access token',
    'high',
    "An OAuth App's access token acts as the user who authorised the app. Revoke it from the user's Authorized OAuth Apps or with the app's DELETE /applications/{client_id}/token call.",
  ),
  githubClassic(
    'ghu',
    'github-user-to-server-token',
    'GitHub App user-to-server token',
    'high',
    "A GitHub App user access token acts as the user within the app's permissions (valid for 8 hours, renewable). Revoke the app authorisation or the token through the API.",
  ),
  {
    id: 'github-refresh-token',
    title: 'GitHub App refresh token',
    severity: 'high',
    keywords: ['ghr_'],
    pattern: String.raw`\b(ghr_[A-Za-z0-9]{36}(?:[A-Za-z0-9]{40})?)\b`,
    entropy: 3.5,
    validate: (s) => (s.length === 40 ? validateGithubClassic(s) : 'unknown'),
    help: `A GitHub App refresh token mints new user access tokens for 6 months. Revoke the user's authorisation of the app. The 40-character form carries a base62 CRC32 checksum; ${NOT_REPORTED.toLowerCase()}`,
    examples: lazyExamples(() => ({
      tp: [env('GH_REFRESH_TOKEN', ghrShort), yaml('refresh_token', ghrLong), json('refresh_token', ghrShort)],
      fp: [
        env('GH_REFRESH_TOKEN', corrupt(ghrShort)),
        yaml('refresh_token', `ghr_${'x'.repeat(36)}`),
        json('refresh_token', `myghr_${fake('ghr-emb', 36)}`),
      ],
    })),
  },
  {
    id: 'github-app-installation-token',
    title: 'GitHub App installation token',
    severity: 'medium',
    keywords: ['ghs_'],
    pattern: String.raw`\b(ghs_(?:[0-9]+_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|[A-Za-z0-9]{36}))(?:[^A-Za-z0-9_.-]|$)`,
    entropy: 3.5,
    validate: validateGithubInstallation,
    requireValid: true,
    help: `An installation token (also GITHUB_TOKEN in Actions) acts as a GitHub App on one installation for up to an hour; revoke it early with DELETE /installation/token. The classic form carries a base62 CRC32 checksum and the stateless form (ghs_<app id>_<JWT>) a JSON header and payload; ${NOT_REPORTED.toLowerCase()}`,
    examples: lazyExamples(() => ({
      tp: [
        env('GH_TOKEN', ghsA),
        yaml('token', ghsStateless),
        `git remote set-url origin https://x-access-token:${ghsA}@github.com/acme/app.git`,
      ],
      fp: [
        env('GH_TOKEN', corrupt(ghsA)),
        yaml('token', `ghs_${'x'.repeat(36)}`),
        json('token', `ghs_123_${fake('bad-jwt', 20)}.${fake('bad-jwt2', 20)}.${fake('bad-jwt3', 20)}`),
      ],
    })),
  },
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    severity: 'high',
    keywords: ['github_pat_'],
    pattern: String.raw`\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b`,
    entropy: 4,
    validate: validateGithubFineGrained,
    help: 'A fine-grained PAT acts as its owner on the repositories and permissions it was granted. Delete it under Settings → Developer settings → Fine-grained tokens (organisation owners can also revoke it). A value off the 22 + 59 character structure is not reported.',
    examples: lazyExamples(() => ({
      tp: [...syntax.all('github_pat', fineA, fineB), `https://oauth2:${fineA}@github.com/acme/app.git`],
      fp: [
        env('GITHUB_PAT', `github_pat_${fake('fg-s', 22)}_${fake('fg-s2', 40)}`),
        yaml('token', `github_pat_${'x'.repeat(22)}_${'x'.repeat(59)}`),
        json('token', `github_pat_${fake('fg-c', 82)}`),
        code('token', `my_github_pat_${fake('fg-e', 22)}_${fake('fg-e2', 59)}`),
      ],
    })),
  },
  {
    id: 'github-oauth-client-secret',
    title: 'GitHub OAuth App client secret',
    severity: 'high',
    keywords: ['client_secret', 'clientsecret', 'client-secret', 'client.secret'],
    pattern: String.raw`(?i:github)[A-Za-z0-9_.-]{0,20}(?i:client[_.-]?secret)${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    help: 'The client secret of a GitHub OAuth App (or GitHub App) lets anyone complete OAuth flows as the app. Generate a new secret in the app settings and delete the old one.',
    examples: lazyExamples(() => ({
      tp: [
        env('GITHUB_CLIENT_SECRET', hex40('gcs-a')),
        yaml('github_client_secret', hex40('gcs-b')),
        json('githubClientSecret', hex40('gcs-a')),
        code('githubClientSecret', hex40('gcs-b')),
      ],
      fp: [
        env('GITHUB_CLIENT_SECRET', syntax.ref('GITHUB_CLIENT_SECRET')),
        yaml('github_client_secret', '0000000000000000000000000000000000000000'),
        env('GITHUB_CLIENT_ID', hex40('gcs-id')), // an id, not the secret
        json('github_client_secret', fake('gcs-short', 32, ALPHABETS.hex)),
      ],
    })),
  },
  gitlab({
    id: 'gitlab-pat',
    prefix: 'glpat-',
    title: 'GitLab personal, project or group access token',
    severity: 'high',
    name: 'gitlab_token',
    help: 'A GitLab access token acts as its user (or project/group bot) within its scopes. Revoke it under Access tokens in the user, project or group settings, or with the token revocation API.',
  }),
  gitlab({
    id: 'gitlab-deploy-token',
    prefix: 'gldt-',
    title: 'GitLab deploy token',
    severity: 'high',
    name: 'deploy_token',
    help: 'A GitLab deploy token reads (or writes) repositories, packages and the registry of a project or group. Revoke it under Settings → Repository → Deploy tokens.',
  }),
  gitlab({
    id: 'gitlab-runner-token',
    prefix: 'glrt-',
    title: 'GitLab runner authentication token',
    severity: 'high',
    name: 'runner_token',
    help: 'A runner authentication token lets a machine pick up CI jobs (and their secrets) as a registered runner. Delete the runner or reset its token in the CI/CD runner settings.',
  }),
  gitlab({
    id: 'gitlab-runner-registration-token',
    prefix: 'GR1348941',
    title: 'GitLab runner registration token (legacy)',
    severity: 'medium',
    name: 'registration_token',
    legacyOnly: true,
    help: 'A legacy registration token registers new runners to a project, group or instance, which then receive CI jobs. Reset it in the CI/CD runner settings and move to runner authentication tokens.',
  }),
  gitlab({
    id: 'gitlab-pipeline-trigger-token',
    prefix: 'glptt-',
    title: 'GitLab pipeline trigger token',
    severity: 'medium',
    name: 'trigger_token',
    body: '[a-f0-9]',
    min: 40,
    alphabet: ALPHABETS.hex,
    help: 'A pipeline trigger token starts pipelines of a project as the token owner. Revoke it under Settings → CI/CD → Pipeline trigger tokens.',
  }),
  gitlab({
    id: 'gitlab-ci-job-token',
    prefix: 'glcbt-',
    title: 'GitLab CI/CD job token',
    severity: 'medium',
    name: 'ci_job_token',
    help: 'A CI/CD job token acts for the duration of one job with the permissions of the user who started it. It expires when the job ends; a leaked one in logs or artifacts still means the job output should be removed.',
  }),
  gitlab({
    id: 'gitlab-oauth-app-secret',
    prefix: 'gloas-',
    title: 'GitLab OAuth application secret',
    severity: 'high',
    name: 'oauth_secret',
    help: 'The secret of a GitLab OAuth application lets anyone complete OAuth flows as the app. Renew the secret in the application settings (user, group or instance applications).',
  }),
  gitlab({
    id: 'gitlab-feed-token',
    prefix: 'glft-',
    title: 'GitLab feed token',
    severity: 'low',
    name: 'feed_token',
    help: 'A feed token reads RSS/Atom feeds and calendar exports as its user. Reset it in the user Access tokens settings.',
  }),
  gitlab({
    id: 'gitlab-incoming-mail-token',
    prefix: 'glimt-',
    title: 'GitLab incoming email token',
    severity: 'medium',
    name: 'incoming_email_token',
    help: 'An incoming email token lets mail create issues and merge requests as its user. Reset it in the user Access tokens settings.',
  }),
  gitlab({
    id: 'gitlab-agent-token',
    prefix: 'glagent-',
    title: 'GitLab agent for Kubernetes token',
    severity: 'high',
    name: 'agent_token',
    min: 50,
    help: 'An agent token connects a Kubernetes cluster to GitLab; with it anyone can impersonate the agent. Revoke it under Operate → Kubernetes clusters → the agent → Access tokens.',
  }),
  gitlab({
    id: 'gitlab-scim-token',
    prefix: 'glsoat-',
    title: 'GitLab SCIM OAuth token',
    severity: 'high',
    name: 'scim_token',
    help: 'A SCIM token provisions and deprovisions group members from the identity provider. Reset it in the group SAML SSO settings.',
  }),
  gitlab({
    id: 'gitlab-feature-flags-client-token',
    prefix: 'glffct-',
    title: 'GitLab feature flags client token',
    severity: 'low',
    name: 'unleash_token',
    help: "A feature flags client token reads a project's feature flag configuration. Reset it under Deploy → Feature flags → Configure.",
  }),
  {
    id: 'bitbucket-access-token',
    title: 'Bitbucket repository, project or workspace access token',
    severity: 'high',
    keywords: ['atctt3'],
    pattern: String.raw`\b(ATCTT3[A-Za-z0-9_-]{100,300}=[A-F0-9]{8})\b`,
    entropy: 4,
    validate: validateAtlassianToken,
    requireValid: true,
    help: 'A Bitbucket Cloud access token acts on one repository, project or workspace within its scopes. Revoke it under the repository/project/workspace settings → Access tokens. The last 8 hex digits are a CRC32 of the rest; a value whose checksum fails is not reported.',
    examples: lazyExamples(() => ({
      tp: [env('BITBUCKET_TOKEN', atctA), yaml('bitbucket_token', atctB), code('token', atctA)],
      fp: [
        env('BITBUCKET_TOKEN', `ATCTT3xFfGN0${'x'.repeat(170)}=00000000`),
        yaml(
          'bitbucket_token',
          `ATCTT3xFfGN0${fake('atct-s', 40, ALPHABETS.base64url)}=${fake('c', 8, ALPHABETS.HEX)}`,
        ),
        json('token', `xATCTT3xFfGN0${atlassianTail('atct-e')}`),
        code('token', corrupt(atctA)),
      ],
    })),
  },
  {
    id: 'bitbucket-app-password',
    title: 'Bitbucket app password',
    severity: 'high',
    keywords: ['atbb'],
    pattern: String.raw`\b(ATBB[A-Za-z0-9]{24}[A-F0-9]{8})\b`,
    entropy: 3.5,
    validate: validateAtlassianToken,
    requireValid: true,
    help: 'A Bitbucket app password authenticates as its user for Git over HTTPS and the API within its permissions. Revoke it under Personal settings → App passwords and move to API tokens. The last 8 hex digits are a CRC32 of the first 28 characters; a value whose checksum fails is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        env('BITBUCKET_APP_PASSWORD', atbbA),
        yaml('app_password', atbbB),
        `git clone https://jdoe:${atbbA}@bitbucket.org/acme/app.git`,
      ],
      fp: [
        env('BITBUCKET_APP_PASSWORD', `ATBB${'X'.repeat(32)}`),
        env('BITBUCKET_APP_PASSWORD', corrupt(atbbA)),
        yaml('app_password', `ATBB${fake('atbb-r', 24)}${fake('atbb-r2', 8, ALPHABETS.HEX)}`), // a random checksum
        yaml('app_password', `ATBB${fake('atbb-s', 20)}`),
        json('app_password', `ATBB${fake('atbb-l', 40)}`),
      ],
    })),
  },
  {
    id: 'gitea-token',
    title: 'Gitea / Forgejo access token',
    severity: 'high',
    keywords: ['gitea', 'forgejo'],
    pattern: String.raw`(?i:gitea|forgejo)[A-Za-z0-9_.-]{0,20}(?i:token|password|secret)${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    help: 'A Gitea or Forgejo access token (40 hex characters) acts as its user within its scopes. Delete it under Settings → Applications on the instance.',
    examples: lazyExamples(() => ({
      tp: [
        env('GITEA_TOKEN', hex40('gitea-a')),
        yaml('forgejo_token', hex40('gitea-b')),
        json('giteaToken', hex40('gitea-a')),
        code('giteaToken', hex40('gitea-b')),
      ],
      fp: [
        env('GITEA_TOKEN', syntax.secretRef('GITEA_TOKEN')),
        yaml('gitea_commit', hex40('gitea-c').slice(0, 39)),
        env('GITEA_TOKEN', 'a'.repeat(40)),
        yaml('gitea_version', '1.22.0'),
      ],
    })),
  },
  {
    id: 'azure-devops-pat',
    title: 'Azure DevOps personal access token',
    severity: 'high',
    keywords: ['azdo'],
    pattern: String.raw`\b([A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})\b`,
    entropy: 4,
    help: 'An Azure DevOps PAT (84-character identifiable format, AZDO at offset 76) acts as its user in the organisations and scopes it was granted. Revoke it under User settings → Personal access tokens, or ask an administrator to revoke it organisation-wide.',
    examples: lazyExamples(() => ({
      tp: [
        env('AZURE_DEVOPS_EXT_PAT', adoNewA),
        yaml('pat', adoNewB),
        `git clone https://user:${adoNewA}@dev.azure.com/acme/app/_git/app`,
      ],
      fp: [
        env('AZURE_DEVOPS_EXT_PAT', `${fake('ado-x', 76)}AZDX${fake('ado-x2', 4)}`),
        yaml('pat', `${fake('ado-s', 58)}AZDO${fake('ado-s3', 4)}`), // too short
        json('pat', `x${adoNewA}`),
      ],
    })),
  },
  {
    id: 'azure-devops-pat-legacy',
    title: 'Azure DevOps personal access token (legacy 52-character)',
    severity: 'high',
    keywords: ['devops', 'azdo', 'ado_', 'vsts'],
    pattern: String.raw`(?i:azure_?devops|azdo|ado_|vsts)[A-Za-z0-9_.-]{0,20}(?i:pat|token)${ASSIGN}([a-z2-7]{52})\b`,
    entropy: 3.5,
    help: 'A legacy Azure DevOps PAT (52 base32 characters) acts as its user in the organisations and scopes it was granted. Revoke it under User settings → Personal access tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('AZURE_DEVOPS_PAT', adoLegacyA),
        yaml('azdo_token', adoLegacyB),
        json('azureDevopsPat', adoLegacyA),
        code('vstsToken', adoLegacyB),
      ],
      fp: [
        env('AZURE_DEVOPS_PAT', '$(System.AccessToken)'),
        yaml('azdo_token', 'a'.repeat(52)),
        json('azureDevopsPat', adoLegacyA.toUpperCase()),
        env('AZURE_DEVOPS_ORG', 'https://dev.azure.com/acme'),
      ],
    })),
  },
  {
    id: 'sourcegraph-token',
    title: 'Sourcegraph access token',
    severity: 'high',
    keywords: ['sgp_'],
    pattern: String.raw`\b(sgp_(?:[a-f0-9]{16}_|local_)?[a-f0-9]{40})\b`,
    entropy: 3,
    help: 'A Sourcegraph access token acts as its user on the instance (code search across every repository it can read). Delete it under Settings → Access tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('SRC_ACCESS_TOKEN', `sgp_${fake('sg-i', 16, ALPHABETS.hex)}_${hex40('sg-a')}`),
        yaml('token', `sgp_${hex40('sg-b')}`),
        json('token', `sgp_local_${hex40('sg-c')}`),
      ],
      fp: [
        env('SRC_ACCESS_TOKEN', `sgp_${'0'.repeat(40)}`),
        yaml('token', `sgp_${fake('sg-s', 30, ALPHABETS.hex)}`),
        json('token', `xsgp_${hex40('sg-e')}`),
      ],
    })),
  },
  {
    id: 'gitlab-session-cookie',
    title: 'GitLab session cookie',
    severity: 'medium',
    keywords: ['_gitlab_session='],
    pattern: String.raw`_gitlab_session=([a-f0-9]{32})\b`,
    entropy: 3,
    help: 'A _gitlab_session cookie is a signed-in browser session: whoever holds it is that user until it expires. Sign the user out of all sessions (Profile → Active sessions → Revoke) and scrub the logs or HAR files that carried it.',
    examples: lazyExamples(() => ({
      tp: [
        `curl -b "_gitlab_session=${hex40('gsc-a').slice(0, 32)}" https://gitlab.acme.test/api/v4/user`,
        `Cookie: known_sign_in=1; _gitlab_session=${hex40('gsc-b').slice(0, 32)}; event_filter=all`,
      ],
      fp: [
        `Cookie: _gitlab_session=${'0'.repeat(32)}`,
        `Set-Cookie: _gitlab_session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`,
      ],
    })),
  },
];
