import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { HttpClient } from '../../src/shared/http.ts';
import {
  decodeJwtPayload,
  describeClaims,
  OidcError,
  oidcAvailable,
  publicClaims,
  requestIdToken,
  tokenRequestUrl,
} from '../../src/sign/oidc.ts';
import { type OidcIssuer, startOidcIssuer } from '../e2e/services/oidc-issuer.ts';

const noSleep = { sleep: async () => {}, baseMs: 1 };

describe('oidcAvailable and the missing-permission error', () => {
  it('needs both variables, non-empty', () => {
    assert.equal(oidcAvailable({}), false);
    assert.equal(oidcAvailable({ ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x/token?api-version=2.0' }), false);
    assert.equal(oidcAvailable({ ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }), false);
    assert.equal(
      oidcAvailable({ ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x/t', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }),
      true,
    );
  });

  it('fails before any network call, naming id-token: write and the usual causes', async () => {
    let calls = 0;
    const http: HttpClient = async () => {
      calls++;
      throw new Error('must not be called');
    };
    await assert.rejects(requestIdToken({ env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' }, http }), (e: unknown) => {
      assert.ok(e instanceof OidcError);
      assert.equal(e.code, 'missing-env');
      assert.match(e.message, /permissions: id-token: write/);
      assert.match(e.message, /fork/);
      assert.match(e.message, /Dependabot/);
      assert.match(e.message, /reusable workflow/);
      return true;
    });
    assert.equal(calls, 0);
  });
});

describe('tokenRequestUrl', () => {
  it('appends &audience to a URL that already has a query', () => {
    assert.equal(
      tokenRequestUrl('https://pipelines.example/abc/token?api-version=2.0', 'https://vault.example.com'),
      'https://pipelines.example/abc/token?api-version=2.0&audience=https%3A%2F%2Fvault.example.com',
    );
  });
  it('starts a query when there is none, and replaces an existing audience', () => {
    assert.equal(tokenRequestUrl('http://h/token', 'a b'), 'http://h/token?audience=a%20b');
    assert.equal(
      tokenRequestUrl('http://h/token?api-version=2.0&audience=old', 'new'),
      'http://h/token?api-version=2.0&audience=new',
    );
  });
});

describe('requestIdToken against the local issuer', () => {
  let issuer: OidcIssuer;
  before(async () => {
    issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets', environment: 'release' });
  });
  after(() => issuer.close());

  it('gets a token for the audience and exposes the non-secret claims', async () => {
    const got = await requestIdToken({ env: issuer.env(), audience: 'jit-gpg-test' });
    assert.equal(got.token, issuer.issuedTokens.at(-1));
    assert.equal(got.claims.aud, 'jit-gpg-test');
    assert.equal(got.claims.repository, 'acme/widgets');
    assert.equal(got.claims.sub, 'repo:acme/widgets:environment:release');
    assert.equal(got.claims.environment, 'release');
    assert.equal(got.claims.ref, 'refs/heads/main');
    assert.equal(got.claims.iss, issuer.url);
    assert.ok(got.expiresAt && got.expiresAt.getTime() > Date.now());
    assert.equal(issuer.requests.at(-1)!.audience, 'jit-gpg-test');
    assert.equal(Object.hasOwn(got.claims, 'jti'), false);
  });

  it('hands the token to mask() as soon as it arrives', async () => {
    const masked: string[] = [];
    const got = await requestIdToken({ env: issuer.env(), mask: (t) => masked.push(t) });
    assert.deepEqual(masked, [got.token]);
  });

  it('defaults the audience to jit-gpg', async () => {
    const got = await requestIdToken({ env: issuer.env() });
    assert.equal(got.claims.aud, 'jit-gpg');
  });

  it('retries 500s with labelled lines, then succeeds', async () => {
    issuer.failNext(2);
    const lines: string[] = [];
    const got = await requestIdToken({ env: issuer.env(), retry: noSleep, log: (l) => lines.push(l) });
    assert.equal(got.claims.aud, 'jit-gpg');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0]!,
      /^OIDC token request: attempt 1 of 5 failed: the OIDC token request returned HTTP 500.*; retrying in \d+\.\d s$/,
    );
    assert.match(lines[1]!, /attempt 2 of 5 failed/);
  });

  it('retries a dropped connection', async () => {
    issuer.failNext(1, { drop: true });
    const lines: string[] = [];
    await requestIdToken({ env: issuer.env(), retry: noSleep, log: (l) => lines.push(l) });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /connection reset|ECONNRESET|socket hang up/);
  });

  it('gives up after the attempts with an OidcError', async () => {
    issuer.failNext(10, { status: 503 });
    await assert.rejects(requestIdToken({ env: issuer.env(), retry: { ...noSleep, attempts: 3 } }), (e: unknown) => {
      assert.ok(e instanceof OidcError);
      assert.equal(e.code, 'unavailable');
      assert.match(e.message, /HTTP 503/);
      assert.match(e.message, /gave up after 3 attempts/);
      return true;
    });
    issuer.failNext(0);
  });

  it('does not retry a 401 and never prints the request token', async () => {
    const before = issuer.requests.length;
    const env = { ...issuer.env(), ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong-request-token-value' };
    await assert.rejects(requestIdToken({ env, retry: noSleep }), (e: unknown) => {
      assert.ok(e instanceof OidcError);
      assert.equal(e.code, 'denied');
      assert.match(e.message, /HTTP 401/);
      assert.ok(!e.message.includes('wrong-request-token-value'));
      return true;
    });
    assert.equal(issuer.requests.length - before, 1);
  });

  it('never puts the token in any error text', async () => {
    // a server that returns a token-looking value wrapped in a broken response
    const jwt = issuer.sign(issuer.claimsFor('x'));
    const srv = http.createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'nope', value: jwt }));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/token?api-version=2.0`;
    try {
      await assert.rejects(
        requestIdToken({
          env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt' },
          retry: noSleep,
        }),
        (e: unknown) => {
          assert.ok(e instanceof Error);
          assert.ok(!e.message.includes(jwt));
          assert.ok(!e.message.includes(jwt.split('.')[1]!));
          return true;
        },
      );
    } finally {
      srv.close();
    }
  });

  it('rejects a response without value, and a value that is not a JWT, without echoing it', async () => {
    const bodies = [JSON.stringify({ count: 1 }), JSON.stringify({ value: 'not-a-jwt-secretish' }), 'garbage'];
    for (const body of bodies) {
      const client: HttpClient = async () => ({ status: 200, headers: {}, body });
      await assert.rejects(
        requestIdToken({ env: issuer.env(), http: client, retry: noSleep }),
        (e: unknown) => e instanceof OidcError && e.code === 'bad-response' && !e.message.includes('secretish'),
      );
    }
  });
});

describe('claims helpers', () => {
  it('decodes the payload and keeps only public claims', () => {
    const payload = { sub: 'repo:a/b:ref:refs/heads/main', aud: ['x', 'y'], jti: 'j', run_attempt: '1', custom: 1 };
    const jwt = `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
    const decoded = decodeJwtPayload(jwt);
    assert.deepEqual(publicClaims(decoded), { sub: payload.sub, aud: ['x', 'y'], run_attempt: '1' });
    assert.throws(() => decodeJwtPayload('a.b'), OidcError);
  });
  it('describes claims with absent ones marked', () => {
    const text = describeClaims({ sub: 's', aud: 'a', repository: 'o/r', ref: 'refs/heads/x' });
    assert.match(text, /sub: s/);
    assert.match(text, /environment: \(absent\)/);
    assert.match(text, /job_workflow_ref: \(absent\)/);
  });
});
