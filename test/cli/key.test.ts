// `jit-gpg key export` and `jit-gpg sign --provider <remote>` end to end against the Vault and AWS stand-ins
// (runCli with injected IO): the exported key verifies every signature with gpg, sq and openpgp.js, and nothing
// secret is printed.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { parseCreated } from '../../src/cli/key.ts';
import { runCli } from '../../src/cli/main.ts';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { type AwsStandIn, startAwsStandIn } from '../e2e/services/aws.ts';
import { type OidcIssuer, startOidcIssuer } from '../e2e/services/oidc-issuer.ts';
import { startVaultStandIn, type VaultStandIn } from '../e2e/services/vault.ts';

const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-cli-key-'));
let issuer: OidcIssuer;
let vault: VaultStandIn;
let aws: AwsStandIn;
const printed: string[] = [];
const sqVersion = spawnSync('sq', ['--version'], { encoding: 'utf8' }).stdout ?? '';

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await runCli(argv, { stdout: out, stderr: err, stdin: Readable.from([]), env, cwd: dir, isTTY: false });
  printed.push(stdout, stderr);
  return { code, stdout, stderr };
}

async function jwtEnv(audience: string): Promise<NodeJS.ProcessEnv> {
  return { JOB_JWT: (await requestIdToken({ env: issuer.env(), audience })).token };
}

function verifyAll(pubPath: string, file: string) {
  const home = mkdtempSync(join(tmpdir(), 'jit-gpg-gnupghome-'));
  try {
    execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--import', pubPath], { stdio: 'ignore' });
    const g = spawnSync('gpg', ['--homedir', home, '--batch', '--verify', `${file}.asc`, file], { encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
  } finally {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    rmSync(home, { recursive: true, force: true });
  }
  const args = /^sq 0\./.test(sqVersion)
    ? ['verify', '--signer-cert', pubPath, '--detached', `${file}.asc`, file]
    : ['verify', '--signer-file', pubPath, '--signature-file', `${file}.asc`, file];
  const sq = spawnSync('sq', args, { encoding: 'utf8', env: { ...process.env, SEQUOIA_HOME: join(dir, 'sq') } });
  assert.equal(sq.status, 0, sq.stderr);
}

async function openpgpVerify(pubPath: string, file: string) {
  const verificationKeys = await openpgp.readKey({ armoredKey: readFileSync(pubPath, 'utf8') });
  const signature = await openpgp.readSignature({ armoredSignature: readFileSync(`${file}.asc`, 'utf8') });
  const message = await openpgp.createMessage({ binary: readFileSync(file) });
  const { signatures } = await openpgp.verify({ message, signature, verificationKeys, format: 'binary' });
  await signatures[0]!.verified;
}

before(async () => {
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  const host = issuer.url.replace(/^https?:\/\//, '');
  vault = await startVaultStandIn({
    auth: [
      {
        path: 'jwt',
        oidc_discovery_url: issuer.url,
        bound_issuer: issuer.url,
        roles: {
          signer: {
            bound_audiences: ['jit-gpg'],
            bound_claims: { repository: 'acme/widgets' },
            user_claim: 'repository',
            token_policies: ['sign'],
          },
        },
      },
    ],
    transit: [{ keys: { release: 'ecdsa-p256', rsa: 'rsa-3072' } }],
    policies: {
      sign: {
        'transit/sign/release': ['update'],
        'transit/keys/release': ['read'],
        'transit/sign/rsa': ['update'],
        'transit/keys/rsa': ['read'],
      },
    },
  });
  aws = await startAwsStandIn({
    region: 'eu-west-1',
    oidcProvider: { url: issuer.url, clientIds: ['sts.amazonaws.com'] },
    roles: [
      {
        name: 'release',
        condition: { StringLike: { [`${host}:sub`]: 'repo:acme/widgets:*' } },
        allow: { 'kms:Sign': ['*'], 'kms:GetPublicKey': ['*'] },
      },
    ],
    keys: { release: 'ECC_NIST_P384', ed: 'ECC_NIST_EDWARDS25519' },
  });
});

after(async () => {
  await vault?.close();
  await aws?.close();
  await issuer?.close();
  rmSync(dir, { recursive: true, force: true });
  const all = printed.join('\n');
  for (const t of issuer.issuedTokens) assert.ok(!all.includes(t), 'a JWT was printed');
  for (const c of aws.issued) assert.ok(!all.includes(c.secretAccessKey) && !all.includes(c.sessionToken));
  for (const t of vault.tokens()) assert.ok(!all.includes(t.token), 'a Vault token was printed');
});

describe('jit-gpg key export + sign --provider (remote keys)', () => {
  const transit = (key: string) => [
    '--provider',
    'vault-transit',
    '--vault-url',
    vault.url,
    '--vault-role',
    'signer',
    '--key',
    key,
    '--jwt-env',
    'JOB_JWT',
  ];
  const kms = (key: string) => [
    '--provider',
    'aws-kms',
    '--key',
    key,
    '--aws-role-arn',
    aws.roleArn('release'),
    '--aws-region',
    'eu-west-1',
    '--jwt-env',
    'JOB_JWT',
  ];

  for (const [name, flagsOf, audience] of [
    ['vault-transit P-256', () => transit('release'), 'jit-gpg'],
    ['vault-transit RSA 3072', () => transit('rsa'), 'jit-gpg'],
    ['aws-kms P-384', () => kms('alias/release'), 'sts.amazonaws.com'],
    ['aws-kms Ed25519', () => kms('alias/ed'), 'sts.amazonaws.com'],
  ] as const) {
    it(`${name}: export twice (same fingerprint), sign files + SHA256SUMS; gpg, sq, openpgp.js and jit-gpg verify`, async () => {
      const flags = flagsOf();
      const env = { ...(await jwtEnv(audience)), AWS_ENDPOINT_URL: aws.url };
      const slug = name.replace(/\W+/g, '-');
      const args = [
        'key',
        'export',
        ...flags,
        '--uid',
        'Acme Release <release@acme.example>',
        '--created',
        '2026-02-03T04:05:06Z',
      ];
      const a = await cli(args, env);
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
      const b = await cli([...args, '--output', `${slug}.pub.asc`], {
        ...(await jwtEnv(audience)),
        AWS_ENDPOINT_URL: aws.url,
      });
      assert.equal(b.code, 0, b.stderr);
      const fpr = (s: string) => /key ([0-9A-F]{40}) created 2026-02-03T04:05:06\.000Z/.exec(s)?.[1];
      assert.ok(fpr(a.stderr));
      assert.equal(fpr(a.stderr), fpr(b.stderr), 'the same key and --created give the same fingerprint');

      writeFileSync(join(dir, `${slug}.tar.gz`), Buffer.alloc(200_000, 3));
      writeFileSync(join(dir, `${slug}.txt`), 'notes\n');
      const s = await cli(
        [
          'sign',
          ...flags,
          '--public-key',
          `${slug}.pub.asc`,
          '--checksums',
          `${slug}.SHA256SUMS`,
          `${slug}.tar.gz`,
          `${slug}.txt`,
        ],
        { ...(await jwtEnv(audience)), AWS_ENDPOINT_URL: aws.url },
      );
      assert.equal(s.code, 0, s.stderr);
      assert.match(s.stdout, new RegExp(`key ${fpr(a.stderr)} `));
      const pub = join(dir, `${slug}.pub.asc`);
      for (const f of [`${slug}.tar.gz`, `${slug}.txt`, `${slug}.SHA256SUMS`]) {
        verifyAll(pub, join(dir, f));
        await openpgpVerify(pub, join(dir, f));
      }
      const v = await cli(['verify', '--public-key', `${slug}.pub.asc`, `${slug}.tar.gz`, `${slug}.SHA256SUMS`], {});
      assert.equal(v.code, 0, v.stderr + v.stdout);
    });
  }

  it('a --public-key exported from another key is refused before any sign call', async () => {
    const env = await jwtEnv('jit-gpg');
    const exp = await cli(
      [
        'key',
        'export',
        ...transit('rsa'),
        '--uid',
        'X <x@example.com>',
        '--created',
        '2026-01-01',
        '--output',
        'other.pub.asc',
      ],
      env,
    );
    assert.equal(exp.code, 0, exp.stderr);
    writeFileSync(join(dir, 'm.txt'), 'm\n');
    const signs = vault.transit.get('transit')!.signs.length;
    const r = await cli(
      ['sign', ...transit('release'), '--public-key', 'other.pub.asc', 'm.txt'],
      await jwtEnv('jit-gpg'),
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not match public-key/);
    assert.equal(vault.transit.get('transit')!.signs.length, signs);
  });

  it('--created is strict ISO-8601 and never in the future', () => {
    assert.equal(parseCreated('2026-01-02').toISOString(), '2026-01-02T00:00:00.000Z');
    assert.equal(parseCreated('2026-01-02T03:04:05.9+01:00').toISOString(), '2026-01-02T02:04:05.000Z');
    for (const bad of ['2026-01-02T03:04:05', '1/2/2026', '2026-13-01', '1960-01-01'])
      assert.throws(() => parseCreated(bad));
    assert.throws(() => parseCreated('2026-06-01', new Date('2026-01-01T00:00:00Z')), /future/);
  });
});
