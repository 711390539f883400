// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are hard negatives, not templates
// The labelled evaluation corpus: small files as they occur in real repositories (env files, YAML, Kubernetes
// Secrets, shell scripts, `.http` files, Go/Python/JS code, NuGet and npm configs, docs) holding true secrets on
// labelled lines and hard negatives everywhere else (placeholders, documented example keys, the jwt.io sample,
// hashes, ids, pagination tokens, public keys, code that only names secrets).
//
// Every secret is assembled at run time from the fixture helpers (seeded, deterministic, format-valid, fake), so
// no file in the repository holds a credential-shaped literal GitHub push protection would block (see README.md).
// A line written with `T(...)` holds exactly one true secret; every other line holds none.
import { fakeAwsKeyId, fakeChecksummed } from '../../src/scan/validate/checksum.ts';
import {
  FIXTURE_ALPHABETS as A,
  fakeCephKey,
  fakeJwt,
  fx,
  fxUuid,
  keyFixture,
} from '../../src/scan/validate/structure.ts';

export interface CorpusFile {
  path: string;
  text: string;
  /** 1-based lines that hold a true secret (one each). */
  secrets: number[];
}

/** A line holding one true secret. */
interface True {
  true: string;
}
const T = (text: string): True => ({ true: text });

function file(path: string, lines: (string | True)[]): CorpusFile {
  const out: string[] = [];
  const secrets: number[] = [];
  for (const l of lines) {
    const text = typeof l === 'string' ? l : l.true;
    if (typeof l !== 'string') secrets.push(out.length + 1);
    // A multi-line true value (a PEM block) is labelled at its first line.
    out.push(...text.split('\n'));
  }
  return { path, text: `${out.join('\n')}\n`, secrets };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const pw = (seed: string) => `${fx(seed, 10)}${fx(`${seed}d`, 3, A.digits)}!${fx(`${seed}e`, 4)}`;

/** The corpus, built in memory (deterministic). */
export function corpusFiles(): CorpusFile[] {
  const ghp = fakeChecksummed('ghp_', 'corpus-gh');
  const akia = fakeAwsKeyId('AKIA', '123456789012', 'corpus-aws');
  const awsSecret = fx('corpus-aws-s', 40, A.base64);
  const stripe = `${'sk_live'}_${fx('corpus-st', 99)}`;
  const slack = ['xoxb', fx('c-sb1', 12, A.digits), fx('c-sb2', 13, A.digits), fx('c-sb3', 24)].join('-');
  const jwt = fakeJwt(
    { sub: 'svc-deploy', iss: 'https://auth.corp.invalid', iat: 1767225600, exp: 1767229200 },
    'c-jwt',
  );
  const jwtIo = fakeJwt({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'c-jwtio');
  const sendgrid = `SG.${fx('c-sg1', 22, A.base64url)}.${fx('c-sg2', 43, A.base64url)}`;
  const npm = fakeChecksummed('npm_', 'corpus-npm');
  const notion = `${'ntn'}_${fx('c-ntn1', 11, A.digits)}${fx('c-ntn2', 35)}`;
  const bearer = fx('c-bearer', 40, A.base64url);
  const ec = keyFixture('ec');
  const pkcs8 = keyFixture('pkcs8');
  const example = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
  const exampleSecret = ['wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'].join('');

  return [
    file('.env', [
      '# Local development settings',
      'NODE_ENV=production',
      T(`GITHUB_TOKEN=${ghp}`),
      T(`AWS_ACCESS_KEY_ID=${akia}`),
      T(`AWS_SECRET_ACCESS_KEY=${awsSecret}`),
      T(`STRIPE_SECRET_KEY=${stripe}`),
      T(`DATABASE_URL=postgres://app:${pw('c-pg')}@db.corp.invalid:5432/app`),
      T(`SESSION_SECRET=${fx('c-sess', 48, A.base64url)}`),
      T(`SLACK_BOT_TOKEN=${slack}`),
      'LOG_LEVEL=debug',
      'PORT=8080',
    ]),
    file('deploy/k8s/secret.yaml', [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: app-credentials',
      'type: Opaque',
      'data:',
      T(`  password: ${b64(pw('c-k8s'))}`),
      '  username: YXBwLXVzZXI=',
      'stringData:',
      T(`  userKey: ${fakeCephKey('c-ceph')}`),
      '  userID: csi-rbd-node',
    ]),
    file('scripts/deploy.sh', [
      '#!/bin/sh',
      'set -eu',
      T(`curl -fsS -u deploy:${pw('c-curl')} https://nexus.corp.invalid/service/rest/v1/status`),
      T(`curl -H "Authorization: Bearer ${bearer}" https://api.corp.invalid/v1/releases`),
      T(`docker login -u ci -p ${pw('c-docker')} registry.corp.invalid`),
      'curl -H "Authorization: Bearer $API_TOKEN" https://api.corp.invalid/v1/releases',
      'curl -u "$NEXUS_USER:$NEXUS_PASSWORD" https://nexus.corp.invalid/',
    ]),
    file('api/requests.http', [
      '### List items',
      'GET https://api.corp.invalid/v1/items',
      T(`Authorization: Basic ${b64(`reporting:${pw('c-http')}`)}`),
      '',
      '### Me',
      'GET https://api.corp.invalid/v1/me',
      'Authorization: Bearer {{token}}',
    ]),
    file('certs/server.key', [T(ec)]),
    file('config/service-account.json', [
      '{',
      '  "type": "service_account",',
      T(`  "private_key": ${JSON.stringify(pkcs8)},`),
      '  "client_email": "deployer@project.iam.gserviceaccount.invalid"',
      '}',
    ]),
    file('app/settings.py', [
      'import os',
      '',
      T(`SECRET_KEY = "${fx('c-django', 50, A.base62)}"`),
      T(`SENDGRID_API_KEY = "${sendgrid}"`),
      T(`SERVICE_TOKEN = "${jwt}"`),
      'DEBUG = False',
      'DB_PASSWORD = os.environ["DB_PASSWORD"]',
    ]),
    file('NuGet.Config', [
      '<configuration>',
      '  <packageSourceCredentials>',
      '    <internal>',
      '      <add key="Username" value="ci" />',
      T(`      <add key="ClearTextPassword" value="${fx('c-nuget', 52, A.lowerAlnum)}" />`),
      '    </internal>',
      '  </packageSourceCredentials>',
      '</configuration>',
    ]),
    file('.npmrc', [T(`//registry.npmjs.org/:_authToken=${npm}`), 'save-exact=true']),
    file('internal/notion/client.go', [
      'package notion',
      '',
      'func newRequest() *http.Request {',
      T(`\tconst token = "${notion}"`),
      '\treq, _ := http.NewRequest("GET", baseURL, nil)',
      '\treq.Header.Set("Notion-Version", "2022-06-28")',
      '\treturn req',
      '}',
    ]),

    // ---- hard negatives ----------------------------------------------------------------------------------------
    file('docs/configuration.md', [
      '# Configuration',
      `Set \`AWS_ACCESS_KEY_ID=${example}\` and \`AWS_SECRET_ACCESS_KEY=${exampleSecret}\` (the documented examples).`,
      'export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'curl -H "Authorization: Bearer <token>" https://api.example.com/v1/items',
      `The jwt.io sample token \`${jwtIo}\` is not a credential.`,
      'DATABASE_URL=postgres://user:password@localhost:5432/app',
      'password: changeme',
      'api_key: YOUR_API_KEY_HERE',
      'STRIPE_SECRET_KEY=sk_live_...',
      'token: ${GITHUB_TOKEN}',
    ]),
    file('fixtures/pagination.json', [
      '{',
      `  "NextToken": "${fx('c-next', 52, A.base64)}==",`,
      `  "NextContinuationToken": "${fx('c-cont', 54, A.base64)}==",`,
      `  "ClientToken": "${fx('c-client', 24, A.lowerAlnum)}",`,
      `  "RequestToken": "${fx('c-req', 20)}",`,
      `  "PolicyUpdateToken": "${fx('c-pol', 24)}",`,
      `  "RequestId": "${fxUuid('c-rid')}"`,
      '}',
    ]),
    file('package-lock.json', [
      '{',
      `  "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",`,
      `  "integrity": "sha512-${Buffer.from(fx('c-int', 64)).toString('base64').slice(0, 86)}==",`,
      `  "commit": "${fx('c-sha', 40, A.hex)}",`,
      `  "id": "${fxUuid('c-uuid')}"`,
      '}',
    ]),
    file('certs/server.pub', [keyFixture('public')]),
    file('certs/ca.crt', [keyFixture('certificate-like')]),
    file('src/code.go', [
      'cfg := Config{',
      '\tApiKey: *gcsAPIKey,',
      '\tToken:  opts.Token,',
      '}',
      'var npmrcToken = regexp.MustCompile(`_authToken=\\s*((npm_.+)|(\\$\\{.+\\}))`)',
      'chal := acme.Challenge{Type: "http-01",',
      `\tToken: "${fx('c-acme', 43, A.base64url)}",`,
      '}',
    ]),
    file('src/netrc.py', [
      'def netrc_line(h, self):',
      "    return f'machine {h} login token password {self.auth_token}\\n'",
      'conn = "Server=db;User Id=sa;Password=hunter2\\nserver=other"',
      'password = getPassword()',
      '  token: "REMOVED_TOKEN"),',
    ]),
    file('test/placeholders.yaml', [
      `password: ${b64('1234\n')}`,
      `secret: ${b64('secret\n')}`,
      `auth_token: ${b64('foo:bar')}`,
      `token: "${b64('password')}"`,
      'api_key: "12345678-2323-1111-2222-123456789012"',
      'machine api.corp.invalid login me password old-token',
      'DATABASE_URL=postgres://admin:master_password@db.internal:5432/app',
      'url: https://s3.amazonaws.invalid/b/k?X-Amz-Credential=AKIAZK3JP9QLM2XW8RTY%2F20250101%2Fus-east-1%2Fs3%2Faws4_request',
    ]),
  ];
}
