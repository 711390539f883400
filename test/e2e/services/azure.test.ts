// Proves the Azure stand-in speaks Azure's protocol: Azure's official clients (@azure/identity
// ClientAssertionCredential with the job's OIDC token, @azure/keyvault-keys, @azure/keyvault-secrets), run in a child
// process that trusts the stand-in's test CA through NODE_EXTRA_CA_CERTS, read the key, sign a digest (verified here
// with node:crypto against the JWK) and read a secret; a token for another subject is refused with AADSTS70021.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requestIdToken } from '../../../src/sign/oidc.ts';
import { type AzureStandIn, startAzureStandIn } from './azure.ts';
import { type OidcIssuer, startOidcIssuer } from './oidc-issuer.ts';
import { generateTlsFixture, hasOpenssl } from './vault.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0a1b2c3d-1111-2222-3333-444455556666';
const CLIENT_SCRIPT = join(import.meta.dirname, 'azure-sdk-client.ts');
const openssl = hasOpenssl();

let dir = '';
let caPath = '';
let issuer: OidcIssuer;
let azure: AzureStandIn;

before(async () => {
  if (!openssl) return;
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-azure-sdk-'));
  const tls = generateTlsFixture(dir);
  caPath = tls.caPath;
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  azure = await startAzureStandIn({
    tls,
    tenantId: TENANT,
    apps: [
      {
        clientId: CLIENT,
        federated: [{ issuer: issuer.url, subject: 'repo:acme/widgets:ref:refs/heads/main' }],
        roles: ['Key Vault Crypto User', 'Key Vault Secrets User'],
      },
    ],
    keys: { release: 'P-256', rsa: 'RSA_2048' },
    secrets: { 'release-gpg': 'armored-key-text' },
  });
});
after(async () => {
  await azure?.close();
  await issuer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runClient(extra: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [CLIENT_SCRIPT],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          NODE_EXTRA_CA_CERTS: caPath,
          AZ_URL: azure.url,
          AZ_TENANT: TENANT,
          AZ_CLIENT: CLIENT,
          AZ_SECRET: 'release-gpg',
          ...extra,
        },
      },
      (e, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          done(JSON.parse(line));
        } catch {
          fail(new Error(`${e?.message ?? ''}\n${stderr}\n${stdout}`));
        }
      },
    );
  });
}

describe('the Azure stand-in, proven by Azure SDK clients', { skip: !openssl && 'openssl not available' }, () => {
  for (const [name, alg] of [
    ['release', 'ES256'],
    ['rsa', 'RS256'],
  ] as const) {
    it(`${alg}: ClientAssertionCredential + KeyClient.getKey + CryptographyClient.sign + SecretClient.getSecret`, async () => {
      const jwt = (await requestIdToken({ env: issuer.env(), audience: 'api://AzureADTokenExchange' })).token;
      const out = await runClient({ AZ_JWT: jwt, AZ_KEY: name, AZ_ALG: alg });
      assert.equal(out.error, undefined, JSON.stringify(out.error));
      assert.equal(out.kid, azure.keyId(name));
      assert.equal(out.secret, 'armored-key-text');
      const jwk = out.jwk as Record<string, string>;
      const key = createPublicKey({
        key:
          alg === 'ES256' ? { kty: 'EC', crv: jwk.crv!, x: jwk.x!, y: jwk.y! } : { kty: 'RSA', n: jwk.n!, e: jwk.e! },
        format: 'jwk',
      });
      const digest = Buffer.from(String(out.digest), 'base64url');
      const signature = Buffer.from(String(out.signature), 'base64url');
      // Key Vault signs the SHA-256 digest of 'proof' as given: ES256 raw r‖s, RS256 PKCS#1 v1.5
      const ok = verify(
        'sha256',
        Buffer.from('proof'),
        alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key,
        signature,
      );
      assert.ok(ok, 'the SDK-returned signature verifies over the signed digest');
      assert.equal(digest.length, 32);
    });
  }

  it('a token for another subject: the SDK surfaces AADSTS70021 from the stand-in', async () => {
    const jwt = issuer.sign({
      ...issuer.claimsFor('api://AzureADTokenExchange'),
      sub: 'repo:acme/widgets:ref:refs/heads/x',
    });
    const out = await runClient({ AZ_JWT: jwt, AZ_KEY: 'release', AZ_ALG: 'ES256' });
    const error = out.error as { message?: string } | undefined;
    assert.ok(error, 'refused');
    assert.match(String(error.message), /AADSTS70021/);
  });
});
