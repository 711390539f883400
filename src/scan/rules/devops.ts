// DevOps, secrets management, observability and CI/CD services: HashiCorp Vault and Terraform Cloud, Doppler,
// 1Password, Databricks, Atlassian, Linear, Postman, Grafana, Sentry, New Relic, Datadog, Dynatrace, PagerDuty,
// CircleCI, Travis CI, Buildkite, Jenkins, Snyk, SonarQube, Codecov, Pulumi, Okta, Tailscale, Prefect, Octopus
// Deploy, Rancher. Written from each vendor's published token format; example values are fake.
import type { Rule, Validity } from '../types.ts';
import { isPlaceholder } from '../filters.ts';
import { ASSIGN, TOKEN_END } from './syntax.ts';
import {
  ALPHABETS,
  corrupt,
  fake,
  fakeAtlassianToken,
  fakeBytes,
  fakeGrafanaServiceAccountToken,
  fakeUuid,
  syntax,
  validateAtlassianToken,
  validateBase64JsonPayload,
  validateGrafanaServiceAccountToken,
} from '../validate/checksum.ts';
import { isHashedOrEncrypted, validatePassword } from '../validate/structure.ts';
import { lazyExamples } from './examples.ts';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UUIDL = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const { env, yaml, json, code } = syntax;
const hex = (seed: string, n: number) => fake(seed, n, ALPHABETS.hex);
const b64 = (seed: string, n: number) => fake(seed, n, ALPHABETS.base64);
const b64url = (seed: string, n: number) => fake(seed, n, ALPHABETS.base64url);
const upper = (seed: string, n: number) => fake(seed, n, ALPHABETS.upperAlnum);
const jsonB64 = (o: object, url = false) => Buffer.from(JSON.stringify(o)).toString(url ? 'base64url' : 'base64');

/** The payload after a fixed prefix must be base64 of a JSON object. */
const jsonAfter =
  (prefix: string) =>
  (secret: string): Validity =>
    secret.startsWith(prefix) ? validateBase64JsonPayload(secret.slice(prefix.length)) : 'invalid';

const grafanaCloud = (seed: string) =>
  `glc_${jsonB64({ o: fake(`${seed}-o`, 6, '0123456789'), n: `stack-${fake(`${seed}-n`, 6, ALPHABETS.lowerAlnum)}`, k: fake(`${seed}-k`, 24), m: { r: 'prod-us-east-0' } })}`;
const grafanaLegacy = (seed: string) =>
  jsonB64({ k: fake(`${seed}-k`, 32), n: 'ci-deployer', id: Number(fake(`${seed}-id`, 6, '0123456789')) });
const sentryOrg = (seed: string) =>
  `sntrys_${jsonB64({ iat: 1767225600.1, url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'acme' })}_${b64(`${seed}-s`, 43)}`;
const onePassword = (seed: string) =>
  `ops_${jsonB64({ signInAddress: 'acme.1password.com', userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: b64url(`${seed}-salt`, 22) }, email: `${fake(`${seed}-e`, 12, ALPHABETS.lowerAlnum)}@1passwordserviceaccounts.com`, srpX: hex(`${seed}-x`, 64), muk: { alg: 'A256GCM', ext: true, k: b64url(`${seed}-k`, 43), key_ops: ['encrypt', 'decrypt'], kty: 'oct', kid: 'mp' }, secretKey: `A3-${upper(`${seed}-sk`, 6)}-${upper(`${seed}-sk2`, 11)}`, deviceUuid: fake(`${seed}-d`, 26, ALPHABETS.lowerAlnum) })}`;
const terraform = (seed: string) => `${fake(`${seed}-id`, 14)}.atlasv1.${b64url(`${seed}-s`, 67)}`;
const atlassian = (seed: string) => fakeAtlassianToken('ATATT3xFfGF0', seed);
const tailscale = (kind: string, seed: string) =>
  `tskey-${kind}-k${fake(`${seed}-id`, 10)}CNTRL-${fake(`${seed}-s`, 33)}`;

export const devopsRules: Rule[] = [
  {
    id: 'vault-service-token',
    title: 'HashiCorp Vault service token',
    severity: 'high',
    keywords: ['hvs.'],
    pattern: String.raw`\b(hvs\.[A-Za-z0-9_-]{24,})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A Vault service token reads and writes whatever its policies allow until its TTL ends. Revoke it with `vault token revoke` (or its accessor) and rotate any secret it could read.',
    examples: lazyExamples(() => ({
      tp: [
        env('VAULT_TOKEN', `hvs.${b64url('hvs-a', 24)}`),
        yaml('token', `hvs.CAESI${b64url('hvs-b', 90)}`),
        `curl -H "X-Vault-Token: hvs.${b64url('hvs-c', 24)}" https://vault.acme.test/v1/secret/data/app`,
      ],
      fp: [
        env('VAULT_TOKEN', `hvs.${'x'.repeat(24)}`),
        yaml('token', `hvs.${b64url('hvs-s', 12)}`),
        json('path', `ahvs.${b64url('hvs-e', 24)}`),
      ],
    })),
  },
  {
    id: 'vault-unseal-key',
    title: 'HashiCorp Vault unseal or recovery key',
    severity: 'critical',
    keywords: ['unseal key', 'recovery key'],
    // As `vault operator init` prints them (`Unseal Key 1: …`, `Recovery Key 1: …`): base64 of 32 bytes (Shamir
    // shares are 33), pasted into a runbook, a script or a CI log kept in the repository.
    pattern: String.raw`(?i:unseal|recovery)[ \t]+(?i:key)[ \t]+[0-9]{1,2}[ \t]*:[ \t]*([A-Za-z0-9+/]{43,44}=?)(?:[^A-Za-z0-9+/=]|$)`,
    entropy: 4,
    validate: (secret) => (isPlaceholder(secret) ? 'invalid' : 'unknown'),
    help:
      'A Vault unseal key share or recovery key as `vault operator init` prints it: enough of them unseal the ' +
      'storage, or authorize a root token. Rekey (`vault operator rekey`, or `-target=recovery`) and keep the new ' +
      'shares with their holders, not in files.',
    examples: lazyExamples(() => ({
      tp: [
        `Unseal Key 1: ${fakeBytes('vu-a', 33).toString('base64')}`,
        `# Recovery Key 3: ${fakeBytes('vu-b', 32).toString('base64')}`,
      ],
      fp: ['Unseal Key 1: <unseal key 1>', `Unseal Key 2: ${'A'.repeat(44)}`],
    })),
  },
  {
    id: 'vault-batch-token',
    title: 'HashiCorp Vault batch token',
    severity: 'high',
    keywords: ['hvb.'],
    pattern: String.raw`\b(hvb\.[A-Za-z0-9_-]{100,})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A Vault batch token carries its policies inside itself and is valid until its TTL ends; it cannot be revoked alone. Revoke its parent token or lease, shorten the role TTL, and rotate secrets it could read.',
    examples: lazyExamples(() => ({
      tp: [
        env('VAULT_TOKEN', `hvb.AAAAAQ${b64url('hvb-a', 140)}`),
        json('client_token', `hvb.AAAAAQ${b64url('hvb-b', 140)}`),
      ],
      fp: [env('VAULT_TOKEN', `hvb.${b64url('hvb-s', 40)}`), yaml('token', `hvb.${'A'.repeat(120)}`)],
    })),
  },
  {
    id: 'vault-legacy-token',
    title: 'HashiCorp Vault token (pre-1.10 format)',
    severity: 'medium',
    keywords: ['vault'],
    // Under any Vault name that says token (`VAULT_TOKEN`, `VAULT_CLIENT_TOKEN`, `vault.token`, `X-Vault-Token`).
    pattern: String.raw`(?i:vault[\w.-]{0,24}token)${ASSIGN}(s\.[A-Za-z0-9]{24})${TOKEN_END}`,
    entropy: 3.5,
    help: 'A Vault token in the old s.… format reads and writes whatever its policies allow. Revoke it with `vault token revoke` and upgrade to prefixed tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('VAULT_TOKEN', `s.${fake('vl-a', 24)}`),
        yaml('vault_token', `s.${fake('vl-b', 24)}`),
        json('vaultToken', `s.${fake('vl-c', 24)}`),
        env('VAULT_CLIENT_TOKEN', `s.${fake('vl-f', 24)}`),
      ],
      fp: [
        env('VAULT_TOKEN', syntax.ref('VAULT_TOKEN')),
        yaml('vault_token', `s.${fake('vl-s', 12)}`),
        env('VAULT_ADDR', 'https://vault.acme.test'),
        // The first N characters of a longer token that goes on with - or _ are not this value.
        env('VAULT_TOKEN', `s.${fake('vl-d', 24)}-${fake('vl-e', 8)}`),
      ],
    })),
  },
  {
    id: 'terraform-cloud-token',
    title: 'HCP Terraform / Terraform Enterprise API token',
    severity: 'high',
    keywords: ['.atlasv1.'],
    pattern: String.raw`\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,70})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A Terraform Cloud user, team or organisation token plans and applies workspaces (and reads their state and variables). Delete it under User/Team/Organization settings → API tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('TF_TOKEN_app_terraform_io', terraform('tf-a')),
        `credentials "app.terraform.io" {\n  token = "${terraform('tf-b')}"\n}`,
        json('token', terraform('tf-c')),
      ],
      fp: [
        env('TF_TOKEN_app_terraform_io', `${fake('tf-s', 14)}.atlasv1.${b64url('tf-s2', 30)}`),
        yaml('token', `${'x'.repeat(14)}.atlasv1.${'x'.repeat(67)}`),
      ],
    })),
  },
  {
    id: 'doppler-personal-token',
    title: 'Doppler personal or CLI token',
    severity: 'high',
    keywords: ['dp.pt.', 'dp.ct.'],
    pattern: String.raw`\b(dp\.(?:pt|ct)\.[A-Za-z0-9]{40,44})\b`,
    entropy: 4,
    help: 'A Doppler personal or CLI token reads and changes secrets in every workplace project its user can reach. Revoke it under Tokens in the dashboard or with `doppler logout --scope`.',
    examples: lazyExamples(() => ({
      tp: syntax.all('doppler_token', `dp.pt.${fake('dpt-a', 43)}`, `dp.ct.${fake('dpt-b', 43)}`),
      fp: [
        env('DOPPLER_TOKEN', `dp.pt.${'x'.repeat(43)}`),
        yaml('doppler_token', `dp.pt.${fake('dpt-s', 20)}`),
        json('doppler_token', syntax.ref('DOPPLER_TOKEN')),
      ],
    })),
  },
  {
    id: 'doppler-service-token',
    title: 'Doppler service, service-account or SCIM token',
    severity: 'high',
    keywords: ['dp.st.', 'dp.sa.', 'dp.scim.', 'dp.audit.'],
    pattern: String.raw`\b(dp\.(?:st|sa|scim|audit)\.(?:[a-z0-9_-]{1,40}\.)?[A-Za-z0-9]{40,44})\b`,
    entropy: 4,
    help: "A Doppler service token reads one config's secrets (service accounts and SCIM/audit tokens reach further). Revoke it under the project config → Access, or the service account's tokens.",
    examples: lazyExamples(() => ({
      tp: [
        env('DOPPLER_TOKEN', `dp.st.prd.${fake('dps-a', 43)}`),
        yaml('doppler_token', `dp.st.${fake('dps-b', 43)}`),
        json('token', `dp.sa.${fake('dps-c', 43)}`),
      ],
      fp: [env('DOPPLER_TOKEN', `dp.st.prd.${'x'.repeat(43)}`), yaml('doppler_token', `dp.st.${fake('dps-s', 16)}`)],
    })),
  },
  {
    id: 'onepassword-service-account-token',
    title: '1Password service account token',
    severity: 'critical',
    keywords: ['ops_ey'],
    pattern: String.raw`\b(ops_eyJ[A-Za-z0-9+/_-]{100,}={0,2})`,
    entropy: 4,
    validate: jsonAfter('ops_'),
    requireValid: true,
    help: 'A 1Password service account token reads (and may write) every item in the vaults the account was granted. Delete the service account or rotate its token under Developer → Service accounts. It must decode to a JSON payload; one that does not is not reported.',
    examples: lazyExamples(() => ({
      tp: [env('OP_SERVICE_ACCOUNT_TOKEN', onePassword('op-a')), yaml('op_token', onePassword('op-b'))],
      fp: [env('OP_SERVICE_ACCOUNT_TOKEN', `ops_eyJ${b64('op-x', 300)}`), yaml('op_token', 'ops_eyJhbGciOiJIUzI1NiJ9')],
    })),
  },
  {
    id: 'onepassword-secret-key',
    title: '1Password account Secret Key',
    severity: 'critical',
    keywords: ['a3-'],
    // `A3-`, the account's 6-character id, then 26 characters in groups (11, or 6 and 5, then three of 5).
    pattern: `(?:^|[^A-Za-z0-9-])(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})(?:[^A-Za-z0-9-]|$)`,
    entropy: 3,
    help: 'A 1Password account Secret Key (`A3-…`): with the account password it decrypts every vault of the account, and it is never meant to leave the account holder’s devices. Regenerate it (1Password.com → your name → Secret Key → Regenerate) and change the account password.',
    examples: lazyExamples(() => {
      const key = (seed: string) =>
        `A3-${upper(`${seed}1`, 6)}-${upper(`${seed}2`, 6)}-${upper(`${seed}3`, 5)}-${upper(`${seed}4`, 5)}-${upper(`${seed}5`, 5)}-${upper(`${seed}6`, 5)}`;
      return {
        tp: [
          env('OP_SECRET_KEY', key('opk-a')),
          json(
            '1password_token',
            `A3-${upper('opk-b1', 6)}-${upper('opk-b2', 11)}-${upper('opk-b3', 5)}-${upper('opk-b4', 5)}-${upper('opk-b5', 5)}`,
          ),
          `Secret Key: ${key('opk-c')}`,
        ],
        fp: [
          env('OP_SECRET_KEY', 'A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX'),
          env('OP_SECRET_KEY', `A3-${upper('opk-s1', 6)}-${upper('opk-s2', 11)}`),
        ],
      };
    }),
  },
  {
    id: 'databricks-token',
    title: 'Databricks personal access token',
    severity: 'high',
    keywords: ['dapi'],
    pattern: String.raw`\b(dapi[a-f0-9]{32}(?:-[0-9])?)\b`,
    entropy: 3,
    help: 'A Databricks PAT acts as its user or service principal in the workspace (clusters, jobs, data). Revoke it under User Settings → Developer → Access tokens, or an admin can revoke it with the Token Management API.',
    examples: lazyExamples(() => ({
      tp: [
        ...syntax.all('databricks_token', `dapi${hex('db-a', 32)}`, `dapi${hex('db-b', 32)}-2`),
        `curl -H "Authorization: Bearer dapi${hex('db-c', 32)}" https://adb-1.azuredatabricks.net/api/2.0/clusters/list`,
      ],
      fp: [
        env('DATABRICKS_TOKEN', `dapi${'0'.repeat(32)}`),
        yaml('databricks_token', `dapi${hex('db-s', 24)}`),
        code('fn', `rapidapi${hex('db-e', 32)}`),
      ],
    })),
  },
  {
    id: 'atlassian-api-token',
    title: 'Atlassian API token (Jira, Confluence)',
    severity: 'high',
    keywords: ['atatt3'],
    pattern: String.raw`\b(ATATT3[A-Za-z0-9_-]{100,300}=[A-F0-9]{8})\b`,
    entropy: 4,
    validate: validateAtlassianToken,
    requireValid: true,
    help: 'An Atlassian API token authenticates as its user to Jira, Confluence and Bitbucket APIs with all their permissions. Revoke it at id.atlassian.com → Security → API tokens. The last 8 hex digits are a CRC32 of the rest; a value whose checksum fails is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        env('JIRA_API_TOKEN', atlassian('at-a')),
        yaml('confluence_token', atlassian('at-b')),
        json('apiToken', atlassian('at-c')),
      ],
      fp: [
        env('JIRA_API_TOKEN', `ATATT3xFfGF0${'x'.repeat(170)}=00000000`),
        yaml('confluence_token', `ATATT3xFfGF0${b64url('at-s', 40)}=${fake('at-s2', 8, ALPHABETS.HEX)}`),
        json('apiToken', `ATATT3xFfGF0${b64url('at-n', 170)}`), // no checksum suffix
        code('token', corrupt(atlassian('at-a'))),
        env('JIRA_API_TOKEN', `ATATT3xFfGF0${b64url('at-r', 170)}=${fake('at-r2', 8, ALPHABETS.HEX)}`), // a random checksum
      ],
    })),
  },
  {
    id: 'atlassian-api-token-legacy',
    title: 'Atlassian API token (unprefixed)',
    severity: 'medium',
    keywords: ['jira', 'confluence', 'atlassian'],
    pattern: String.raw`(?i:jira|confluence|atlassian)[A-Za-z0-9_.-]{0,20}(?i:api_?token|token|password)${ASSIGN}([A-Za-z0-9]{24})${TOKEN_END}`,
    entropy: 3.5,
    help: 'An older 24-character Atlassian API token authenticates as its user to Jira and Confluence. Revoke it at id.atlassian.com → Security → API tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('JIRA_API_TOKEN', fake('atl-a', 24)),
        yaml('confluence_api_token', fake('atl-b', 24)),
        json('atlassianToken', fake('atl-c', 24)),
      ],
      fp: [
        env('JIRA_API_TOKEN', syntax.ref('JIRA_API_TOKEN')),
        yaml('jira_url', 'https://acme.atlassian.net'),
        env('JIRA_API_TOKEN', 'a'.repeat(24)),
        // The first 24 characters of a longer token (a current ATATT3 token continues with - or _) are not a legacy one.
        env('JIRA_API_TOKEN', `${fake('atl-d', 24)}-${fake('atl-e', 40)}`),
      ],
    })),
  },
  {
    id: 'linear-api-key',
    title: 'Linear API key',
    severity: 'high',
    keywords: ['lin_api_'],
    pattern: String.raw`\b(lin_api_[A-Za-z0-9]{40})\b`,
    entropy: 4,
    help: 'A Linear personal API key reads and writes issues, projects and comments as its user. Revoke it under Settings → Account → Security & access → API keys.',
    examples: lazyExamples(() => ({
      tp: syntax.all('linear_api_key', `lin_api_${fake('lin-a', 40)}`, `lin_api_${fake('lin-b', 40)}`),
      fp: [
        env('LINEAR_API_KEY', `lin_api_${'x'.repeat(40)}`),
        yaml('linear_api_key', `lin_api_${fake('lin-s', 24)}`),
        json('linear_api_key', `lin_api_${fake('lin-l', 48)}`),
      ],
    })),
  },
  {
    id: 'linear-oauth-token',
    title: 'Linear OAuth access token',
    severity: 'high',
    keywords: ['lin_oauth_'],
    pattern: String.raw`\b(lin_oauth_[a-f0-9]{64})\b`,
    entropy: 3,
    help: 'A Linear OAuth token acts for the user who authorised the application. Revoke it with the OAuth revoke endpoint or under Settings → Applications.',
    examples: lazyExamples(() => ({
      tp: [env('LINEAR_TOKEN', `lin_oauth_${hex('lo-a', 64)}`), json('access_token', `lin_oauth_${hex('lo-b', 64)}`)],
      fp: [env('LINEAR_TOKEN', `lin_oauth_${'0'.repeat(64)}`), json('access_token', `lin_oauth_${hex('lo-s', 40)}`)],
    })),
  },
  {
    id: 'postman-api-key',
    title: 'Postman API key',
    severity: 'high',
    keywords: ['pmak-'],
    pattern: String.raw`\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b`,
    entropy: 3,
    help: "A Postman API key reads and changes its user's collections, environments (often full of other secrets) and workspaces. Regenerate or delete it under Settings → API keys.",
    examples: lazyExamples(() => ({
      tp: syntax.all(
        'postman_api_key',
        `PMAK-${hex('pm-a', 24)}-${hex('pm-b', 34)}`,
        `PMAK-${hex('pm-c', 24)}-${hex('pm-d', 34)}`,
      ),
      fp: [
        env('POSTMAN_API_KEY', `PMAK-${'0'.repeat(24)}-${'0'.repeat(34)}`),
        yaml('postman_api_key', `PMAK-${hex('pm-s', 24)}-${hex('pm-t', 20)}`),
      ],
    })),
  },
  {
    id: 'grafana-cloud-token',
    title: 'Grafana Cloud access policy token',
    severity: 'high',
    keywords: ['glc_'],
    pattern: String.raw`\b(glc_[A-Za-z0-9+/]{32,}={0,2})`,
    entropy: 4,
    validate: jsonAfter('glc_'),
    requireValid: true,
    help: 'A Grafana Cloud access policy token reads or writes metrics, logs, traces or stacks per its policy. Delete it under Administration → Cloud access policies. It must decode to a JSON payload; one that does not is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        env('GRAFANA_CLOUD_TOKEN', grafanaCloud('gc-a')),
        yaml('password', grafanaCloud('gc-b')),
        json('token', grafanaCloud('gc-c')),
      ],
      fp: [env('GRAFANA_CLOUD_TOKEN', `glc_${b64('gc-x', 120)}`), yaml('password', `glc_${'A'.repeat(60)}`)],
    })),
  },
  {
    id: 'grafana-service-account-token',
    title: 'Grafana service account token',
    severity: 'high',
    keywords: ['glsa_'],
    pattern: String.raw`\b(glsa_[A-Za-z0-9]{32}_[a-f0-9]{8})\b`,
    entropy: 4,
    validate: validateGrafanaServiceAccountToken,
    requireValid: true,
    help: "A Grafana service account token calls the Grafana HTTP API with the service account's role (dashboards, data sources, alerting). Delete it under Administration → Users and access → Service accounts. The last 8 hex digits are a CRC32 of the rest; a value whose checksum fails is not reported.",
    examples: lazyExamples(() => ({
      tp: syntax.all('grafana_token', fakeGrafanaServiceAccountToken('gs-a'), fakeGrafanaServiceAccountToken('gs-c')),
      fp: [
        env('GRAFANA_TOKEN', corrupt(fakeGrafanaServiceAccountToken('gs-a'))),
        code('token', `glsa_${fake('gs-r', 32)}_${hex('gs-r2', 8)}`), // a random checksum
        env('GRAFANA_TOKEN', `glsa_${'x'.repeat(32)}_00000000`),
        yaml('grafana_token', `glsa_${fake('gs-s', 20)}_${hex('gs-t', 8)}`),
        json('grafana_token', `glsa_${fake('gs-n', 32)}`),
      ],
    })),
  },
  {
    id: 'grafana-api-key-legacy',
    title: 'Grafana API key (legacy)',
    severity: 'medium',
    keywords: ['eyjrijoi'],
    pattern: String.raw`\b(eyJrIjoi[A-Za-z0-9+/]{40,}={0,2})`,
    entropy: 4,
    validate: (s) => validateBase64JsonPayload(s),
    requireValid: true,
    help: 'A legacy Grafana API key (base64 JSON with k, n, id) calls the HTTP API with its role. Delete it under Administration → API keys and migrate to service accounts. One that does not decode is not reported.',
    examples: lazyExamples(() => ({
      tp: [env('GRAFANA_API_KEY', grafanaLegacy('gl-a')), `Authorization: Bearer ${grafanaLegacy('gl-b')}`],
      fp: [
        env('GRAFANA_API_KEY', `eyJrIjoi${b64('gl-x', 60)}`),
        yaml('grafana_api_key', 'eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk'),
      ],
    })),
  },
  {
    id: 'sentry-user-token',
    title: 'Sentry user auth token',
    severity: 'high',
    keywords: ['sntryu_'],
    pattern: String.raw`\b(sntryu_[a-f0-9]{64})\b`,
    entropy: 3,
    help: 'A Sentry user auth token calls the Sentry API as its user within its scopes (projects, releases, events with their data). Revoke it under User settings → Personal Tokens.',
    examples: lazyExamples(() => ({
      tp: syntax.all('sentry_auth_token', `sntryu_${hex('su-a', 64)}`, `sntryu_${hex('su-b', 64)}`),
      fp: [
        env('SENTRY_AUTH_TOKEN', `sntryu_${'0'.repeat(64)}`),
        yaml('sentry_auth_token', `sntryu_${hex('su-s', 40)}`),
      ],
    })),
  },
  {
    id: 'sentry-org-token',
    title: 'Sentry organisation auth token',
    severity: 'high',
    keywords: ['sntrys_'],
    pattern: String.raw`\b(sntrys_eyJ[A-Za-z0-9+/=]{20,}_[A-Za-z0-9+/]{43})(?:[^A-Za-z0-9+/_=]|$)`,
    entropy: 4,
    validate: (s) => validateBase64JsonPayload(s.slice('sntrys_'.length, s.lastIndexOf('_'))),
    requireValid: true,
    help: 'A Sentry organisation token uploads source maps and creates releases for the organisation (CI use). Revoke it under Settings → Developer Settings → Organization Tokens. Its middle part must decode to JSON; one that does not is not reported.',
    examples: lazyExamples(() => ({
      tp: [env('SENTRY_AUTH_TOKEN', sentryOrg('so-a')), yaml('authToken', sentryOrg('so-b'))],
      fp: [
        env('SENTRY_AUTH_TOKEN', `sntrys_eyJ${b64('so-x', 80)}_${b64('so-y', 43)}`),
        yaml('authToken', `sntrys_eyJ${b64('so-s', 80)}`),
      ],
    })),
  },
  {
    id: 'newrelic-user-api-key',
    title: 'New Relic user API key',
    severity: 'high',
    keywords: ['nrak-'],
    pattern: String.raw`\b(NRAK-[A-Z0-9]{27})\b`,
    entropy: 4,
    help: 'A New Relic user key calls NerdGraph as its user (accounts, alerts, data). Delete it under API keys in the New Relic UI.',
    examples: lazyExamples(() => ({
      tp: syntax.all('new_relic_api_key', `NRAK-${upper('nr-a', 27)}`, `NRAK-${upper('nr-b', 27)}`),
      fp: [
        env('NEW_RELIC_API_KEY', `NRAK-${'X'.repeat(27)}`),
        yaml('new_relic_api_key', `NRAK-${upper('nr-s', 20)}`),
        json('new_relic_api_key', `NRAK-${fake('nr-l', 27, ALPHABETS.lowerAlnum)}`),
      ],
    })),
  },
  {
    id: 'newrelic-license-key',
    title: 'New Relic ingest license key',
    severity: 'medium',
    keywords: ['nral'],
    // 36 characters and `NRAL`: lower-case (`eu01xx…` in the EU), or 32 hex digits and `FFFFNRAL`.
    pattern: String.raw`\b([a-z0-9]{36}NRAL|[a-f0-9]{32}FFFFNRAL)\b`,
    entropy: 3.5,
    validate: (secret) => (isPlaceholder(secret.slice(0, -4)) ? 'invalid' : 'unknown'), // `a1b2c3…NRAL`
    help: 'A New Relic license key sends telemetry into the account (data poisoning, cost). Create a new ingest key under API keys, roll agents to it, then delete the old one.',
    examples: lazyExamples(() => ({
      tp: [
        env('NEW_RELIC_LICENSE_KEY', `eu01xx${fake('nrl-a', 30, ALPHABETS.lowerAlnum)}NRAL`),
        yaml('license_key', `${fake('nrl-b', 36, ALPHABETS.lowerAlnum)}NRAL`),
        env('NEW_RELIC_LICENSE_KEY', `${fake('nrl-c', 32, ALPHABETS.hex)}FFFFNRAL`),
      ],
      fp: [
        env('NEW_RELIC_LICENSE_KEY', `${'x'.repeat(36)}NRAL`),
        yaml('license_key', `${fake('nrl-s', 20, ALPHABETS.lowerAlnum)}NRAL`),
        'licenseKey=a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8NRAL',
      ],
    })),
  },
  {
    id: 'newrelic-insights-key',
    title: 'New Relic Insights insert/query key',
    severity: 'medium',
    keywords: ['nrii-', 'nriq-'],
    pattern: String.raw`\b(NRI[IQ]-[A-Za-z0-9_-]{32})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'An Insights insert key writes custom events; a query key reads account data with NRQL. Delete it under API keys → Insights keys.',
    examples: lazyExamples(() => ({
      tp: [
        env('NEW_RELIC_INSERT_KEY', `NRII-${b64url('nri-a', 32)}`),
        yaml('query_key', `NRIQ-${b64url('nri-b', 32)}`),
      ],
      fp: [env('NEW_RELIC_INSERT_KEY', `NRII-${'x'.repeat(32)}`), yaml('query_key', `NRIQ-${b64url('nri-s', 16)}`)],
    })),
  },
  {
    id: 'datadog-api-key',
    title: 'Datadog API key',
    severity: 'high',
    keywords: ['datadog', 'dd_api', 'dd-api', 'ddapi'],
    // `dd` starts the name (not `add_api_key`).
    pattern: String.raw`(?:^|[^A-Za-z0-9/])(?i:(?:datadog|dd)[_-]?api[_-]?key)${ASSIGN}([a-f0-9]{32})\b`,
    entropy: 3,
    help: 'A Datadog API key submits metrics, logs and events to the organisation. Revoke it under Organization Settings → API Keys and roll agents to a new one.',
    examples: lazyExamples(() => ({
      tp: [
        env('DD_API_KEY', hex('dd-a', 32)),
        yaml('datadog_api_key', hex('dd-b', 32)),
        json('ddApiKey', hex('dd-c', 32)),
        code('datadogApiKey', hex('dd-a', 32)),
      ],
      fp: [
        env('DD_API_KEY', syntax.ref('DD_API_KEY')),
        yaml('datadog_api_key', '0'.repeat(32)),
        env('DD_API_KEY', hex('dd-s', 24)),
        json('dd_site', 'datadoghq.eu'),
      ],
    })),
  },
  {
    id: 'datadog-app-key',
    title: 'Datadog application key',
    severity: 'high',
    keywords: ['datadog', 'dd_app', 'dd-app', 'ddapp'],
    pattern: String.raw`(?i:(?:datadog|dd)[_-]?app(?:lication)?[_-]?key)${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    help: "A Datadog application key, with an API key, reads and changes the organisation's data and configuration as its user. Revoke it under Organization Settings → Application Keys.",
    examples: lazyExamples(() => ({
      tp: [
        env('DD_APP_KEY', hex('dda-a', 40)),
        yaml('datadog_application_key', hex('dda-b', 40)),
        json('ddAppKey', hex('dda-c', 40)),
      ],
      fp: [
        env('DD_APP_KEY', syntax.ref('DD_APP_KEY')),
        yaml('datadog_app_key', hex('dda-s', 32)),
        env('DD_APP_KEY', '0'.repeat(40)),
      ],
    })),
  },
  {
    id: 'dynatrace-token',
    title: 'Dynatrace access token',
    severity: 'high',
    keywords: ['dt0'],
    pattern: String.raw`\b(dt0[a-z][0-9]{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b`,
    entropy: 4,
    help: 'A Dynatrace token calls the environment or account API within its scopes (ingest, settings, secrets of monitored entities). Revoke it under Access tokens.',
    examples: lazyExamples(() => ({
      tp: syntax.all(
        'dt_api_token',
        `dt0c01.${upper('dt-a', 24)}.${upper('dt-b', 64)}`,
        `dt0s01.${upper('dt-c', 24)}.${upper('dt-d', 64)}`,
      ),
      fp: [
        env('DT_API_TOKEN', `dt0c01.${upper('dt-s', 24)}.${upper('dt-t', 40)}`),
        yaml('dt_api_token', `dt0c01.${'X'.repeat(24)}.${'X'.repeat(64)}`),
      ],
    })),
  },
  {
    id: 'pagerduty-api-key',
    title: 'PagerDuty API key',
    severity: 'high',
    keywords: ['pagerduty'],
    pattern: String.raw`(?i:pagerduty[A-Za-z0-9_.-]{0,20}(?:token|key))${ASSIGN}((?:u\+)?[A-Za-z0-9_+-]{20})(?:[^A-Za-z0-9_+-]|$)`,
    entropy: 3.5,
    help: "A PagerDuty REST API key reads and changes incidents, schedules and services (account-wide for general keys, as its user for user tokens). Delete it under Integrations → API Access Keys or the user's API access.",
    examples: lazyExamples(() => ({
      tp: [
        env('PAGERDUTY_TOKEN', b64url('pd-a', 20)),
        yaml('pagerduty_api_key', `u+${b64url('pd-b', 18)}`),
        json('pagerdutyToken', b64url('pd-c', 20)),
      ],
      fp: [
        env('PAGERDUTY_TOKEN', syntax.ref('PAGERDUTY_TOKEN')),
        yaml('pagerduty_routing_key', hex('pd-r', 32)), // an Events routing key is 32 hex: not this rule
        env('PAGERDUTY_TOKEN', 'x'.repeat(20)),
      ],
    })),
  },
  {
    id: 'pagerduty-integration-key',
    title: 'PagerDuty integration (Events API routing) key',
    severity: 'medium',
    // Alertmanager's `pagerduty_configs` (`routing_key:` for Events API v2, `service_key:` for v1), and other
    // integrations' settings: 32 characters. Not AMQP's `routing_key` (a topic: words and dots).
    keywords: [
      'routing_key',
      'routingkey',
      'routing-key',
      'service_key',
      'servicekey',
      'integration_key',
      'integrationkey',
    ],
    pattern: String.raw`(?i)(?:routing|service|integration)[_-]?key["']?[ \t]*(?::|=>?)[ \t]*["']?([a-z0-9]{32})(?:["'\s,;}]|$)`,
    entropy: 3,
    help: 'A PagerDuty integration key (an Events API v2 routing key, or a v1 service key) sends events to a service: whoever holds it opens, acknowledges and resolves incidents there, and can page the on-call. Regenerate it on the service\u2019s integration in PagerDuty and read it from a secret (Alertmanager: `routing_key_file`).',
    examples: lazyExamples(() => ({
      tp: [
        `receivers:\n  - name: oncall\n    pagerduty_configs:\n      - routing_key: ${hex('pdi-a', 32)}\n`,
        `      - service_key: '${hex('pdi-b', 32)}'`,
        json('routingKey', fake('pdi-c', 32).toLowerCase()),
      ],
      fp: [
        '      - routing_key_file: /etc/alertmanager/secrets/pagerduty',
        "    routing_key: 'orders.created.v1'",
        `      - routing_key: ${'0'.repeat(32)}`,
        `      - routing_key: ${syntax.ref('PAGERDUTY_ROUTING_KEY')}`,
      ],
    })),
  },
  {
    id: 'circleci-personal-token',
    title: 'CircleCI personal API token',
    severity: 'high',
    keywords: ['ccipat_'],
    pattern: String.raw`\b(CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})\b`,
    entropy: 4,
    help: 'A CircleCI personal token acts as its user on every project they follow (env vars, contexts, SSH keys). Delete it under User Settings → Personal API Tokens.',
    examples: lazyExamples(() => ({
      tp: syntax.all(
        'circle_token',
        `CCIPAT_${fake('cc-a', 22)}_${hex('cc-b', 40)}`,
        `CCIPAT_${fake('cc-c', 22)}_${hex('cc-d', 40)}`,
      ),
      fp: [
        env('CIRCLE_TOKEN', `CCIPAT_${'x'.repeat(22)}_${'0'.repeat(40)}`),
        yaml('circle_token', `CCIPAT_${fake('cc-s', 22)}_${hex('cc-t', 20)}`),
      ],
    })),
  },
  {
    id: 'circleci-project-token',
    title: 'CircleCI project API token',
    severity: 'high',
    keywords: ['cciprj_'],
    pattern: String.raw`\b(CCIPRJ_[A-Za-z0-9]{22}_[a-f0-9]{40})\b`,
    entropy: 4,
    help: 'A CircleCI project token triggers pipelines and reads or changes one project. Delete it under Project Settings → API Permissions.',
    examples: lazyExamples(() => ({
      tp: [
        env('CIRCLE_PROJECT_TOKEN', `CCIPRJ_${fake('cp-a', 22)}_${hex('cp-b', 40)}`),
        json('token', `CCIPRJ_${fake('cp-c', 22)}_${hex('cp-d', 40)}`),
      ],
      fp: [
        env('CIRCLE_PROJECT_TOKEN', `CCIPRJ_${'x'.repeat(22)}_${'0'.repeat(40)}`),
        json('token', `CCIPRJ_${fake('cp-s', 22)}`),
      ],
    })),
  },
  {
    id: 'circleci-token-legacy',
    title: 'CircleCI API token (unprefixed)',
    severity: 'medium',
    keywords: ['circle'],
    pattern: String.raw`(?i:circle[_-]?(?:ci[_-]?)?(?:api[_-]?)?token)${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    help: 'An older 40-hex CircleCI API token acts as its user or on its project. Delete it under User Settings → Personal API Tokens or Project Settings → API Permissions.',
    examples: lazyExamples(() => ({
      tp: [
        env('CIRCLE_TOKEN', hex('cl-a', 40)),
        yaml('circleci_token', hex('cl-b', 40)),
        json('circleApiToken', hex('cl-c', 40)),
      ],
      fp: [
        env('CIRCLE_TOKEN', syntax.ref('CIRCLE_TOKEN')),
        env('CIRCLE_SHA1', hex('cl-sha', 40)),
        yaml('circleci_token', '0'.repeat(40)),
      ],
    })),
  },
  {
    id: 'travis-ci-token',
    title: 'Travis CI API token',
    severity: 'medium',
    keywords: ['travis'],
    pattern: `(?i:travis[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}([A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    help: 'A Travis CI API token acts as its user (builds, env vars, settings of their repositories). Regenerate it under Settings → API authentication.',
    examples: lazyExamples(() => ({
      tp: [
        env('TRAVIS_TOKEN', b64url('tr-a', 22)),
        yaml('travis_api_token', b64url('tr-b', 22)),
        json('travisToken', b64url('tr-c', 22)),
      ],
      fp: [
        env('TRAVIS_TOKEN', syntax.ref('TRAVIS_TOKEN')),
        env('TRAVIS_TOKEN', b64url('tr-s', 16)),
        yaml('travis_token', 'x'.repeat(22)),
      ],
    })),
  },
  {
    id: 'buildkite-token',
    title: 'Buildkite API access token',
    severity: 'high',
    keywords: ['bkua_'],
    pattern: String.raw`\b(bkua_[a-f0-9]{40})\b`,
    entropy: 3,
    help: 'A Buildkite API access token calls the REST/GraphQL APIs as its user within its scopes (pipelines, builds, agents). Revoke it under Personal Settings → API Access Tokens.',
    examples: lazyExamples(() => ({
      tp: syntax.all('buildkite_api_token', `bkua_${hex('bk-a', 40)}`, `bkua_${hex('bk-b', 40)}`),
      fp: [
        env('BUILDKITE_API_TOKEN', `bkua_${'0'.repeat(40)}`),
        yaml('buildkite_api_token', `bkua_${hex('bk-s', 32)}`),
      ],
    })),
  },
  {
    id: 'jenkins-api-token',
    title: 'Jenkins API token',
    severity: 'high',
    keywords: ['jenkins'],
    pattern: String.raw`(?i:jenkins[A-Za-z0-9_.-]{0,20}(?:token|api_?key|password))${ASSIGN}(11[a-f0-9]{32})\b`,
    entropy: 3,
    help: 'A Jenkins API token authenticates as its user to the controller (trigger jobs, read credentials, script console for admins). Revoke it under the user → Security → API Token.',
    examples: lazyExamples(() => ({
      tp: [
        env('JENKINS_API_TOKEN', `11${hex('jk-a', 32)}`),
        yaml('jenkins_token', `11${hex('jk-b', 32)}`),
        json('jenkinsApiKey', `11${hex('jk-c', 32)}`),
      ],
      fp: [
        env('JENKINS_API_TOKEN', syntax.ref('JENKINS_API_TOKEN')),
        yaml('jenkins_token', `11${'0'.repeat(32)}`),
        env('JENKINS_URL', 'https://ci.acme.test'),
      ],
    })),
  },
  {
    id: 'snyk-token',
    title: 'Snyk API token',
    severity: 'high',
    keywords: ['snyk'],
    pattern: `(?i:snyk[A-Za-z0-9_.-]{0,20}(?:token|api_?key|auth))${ASSIGN}(${UUID})\\b`,
    entropy: 3,
    help: 'A Snyk API token acts as its user or service account (projects, vulnerability data, integrations). Revoke it under Account settings → Auth token, or the service account.',
    examples: lazyExamples(() => ({
      tp: [
        env('SNYK_TOKEN', fakeUuid('sn-a')),
        yaml('snyk_token', fakeUuid('sn-b')),
        json('snykApiKey', fakeUuid('sn-c')),
      ],
      fp: [
        env('SNYK_TOKEN', syntax.secretRef('SNYK_TOKEN')),
        env('SNYK_ORG_ID', fakeUuid('sn-org')),
        yaml('snyk_token', '00000000-0000-0000-0000-000000000000'),
      ],
    })),
  },
  {
    id: 'sonarqube-token',
    title: 'SonarQube token',
    severity: 'high',
    keywords: ['squ_', 'sqp_', 'sqa_'],
    pattern: String.raw`\b(sq[upa]_[a-f0-9]{40})\b`,
    entropy: 3,
    help: 'A SonarQube user (squ_), project analysis (sqp_) or global analysis (sqa_) token runs analyses and, for user tokens, reads source and issues as its user. Revoke it under My Account → Security or Administration → Security.',
    examples: lazyExamples(() => ({
      tp: syntax.all('sonar_token', `squ_${hex('sq-a', 40)}`, `sqp_${hex('sq-b', 40)}`),
      fp: [
        env('SONAR_TOKEN', `squ_${'0'.repeat(40)}`),
        yaml('sonar_token', `sqa_${hex('sq-s', 30)}`),
        json('id', `xsqu_${hex('sq-e', 40)}`),
      ],
    })),
  },
  {
    id: 'sonarcloud-token',
    title: 'SonarCloud / SonarQube token (unprefixed)',
    severity: 'medium',
    keywords: ['sonar'],
    pattern: String.raw`(?i:sonar[_.-]?(?:token|login))${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    help: 'An unprefixed SonarCloud or older SonarQube token runs analyses and reads project data as its user. Revoke it under My Account → Security.',
    examples: lazyExamples(() => ({
      tp: [
        env('SONAR_TOKEN', hex('sc-a', 40)),
        `sonar-scanner -Dsonar.login=${hex('sc-b', 40)}`,
        yaml('sonar.token', hex('sc-c', 40)),
      ],
      fp: [
        env('SONAR_TOKEN', syntax.secretRef('SONAR_TOKEN')),
        yaml('sonar.login', 'admin'),
        env('SONAR_TOKEN', '0'.repeat(40)),
      ],
    })),
  },
  {
    id: 'codecov-token',
    title: 'Codecov upload token',
    severity: 'low',
    keywords: ['codecov'],
    pattern: `(?i:codecov[_-]?(?:upload[_-]?)?token)${ASSIGN}(${UUID})\\b`,
    entropy: 3,
    help: "A Codecov upload token uploads coverage reports for a repository (or the organisation, for global tokens). Regenerate it in the repository's Codecov settings.",
    examples: lazyExamples(() => ({
      tp: [env('CODECOV_TOKEN', fakeUuid('cv-a')), yaml('codecov_token', fakeUuid('cv-b'))],
      fp: [
        env('CODECOV_TOKEN', syntax.secretRef('CODECOV_TOKEN')),
        yaml('codecov_token', '00000000-0000-0000-0000-000000000000'),
      ],
    })),
  },
  {
    id: 'pulumi-access-token',
    title: 'Pulumi access token',
    severity: 'high',
    keywords: ['pul-'],
    pattern: String.raw`\b(pul-[a-f0-9]{40})\b`,
    entropy: 3,
    help: 'A Pulumi access token reads and updates stacks (and their secrets and state) of its user, team or organisation. Delete it under Settings → Access tokens in Pulumi Cloud.',
    examples: lazyExamples(() => ({
      tp: syntax.all('pulumi_access_token', `pul-${hex('pu-a', 40)}`, `pul-${hex('pu-b', 40)}`),
      fp: [
        env('PULUMI_ACCESS_TOKEN', `pul-${'0'.repeat(40)}`),
        yaml('pulumi_access_token', `pul-${hex('pu-s', 32)}`),
        json('name', `rapul-${hex('pu-e', 40)}`),
      ],
    })),
  },
  {
    id: 'okta-api-token',
    title: 'Okta API token',
    severity: 'high',
    keywords: ['okta', 'ssws'],
    pattern: String.raw`(?:(?i:okta[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}|(?i:ssws)\s+)(00[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: "An Okta API token calls the management API with its admin's permissions (users, apps, policies). Revoke it under Security → API → Tokens.",
    examples: lazyExamples(() => ({
      tp: [
        env('OKTA_API_TOKEN', `00${b64url('ok-a', 40)}`),
        yaml('okta_token', `00${b64url('ok-b', 40)}`),
        `curl -H "Authorization: SSWS 00${b64url('ok-c', 40)}" https://acme.okta.com/api/v1/users`,
      ],
      fp: [
        env('OKTA_API_TOKEN', syntax.ref('OKTA_API_TOKEN')),
        yaml('okta_token', `00${b64url('ok-s', 30)}`),
        env('OKTA_CLIENT_ID', `0oa${b64url('ok-id', 17)}`),
      ],
    })),
  },
  {
    id: 'tailscale-auth-key',
    title: 'Tailscale auth key',
    severity: 'high',
    keywords: ['tskey-auth-'],
    pattern: String.raw`\b(tskey-auth-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,40})\b`,
    entropy: 4,
    help: 'A Tailscale auth key joins new devices to the tailnet (with its tags, possibly reusable). Revoke it under Settings → Keys in the admin console.',
    examples: lazyExamples(() => ({
      tp: [
        env('TS_AUTHKEY', tailscale('auth', 'ts-a')),
        yaml('authkey', tailscale('auth', 'ts-b')),
        `tailscale up --authkey=${tailscale('auth', 'ts-c')}`,
      ],
      fp: [
        env('TS_AUTHKEY', `tskey-auth-${'x'.repeat(12)}-${'x'.repeat(33)}`),
        yaml('authkey', 'tskey-auth-XXXX'),
        env('TS_AUTHKEY', `tskey-auth-${fake('ts-s', 12)}`),
      ],
    })),
  },
  {
    id: 'tailscale-api-key',
    title: 'Tailscale API access token, OAuth client secret, SCIM key or webhook secret',
    severity: 'high',
    keywords: ['tskey-api-', 'tskey-client-', 'tskey-scim-', 'tskey-webhook-'],
    pattern: String.raw`\b(tskey-(?:api|client|scim|webhook)-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,40})\b`,
    entropy: 4,
    help: 'A Tailscale API access token (or OAuth client secret) manages the tailnet: devices, ACLs, keys; a SCIM key provisions its users, a webhook secret signs the events it sends. Revoke it under Settings → Keys (or Trust credentials) in the admin console.',
    examples: lazyExamples(() => ({
      tp: [
        env('TAILSCALE_API_KEY', tailscale('api', 'tsa-a')),
        json('oauth_client_secret', tailscale('client', 'tsa-b')),
        env('TAILSCALE_SCIM_KEY', tailscale('scim', 'tsa-c')),
        yaml('webhook_secret', tailscale('webhook', 'tsa-d')),
      ],
      fp: [
        env('TAILSCALE_API_KEY', `tskey-api-${'x'.repeat(12)}-${'x'.repeat(33)}`),
        json('oauth_client_secret', 'tskey-client-'),
      ],
    })),
  },
  {
    id: 'prefect-api-key',
    title: 'Prefect Cloud API key',
    severity: 'high',
    keywords: ['pnu_'],
    pattern: String.raw`\b(pnu_[A-Za-z0-9]{36})\b`,
    entropy: 4,
    help: 'A Prefect Cloud API key acts as its user or service account on workspaces (flows, blocks holding credentials, deployments). Delete it under Profile → API keys.',
    examples: lazyExamples(() => ({
      tp: syntax.all('prefect_api_key', `pnu_${fake('pf-a', 36)}`, `pnu_${fake('pf-b', 36)}`),
      fp: [env('PREFECT_API_KEY', `pnu_${'x'.repeat(36)}`), yaml('prefect_api_key', `pnu_${fake('pf-s', 20)}`)],
    })),
  },
  {
    id: 'octopus-deploy-api-key',
    title: 'Octopus Deploy API key',
    severity: 'high',
    keywords: ['api-'],
    pattern: String.raw`\b(API-[A-Z0-9]{25,32})\b`,
    entropy: 3.5,
    help: 'An Octopus Deploy API key acts as its user or service account (deployments, variables, targets). Revoke it under the user profile → API keys.',
    examples: lazyExamples(() => ({
      tp: [
        env('OCTOPUS_API_KEY', `API-${upper('oc-a', 26)}`),
        `octo push --apiKey API-${upper('oc-b', 30)} --server https://octopus.acme.test`,
      ],
      fp: [
        env('OCTOPUS_API_KEY', `API-${'X'.repeat(26)}`),
        yaml('header', 'API-VERSION-NEGOTIATION-HEADER'),
        env('OCTOPUS_API_KEY', `API-${upper('oc-s', 16)}`),
      ],
    })),
  },
  {
    id: 'rancher-api-token',
    title: 'Rancher API token',
    severity: 'high',
    keywords: ['token-'],
    pattern: String.raw`\b(token-[a-z0-9]{5}:[a-z0-9]{54})\b`,
    entropy: 3.5,
    help: 'A Rancher API token acts as its user on the Rancher server and the clusters it manages. Delete it under Account & API Keys.',
    examples: lazyExamples(() => ({
      tp: [
        env(
          'RANCHER_TOKEN',
          `token-${fake('rc-a', 5, ALPHABETS.lowerAlnum)}:${fake('rc-b', 54, ALPHABETS.lowerAlnum)}`,
        ),
        yaml('token', `token-${fake('rc-c', 5, ALPHABETS.lowerAlnum)}:${fake('rc-d', 54, ALPHABETS.lowerAlnum)}`),
      ],
      fp: [
        env('RANCHER_TOKEN', `token-abcde:${'x'.repeat(54)}`),
        yaml('token', `token-${fake('rc-s', 5, ALPHABETS.lowerAlnum)}:${fake('rc-t', 30, ALPHABETS.lowerAlnum)}`),
      ],
    })),
  },
  {
    id: 'launchdarkly-access-token',
    title: 'LaunchDarkly API access token',
    severity: 'high',
    keywords: ['api-'],
    pattern: `\\b(api-${UUIDL})\\b`,
    entropy: 3,
    help: 'A LaunchDarkly access token calls the REST API with its role (flags, targeting, environments and their SDK keys). Delete or reset it under Organization settings → Authorization.',
    examples: lazyExamples(() => ({
      tp: [env('LD_ACCESS_TOKEN', `api-${fakeUuid('ld-a')}`), yaml('launchdarkly_token', `api-${fakeUuid('ld-b')}`)],
      fp: [
        env('LD_ACCESS_TOKEN', 'api-00000000-0000-0000-0000-000000000000'),
        yaml('route', `/v2/api-${fakeUuid('ld-c').slice(0, 20)}`),
      ],
    })),
  },
  {
    id: 'launchdarkly-sdk-key',
    title: 'LaunchDarkly server-side SDK key',
    severity: 'medium',
    keywords: ['sdk-'],
    pattern: `\\b(sdk-${UUIDL})\\b`,
    entropy: 3,
    help: "A LaunchDarkly server-side SDK key reads every flag and segment (with targeting rules and user data) of one environment. Reset it under the project → Environments → the environment's keys.",
    examples: lazyExamples(() => ({
      tp: [env('LAUNCHDARKLY_SDK_KEY', `sdk-${fakeUuid('lds-a')}`), json('sdkKey', `sdk-${fakeUuid('lds-b')}`)],
      fp: [
        env('LAUNCHDARKLY_SDK_KEY', 'sdk-00000000-0000-0000-0000-000000000000'),
        json('sdkKey', `sdk-${hex('lds-s', 32)}`),
      ],
    })),
  },
  {
    id: 'splunk-hec-token',
    title: 'Splunk HTTP Event Collector token',
    severity: 'medium',
    keywords: ['splunk'],
    pattern: `(?:(?i:splunk)\\s+|(?i:splunk[A-Za-z0-9_.-]{0,20}(?:hec[_-]?)?token)${ASSIGN})(${UUID})\\b`,
    entropy: 3,
    help: 'A Splunk HEC token sends events into the indexes it allows (log injection, licence cost). Disable or delete it under Settings → Data inputs → HTTP Event Collector.',
    examples: lazyExamples(() => ({
      tp: [
        `curl -H "Authorization: Splunk ${fakeUuid('sp-a')}" https://splunk.acme.test:8088/services/collector`,
        env('SPLUNK_HEC_TOKEN', fakeUuid('sp-b')),
        yaml('splunk_token', fakeUuid('sp-c')),
      ],
      fp: [
        env('SPLUNK_HEC_TOKEN', syntax.ref('SPLUNK_HEC_TOKEN')),
        yaml('splunk_token', '00000000-0000-0000-0000-000000000000'),
      ],
    })),
  },
  {
    id: 'opsgenie-api-key',
    title: 'Opsgenie API key',
    severity: 'high',
    keywords: ['geniekey', 'opsgenie'],
    pattern: `(?:(?i:geniekey)\\s+|(?i:opsgenie[A-Za-z0-9_.-]{0,20}(?:api_?key|key|token))${ASSIGN})(${UUID})\\b`,
    entropy: 3,
    help: 'An Opsgenie API key creates, acknowledges and closes alerts or manages the account, per its integration or API-key rights. Delete it under Settings → API key management (or the integration).',
    examples: lazyExamples(() => ({
      tp: [
        `curl -H "Authorization: GenieKey ${fakeUuid('og-a')}" https://api.opsgenie.com/v2/alerts`,
        env('OPSGENIE_API_KEY', fakeUuid('og-b')),
      ],
      fp: [env('OPSGENIE_API_KEY', syntax.ref('OPSGENIE_API_KEY')), env('OPSGENIE_TEAM_ID', fakeUuid('og-t'))],
    })),
  },
  {
    id: 'ngrok-authtoken',
    title: 'ngrok authtoken or API key',
    severity: 'medium',
    keywords: ['ngrok', 'authtoken'],
    pattern: `(?:(?i:ngrok[A-Za-z0-9_.-]{0,20}(?:auth_?token|api_?key|token))${ASSIGN}|add-authtoken\\s+|(?i:authtoken)${ASSIGN})([0-9][A-Za-z0-9]{20,30}_[A-Za-z0-9]{15,30})\\b`,
    entropy: 4,
    help: 'An ngrok authtoken opens tunnels on the account (exposing hosts under its domains); an API key manages the account. Reset the authtoken or delete the API key in the ngrok dashboard.',
    examples: lazyExamples(() => ({
      tp: [
        `ngrok config add-authtoken 2${fake('ng-a', 26)}_${fake('ng-b', 21)}`,
        yaml('authtoken', `2${fake('ng-c', 26)}_${fake('ng-d', 21)}`),
        env('NGROK_AUTHTOKEN', `2${fake('ng-e', 26)}_${fake('ng-f', 21)}`),
      ],
      fp: [
        env('NGROK_AUTHTOKEN', syntax.ref('NGROK_AUTHTOKEN')),
        yaml('authtoken', `2${'x'.repeat(26)}_${'x'.repeat(21)}`),
      ],
    })),
  },
  {
    id: 'hashicorp-consul-nomad-token',
    title: 'HashiCorp Consul / Nomad ACL token',
    severity: 'high',
    keywords: ['consul', 'nomad'],
    pattern: `(?i:consul[_-]?(?:http[_-]?)?token|nomad[_-]?token|consul[A-Za-z0-9_.-]{0,20}acl[A-Za-z0-9_.-]{0,10}token)${ASSIGN}(${UUID})\\b`,
    entropy: 3,
    help: 'A Consul or Nomad ACL secret ID acts with its policies (service catalogue and KV for Consul, jobs and allocations for Nomad). Delete the token with `consul acl token delete` or `nomad acl token delete` (by accessor).',
    examples: lazyExamples(() => ({
      tp: [
        env('CONSUL_HTTP_TOKEN', fakeUuid('cs-a')),
        env('NOMAD_TOKEN', fakeUuid('cs-b')),
        yaml('consul_acl_token', fakeUuid('cs-c')),
      ],
      fp: [
        env('CONSUL_HTTP_TOKEN', syntax.ref('CONSUL_HTTP_TOKEN')),
        env('NOMAD_TOKEN', '00000000-0000-0000-0000-000000000000'),
        env('CONSUL_HTTP_ADDR', 'https://consul.acme.test'),
      ],
    })),
  },
  {
    id: 'kubernetes-bootstrap-token',
    title: 'Kubernetes bootstrap token',
    severity: 'high',
    keywords: ['--token', 'bootstrap'],
    pattern: `(?:--token[\\s=]+|(?i:bootstrap[_-]?token)${ASSIGN})([a-z0-9]{6}\\.[a-z0-9]{16})\\b`,
    entropy: 3.5,
    validate: (s) => (s === 'abcdef.0123456789abcdef' ? 'invalid' : 'unknown'),
    help: 'A bootstrap token joins nodes to the cluster (and, with kubeadm, can read the cluster CA and config). Delete it with `kubeadm token delete <id>` or the bootstrap-token-<id> Secret in kube-system. The documented abcdef.0123456789abcdef is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `kubeadm join 10.0.0.10:6443 --token ${fake('kb-a', 6, ALPHABETS.lowerAlnum)}.${fake('kb-b', 16, ALPHABETS.lowerAlnum)} --discovery-token-ca-cert-hash sha256:${hex('kb-h', 64)}`,
        yaml('bootstrap_token', `${fake('kb-c', 6, ALPHABETS.lowerAlnum)}.${fake('kb-d', 16, ALPHABETS.lowerAlnum)}`),
      ],
      fp: [
        'kubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef --discovery-token-unsafe-skip-ca-verification',
        yaml('bootstrap_token', syntax.ref('BOOTSTRAP_TOKEN')),
      ],
    })),
  },
  {
    id: 'wifi-psk',
    title: 'Wi-Fi passphrase or pre-shared key (wpa_supplicant, hostapd, NetworkManager)',
    severity: 'medium',
    keywords: ['psk=', 'psk =', 'passphrase=', 'passphrase ='],
    // wpa_supplicant's `psk="…"` (or 64 hex digits, the key itself), NetworkManager's `psk=…`, hostapd's
    // `wpa_passphrase=…` and `wpa_psk=…`: a line of its own, as those files write them.
    pattern: String.raw`(?m)^[ \t]*(?:wpa_)?(?:psk|passphrase)[ \t]*=[ \t]*"?([^"\s]{8,63}|[0-9A-Fa-f]{64})"?[ \t]*\r?$`,
    entropy: 3,
    validate: validatePassword,
    help: 'The passphrase or pre-shared key of a Wi-Fi network (WPA-PSK): anyone holding it joins the network, and with a capture of a handshake reads its traffic. Change the network\u2019s passphrase and keep device configuration out of the repository (or provision it from a secret store).',
    examples: lazyExamples(() => ({
      tp: [
        `network={\n    ssid="HomeNet"\n    psk="${fake('wifi-a', 20)}"\n}`,
        `[wifi-security]\nkey-mgmt=wpa-psk\npsk=${fake('wifi-b', 16)}`,
        `wpa_passphrase=${fake('wifi-c', 24)}`,
        `    psk=${fake('wifi-d', 64, ALPHABETS.hex)}`,
      ],
      fp: ['    psk="your_wifi_password"', '#psk="changeme1"', `wpa_passphrase=${syntax.ref('WIFI_PASSPHRASE')}`],
    })),
  },
  {
    id: 'cloudformation-noecho-default',
    title: 'CloudFormation NoEcho parameter with a default value',
    severity: 'high',
    keywords: ['noecho'],
    // `NoEcho: true` marks the parameter a secret; a `Default:` later in the same parameter is that secret, in the
    // template. YAML: the keys between them each hold a value on their line, so the match cannot run on into the next
    // parameter (whose name line holds none). JSON: no brace between them, so it stays in the parameter's object.
    pattern: String.raw`(?:NoEcho:[ \t]*["']?(?i:true)["']?[ \t]*\r?\n(?:[ \t]+[A-Za-z]+:[ \t]*[^\s][^\n]*\n){0,8}?[ \t]+Default:[ \t]*|"NoEcho"[ \t]*:[ \t]*"?(?i:true)"?[ \t]*,[^{}]*?"Default"[ \t]*:[ \t]*)["']?([^"'\s#{}\[\],]+)`,
    window: 512,
    validate: validatePassword,
    help: 'A CloudFormation (or SAM) template parameter marked `NoEcho`, which hides its value from the console and the API, with a `Default`: the secret ships in the template itself, to everyone who can read the repository or the stack\u2019s template. Rotate the value, remove the default, and pass it at deploy time, or better reference it with a dynamic reference (`{{resolve:secretsmanager:\u2026}}`) or a Secrets Manager resource.',
    examples: lazyExamples(() => ({
      tp: [
        `Parameters:\n  DBPassword:\n    Type: String\n    NoEcho: true\n    Default: "${fake('cfn-a', 16)}"\n`,
        `  AdminPassword:\n    NoEcho: 'true'\n    Type: String\n    MinLength: 8\n    Default: ${fake('cfn-b', 14)}\n`,
        `"DbPassword": {\n  "Type": "String",\n  "NoEcho": "true",\n  "MinLength": "8",\n  "Default": "${fake('cfn-c', 18)}"\n}`,
      ],
      fp: [
        // No default; a dynamic reference; a placeholder; NoEcho off.
        `  DBPassword:\n    Type: String\n    NoEcho: true\n  InstanceType:\n    Type: String\n    Default: ${fake('cfn-d', 12)}\n`,
        "  DBPassword:\n    NoEcho: true\n    Default: '{{resolve:secretsmanager:prod/db:SecretString:password}}'\n",
        '  DBPassword:\n    NoEcho: true\n    Type: String\n    Default: changeme\n',
        `  Region:\n    NoEcho: false\n    Default: ${fake('cfn-e', 12)}\n`,
        `{"DbPassword": {"Type": "String", "NoEcho": "true"}, "Size": {"Default": "${fake('cfn-f', 12)}"}}`,
      ],
    })),
  },
  {
    id: 'cloud-init-chpasswd',
    title: 'Password in a cloud-init chpasswd list',
    severity: 'high',
    keywords: ['chpasswd'],
    // cloud-init's `chpasswd: list:` of `user:password` lines (a block or a YAML list): the first entry's password.
    pattern: String.raw`chpasswd:[ \t]*\r?\n[ \t]+list:[ \t]*(?:[|>][+-]?)?[ \t]*\r?\n[ \t]+(?:-[ \t]+)?["']?[A-Za-z_][\w.-]*:([^\s:"']+)`,
    window: 256,
    // `RANDOM` (or `R`) asks cloud-init to make one up; a crypt hash (`$6$…`) is no password.
    validate: (s) => (/^(?:R|RANDOM)$/.test(s) || isHashedOrEncrypted(s) ? 'invalid' : validatePassword(s)),
    help: 'A password that cloud-init\u2019s `chpasswd` module sets for a user at first boot, in the user data of an image or an instance: anyone who reads the repository (or the instance metadata) logs in with it. Change that password, and let cloud-init set a hashed one (`$6$\u2026`), `RANDOM`, or an SSH key instead.',
    examples: lazyExamples(() => ({
      tp: [
        `#cloud-config\nchpasswd:\n  list: |\n    ubuntu:${fake('ci-a', 14)}\n  expire: false\n`,
        `chpasswd:\n  list:\n    - "root:${fake('ci-b', 16)}"\n`,
      ],
      fp: [
        'chpasswd:\n  list: |\n    ubuntu:RANDOM\n',
        `chpasswd:\n  list: |\n    root:$6$${fake('ci-c', 8)}$${fake('ci-d', 86)}\n`,
        'chpasswd:\n  list: |\n    ubuntu:changeme\n',
        'chpasswd:\n  expire: true\n',
      ],
    })),
  },
  {
    id: 'wireguard-private-key',
    title: 'WireGuard private or preshared key',
    severity: 'high',
    keywords: ['privatekey =', 'privatekey=', 'presharedkey =', 'presharedkey='],
    pattern: `(?i:PrivateKey|PresharedKey) ?= ?([A-Za-z0-9+/]{43}=)(?:[^A-Za-z0-9+/=]|$)`,
    entropy: 4,
    validate: (s) => (Buffer.from(s, 'base64').length === 32 ? 'unknown' : 'invalid'),
    help: "A WireGuard private key (or preshared key) lets anyone impersonate the peer on the VPN. Generate a new key pair with `wg genkey`, update the peer's public key everywhere, and remove the old one. A value that is not 32 bytes of base64 is not reported.",
    examples: lazyExamples(() => ({
      tp: [
        `[Interface]\nAddress = 10.8.0.2/32\nPrivateKey = ${fakeBytes('wg-a', 32).toString('base64')}\nListenPort = 51820`,
        `PresharedKey = ${fakeBytes('wg-b', 32).toString('base64')}`,
      ],
      fp: [
        `PublicKey = ${fakeBytes('wg-p', 32).toString('base64')}`,
        `PrivateKey = ${'A'.repeat(43)}=`,
        'PrivateKey = <output of wg genkey>',
      ],
    })),
  },
];
