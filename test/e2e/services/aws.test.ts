// The AWS stand-in proven by AWS's own SDK clients: if the stand-in drifted into a dialect only jit-gpg speaks,
// these fail.
import assert from 'node:assert/strict';
import { createHash, verify as cryptoVerify, publicDecrypt, constants } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DIGEST_INFO_PREFIX } from '../../../src/sign/packet.ts';
import { type AwsStandIn, startAwsStandIn } from './aws.ts';
import { type OidcIssuer, startOidcIssuer } from './oidc-issuer.ts';

let issuer: OidcIssuer;
let aws: AwsStandIn;
const host = () => issuer.url.replace(/^https?:\/\//, '');

async function token(audience = 'sts.amazonaws.com') {
  const res = await fetch(`${issuer.requestUrl}&audience=${encodeURIComponent(audience)}`, {
    headers: { authorization: `Bearer ${issuer.requestToken}` },
  });
  return ((await res.json()) as { value: string }).value;
}

const sts = () => new STSClient({ region: 'eu-central-1', endpoint: aws.url, maxAttempts: 1 });

async function assume(role = 'signer', audience?: string) {
  const out = await sts().send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: aws.roleArn(role),
      RoleSessionName: 'jit-gpg-test',
      WebIdentityToken: await token(audience),
      DurationSeconds: 900,
    }),
  );
  const c = out.Credentials!;
  return {
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken!,
    expiration: c.Expiration,
  };
}

before(async () => {
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  aws = await startAwsStandIn({
    region: 'eu-central-1',
    oidcProvider: { url: issuer.url, clientIds: ['sts.amazonaws.com'] },
    roles: [
      {
        name: 'signer',
        condition: {
          StringEquals: { [`${host()}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${host()}:sub`]: 'repo:acme/widgets:ref:refs/heads/main' },
        },
        allow: { 'kms:Sign': ['*'], 'kms:GetPublicKey': ['*'], 'secretsmanager:GetSecretValue': ['*'] },
      },
      { name: 'other-repo', condition: { StringLike: { [`${host()}:sub`]: 'repo:acme/other:*' } }, allow: {} },
      { name: 'no-kms', condition: { StringLike: { [`${host()}:sub`]: 'repo:acme/*' } }, allow: {} },
    ],
    keys: { rsa: 'RSA_2048', p256: 'ECC_NIST_P256', p384: 'ECC_NIST_P384', ed: 'ECC_NIST_EDWARDS25519' },
    secrets: { 'release/gpg': '{"private_key":"not-a-real-key"}' },
  });
});

after(async () => {
  await aws?.close();
  await issuer?.close();
});

describe('AWS stand-in against the official AWS SDK for JavaScript v3', () => {
  it('STS AssumeRoleWithWebIdentity (client-sts) returns temporary credentials that expire', async () => {
    const c = await assume();
    assert.match(c.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(c.expiration instanceof Date && c.expiration.getTime() - Date.now() <= 900_000);
  });

  it('STS refuses a role whose trust policy does not match sub (AccessDenied) and a wrong audience (InvalidIdentityToken)', async () => {
    await assert.rejects(
      assume('other-repo'),
      (e: Error) => e.name === 'AccessDenied' && /sts:AssumeRoleWithWebIdentity/.test(e.message),
    );
    await assert.rejects(
      assume('signer', 'jit-gpg'),
      (e: Error) => e.name === 'InvalidIdentityTokenException' && /Incorrect token audience/.test(e.message),
    );
    await assert.rejects(
      sts().send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: aws.roleArn('signer'),
          RoleSessionName: 's',
          WebIdentityToken: await token(),
          DurationSeconds: 60,
        }),
      ),
      (e: Error) => e.name === 'ValidationError',
    );
  });

  it('KMS GetPublicKey and Sign (client-kms, SigV4 with the STS credentials): DIGEST for RSA/ECDSA, RAW for Ed25519', async () => {
    const kms = new KMSClient({
      region: 'eu-central-1',
      endpoint: aws.url,
      credentials: await assume(),
      maxAttempts: 1,
    });
    const message = Buffer.from('release artifact digest input');
    const digest = (h: string) => createHash(h).update(message).digest();
    for (const [alias, algo, hash] of [
      ['rsa', 'RSASSA_PKCS1_V1_5_SHA_256', 'sha256'],
      ['p256', 'ECDSA_SHA_256', 'sha256'],
      ['p384', 'ECDSA_SHA_384', 'sha384'],
    ] as const) {
      const pub = await kms.send(new GetPublicKeyCommand({ KeyId: `alias/${alias}` }));
      assert.equal(pub.KeyId, aws.keyArn(alias));
      assert.ok(pub.SigningAlgorithms?.includes(algo));
      const out = await kms.send(
        new SignCommand({
          KeyId: `alias/${alias}`,
          Message: digest(hash),
          MessageType: 'DIGEST',
          SigningAlgorithm: algo,
        }),
      );
      const key = aws.publicKey(alias);
      if (alias === 'rsa') {
        const em = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(out.Signature!));
        assert.deepEqual(em, Buffer.concat([DIGEST_INFO_PREFIX.sha256, digest('sha256')]));
      } else {
        assert.ok(cryptoVerify(hash, message, key, Buffer.from(out.Signature!)), `${alias} signature verifies`);
      }
    }
    const ed = await kms.send(
      new SignCommand({
        KeyId: aws.keyArn('ed'),
        Message: message,
        MessageType: 'RAW',
        SigningAlgorithm: 'ED25519_SHA_512',
      }),
    );
    assert.ok(cryptoVerify(null, message, aws.publicKey('ed'), Buffer.from(ed.Signature!)));
    await assert.rejects(
      kms.send(
        new SignCommand({
          KeyId: 'alias/ed',
          Message: digest('sha512'),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ED25519_SHA_512',
        }),
      ),
      (e: Error) => e.name === 'ValidationException',
    );
    await assert.rejects(
      kms.send(
        new SignCommand({
          KeyId: 'alias/p256',
          Message: Buffer.alloc(20),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
      (e: Error) => e.name === 'ValidationException' && /invalid length/.test(e.message),
    );
    await assert.rejects(
      kms.send(new GetPublicKeyCommand({ KeyId: 'alias/none' })),
      (e: Error) => e.name === 'NotFoundException',
    );
  });

  it('KMS refuses what the role may not do (AccessDeniedException naming the action), bad signatures and unknown keys', async () => {
    const denied = new KMSClient({
      region: 'eu-central-1',
      endpoint: aws.url,
      credentials: await assume('no-kms'),
      maxAttempts: 1,
    });
    await assert.rejects(
      denied.send(new GetPublicKeyCommand({ KeyId: 'alias/rsa' })),
      (e: Error) =>
        e.name === 'AccessDeniedException' &&
        /not authorized to perform: kms:GetPublicKey on resource: arn:aws:kms/.test(e.message),
    );
    const creds = await assume();
    const forged = new KMSClient({
      region: 'eu-central-1',
      endpoint: aws.url,
      credentials: { ...creds, secretAccessKey: `x${creds.secretAccessKey.slice(1)}` },
      maxAttempts: 1,
    });
    await assert.rejects(
      forged.send(new GetPublicKeyCommand({ KeyId: 'alias/rsa' })),
      (e: Error) => e.name === 'InvalidSignatureException',
    );
    const wrongRegion = new KMSClient({ region: 'us-west-2', endpoint: aws.url, credentials: creds, maxAttempts: 1 });
    await assert.rejects(
      wrongRegion.send(new GetPublicKeyCommand({ KeyId: 'alias/rsa' })),
      (e: Error) => e.name === 'InvalidSignatureException',
    );
    const unknown = new KMSClient({
      region: 'eu-central-1',
      endpoint: aws.url,
      credentials: { accessKeyId: 'ASIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x', sessionToken: 'y' },
      maxAttempts: 1,
    });
    await assert.rejects(
      unknown.send(new GetPublicKeyCommand({ KeyId: 'alias/rsa' })),
      (e: Error) => e.name === 'UnrecognizedClientException',
    );
  });

  it('Secrets Manager GetSecretValue (client-secrets-manager)', async () => {
    const sm = new SecretsManagerClient({
      region: 'eu-central-1',
      endpoint: aws.url,
      credentials: await assume(),
      maxAttempts: 1,
    });
    const out = await sm.send(new GetSecretValueCommand({ SecretId: 'release/gpg' }));
    assert.equal(out.Name, 'release/gpg');
    assert.equal(out.SecretString, '{"private_key":"not-a-real-key"}');
    assert.ok(out.CreatedDate instanceof Date);
    await assert.rejects(
      sm.send(new GetSecretValueCommand({ SecretId: 'nope' })),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
    const denied = new SecretsManagerClient({
      region: 'eu-central-1',
      endpoint: aws.url,
      credentials: await assume('no-kms'),
      maxAttempts: 1,
    });
    await assert.rejects(
      denied.send(new GetSecretValueCommand({ SecretId: 'release/gpg' })),
      (e: Error) => e.name === 'AccessDeniedException',
    );
  });
});
