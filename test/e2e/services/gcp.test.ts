// The GCP stand-in's Cloud KMS speaks Google's REST protocol: proven with Google's own client (@google-cloud/kms in
// its REST "fallback" mode, which sends exactly the HTTP/JSON transcoding of the gRPC API), with an access token the
// stand-in's STS handed out for a real workload identity token exchange.
import assert from 'node:assert/strict';
import { createHash, createVerify, verify as cryptoVerify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { OAuth2Client } from 'google-auth-library';
import { requestIdToken } from '../../../src/sign/oidc.ts';
import { crc32c, gcpDefaultAudience } from '../../../src/sign/providers/gcp.ts';
import { type GcpStandIn, startGcpStandIn } from './gcp.ts';
import { type OidcIssuer, startOidcIssuer } from './oidc-issuer.ts';

let issuer: OidcIssuer;
let gcp: GcpStandIn;
let token: string;

function client(accessToken: string) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: accessToken });
  const port = Number(new URL(gcp.url).port);
  return new KeyManagementServiceClient({
    fallback: true,
    apiEndpoint: '127.0.0.1',
    port,
    protocol: 'http',
    authClient: auth,
  } as never);
}

before(async () => {
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  gcp = await startGcpStandIn({
    issuer: issuer.url,
    attributeCondition: { repository: 'acme/widgets' },
    grants: { principalSet: ['cloudkms.cryptoKeyVersions.viewPublicKey', 'cloudkms.cryptoKeyVersions.useToSign'] },
    keys: { p256: 'EC_SIGN_P256_SHA256', ed: 'EC_SIGN_ED25519' },
  });
  const jwt = (await requestIdToken({ env: issuer.env(), audience: gcpDefaultAudience(gcp.providerResource) })).token;
  const res = await fetch(`${gcp.url}/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: `//iam.googleapis.com/${gcp.providerResource}`,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      subject_token: jwt,
    }),
  });
  assert.equal(res.status, 200);
  token = ((await res.json()) as { access_token: string }).access_token;
});

after(async () => {
  await gcp?.close();
  await issuer?.close();
});

describe('GCP stand-in proven by @google-cloud/kms (REST fallback)', () => {
  it('getPublicKey and asymmetricSign (digest, P-256) with CRC32C fields; the signature verifies', async () => {
    const kms = client(token);
    const name = gcp.keyVersion('p256');
    const [pub] = await kms.getPublicKey({ name });
    assert.equal(pub.name, name);
    assert.equal(pub.algorithm, 'EC_SIGN_P256_SHA256');
    assert.equal(Number(pub.pemCrc32c?.value), crc32c(Buffer.from(pub.pem!)));
    const digest = createHash('sha256').update('release').digest();
    const [out] = await kms.asymmetricSign({
      name,
      digest: { sha256: digest },
      digestCrc32c: { value: crc32c(digest) },
    });
    assert.equal(out.verifiedDigestCrc32c, true);
    assert.equal(out.name, name);
    const signature = Buffer.from(out.signature as Uint8Array);
    assert.equal(Number(out.signatureCrc32c?.value), crc32c(signature));
    assert.ok(createVerify('sha256').update('release').verify(pub.pem!, signature));
    await kms.close();
  });

  it('asymmetricSign (data, Ed25519): pure Ed25519 over the data', async () => {
    const kms = client(token);
    const name = gcp.keyVersion('ed');
    const [pub] = await kms.getPublicKey({ name });
    const data = Buffer.from('openpgp digest bytes');
    const [out] = await kms.asymmetricSign({ name, data, dataCrc32c: { value: crc32c(data) } });
    assert.equal(out.verifiedDataCrc32c, true);
    assert.ok(cryptoVerify(null, data, pub.pem!, Buffer.from(out.signature as Uint8Array)));
    await kms.close();
  });

  it("errors arrive in Google's shape: PERMISSION_DENIED / UNAUTHENTICATED / NOT_FOUND as the client's status codes", async () => {
    await assert.rejects(
      client('ya29.not-issued').getPublicKey({ name: gcp.keyVersion('p256') }),
      (e: { code?: number; message?: string }) => {
        assert.equal(e.code, 16, e.message); // UNAUTHENTICATED
        return true;
      },
    );
    await assert.rejects(
      client(token).getPublicKey({ name: gcp.keyVersion('missing') }),
      (e: { code?: number; message?: string }) => {
        assert.equal(e.code, 5, e.message); // NOT_FOUND
        return true;
      },
    );
    const digest = createHash('sha256').update('x').digest();
    await assert.rejects(
      client(token).asymmetricSign({
        name: gcp.keyVersion('p256'),
        digest: { sha256: digest },
        digestCrc32c: { value: 1 },
      }),
      (e: { code?: number; message?: string }) => {
        assert.equal(e.code, 3, e.message); // INVALID_ARGUMENT: the checksum did not match
        assert.match(String(e.message), /digest_crc32c/);
        return true;
      },
    );
  });
});
