import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type OidcIssuer, startOidcIssuer } from './oidc-issuer.ts';

const decode = (jwt: string, i: number) => JSON.parse(Buffer.from(jwt.split('.')[i]!, 'base64url').toString('utf8'));

async function token(issuer: OidcIssuer, audience?: string, bearer = issuer.requestToken) {
  const url =
    audience === undefined ? issuer.requestUrl : `${issuer.requestUrl}&audience=${encodeURIComponent(audience)}`;
  return fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
}

describe('OIDC issuer stand-in', () => {
  let issuer: OidcIssuer;
  before(async () => {
    issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  });
  after(() => issuer.close());

  it('listens on 127.0.0.1 and carries ?api-version=2.0 in the request URL', () => {
    assert.match(issuer.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(issuer.requestUrl, `${issuer.url}/token?api-version=2.0`);
    assert.deepEqual(issuer.env(), {
      ACTIONS_ID_TOKEN_REQUEST_URL: issuer.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.requestToken,
    });
  });

  it('serves discovery and a JWKS with kid', async () => {
    const disc = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(disc.issuer, issuer.url);
    assert.equal(disc.jwks_uri, issuer.jwksUrl);
    assert.deepEqual(disc.id_token_signing_alg_values_supported, ['RS256']);
    const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Record<string, string>[] };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]!.kty, 'RSA');
    assert.equal(jwks.keys[0]!.alg, 'RS256');
    assert.ok(jwks.keys[0]!.kid);
  });

  it('issues RS256 tokens with GitHub-shaped claims that verify against the JWKS', async () => {
    const res = await token(issuer, 'my-aud');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { count: number; value: string };
    assert.equal(typeof body.count, 'number');
    assert.equal(issuer.issuedTokens.at(-1), body.value);
    const header = decode(body.value, 0);
    const claims = decode(body.value, 1);
    assert.equal(header.alg, 'RS256');
    const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Record<string, string>[] };
    const jwk = jwks.keys.find((k) => k.kid === header.kid)!;
    const [h, p, s] = body.value.split('.');
    assert.ok(
      verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        createPublicKey({ key: jwk as never, format: 'jwk' }),
        Buffer.from(s!, 'base64url'),
      ),
    );
    assert.equal(claims.iss, issuer.url);
    assert.equal(claims.aud, 'my-aud');
    assert.equal(claims.sub, 'repo:acme/widgets:ref:refs/heads/main');
    for (const k of [
      'repository',
      'repository_id',
      'repository_owner',
      'repository_owner_id',
      'ref',
      'ref_type',
      'sha',
      'workflow',
      'workflow_ref',
      'job_workflow_ref',
      'run_id',
      'run_number',
      'run_attempt',
      'actor',
      'event_name',
      'runner_environment',
    ]) {
      assert.ok(claims[k] !== undefined, `claim ${k}`);
    }
    assert.equal(claims.exp - claims.iat, 300);
    assert.ok(claims.nbf <= claims.iat);
  });

  it('defaults the audience to https://github.com/OWNER like GitHub', async () => {
    const body = (await (await token(issuer)).json()) as { value: string };
    assert.equal(decode(body.value, 1).aud, 'https://github.com/acme');
  });

  it('answers 401 on a wrong bearer and issues nothing', async () => {
    const n = issuer.issuedTokens.length;
    assert.equal((await token(issuer, 'x', 'wrong')).status, 401);
    assert.equal((await fetch(issuer.requestUrl)).status, 401);
    assert.equal(issuer.issuedTokens.length, n);
  });

  it('claims are overridable per test, undefined removes one', async () => {
    issuer.setClaims({ ref: 'refs/tags/v2.0.0', actor: undefined });
    try {
      const claims = decode(((await (await token(issuer, 'a')).json()) as { value: string }).value, 1);
      assert.equal(claims.ref, 'refs/tags/v2.0.0');
      assert.equal(claims.ref_type, 'tag');
      assert.equal(claims.sub, 'repo:acme/widgets:ref:refs/tags/v2.0.0');
      assert.equal('actor' in claims, false);
    } finally {
      issuer.setClaims({}, { replace: true });
    }
  });

  it('fails the next N requests with 500', async () => {
    issuer.failNext(2);
    assert.equal((await token(issuer, 'a')).status, 500);
    assert.equal((await token(issuer, 'a')).status, 500);
    assert.equal((await token(issuer, 'a')).status, 200);
  });

  it('environment and immutable sub forms', async () => {
    const other = await startOidcIssuer({
      owner: 'acme',
      repo: 'widgets',
      ownerId: 11,
      repoId: 22,
      environment: 'prod',
      immutableSub: true,
    });
    try {
      const claims = decode(((await (await token(other, 'a')).json()) as { value: string }).value, 1);
      assert.equal(claims.sub, 'repo:acme@11/widgets@22:environment:prod');
      assert.equal(claims.environment, 'prod');
      assert.equal(claims.repository_id, '22');
    } finally {
      await other.close();
    }
  });
});
