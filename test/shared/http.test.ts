import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createHttpClient,
  HttpError,
  httpRequest,
  isTransientStatus,
  proxyFor,
  proxySecrets,
  retryAfterMs,
  safeUrl,
  shouldProxy,
} from '../../src/shared/http.ts';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { createVaultProvider } from '../../src/sign/providers/vault.ts';
import { type OidcIssuer, startOidcIssuer } from '../e2e/services/oidc-issuer.ts';
import { startProxy, type TestProxy, withCredentials } from '../e2e/services/proxy.ts';
import { generateTlsFixture, hasOpenssl, startVaultStandIn, type VaultStandIn } from '../e2e/services/vault.ts';

let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/echo') {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-test': 'yes' });
        res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
      });
      return;
    }
    if (u.pathname === '/big') {
      res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) });
      res.end(Buffer.alloc(2 * 1024 * 1024, 97));
      return;
    }
    if (u.pathname === '/big-chunked') {
      res.writeHead(200);
      for (let i = 0; i < 40; i++) res.write(Buffer.alloc(64 * 1024, 98));
      res.end();
      return;
    }
    if (u.pathname === '/slow') return; // never answers
    if (u.pathname === '/drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

describe('httpRequest', () => {
  it('sends method, headers and body; returns status, headers and text', async () => {
    const res = await httpRequest({
      url: `${base}/echo`,
      method: 'POST',
      headers: { authorization: 'Bearer abc' },
      body: '{"a":1}',
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-test'], 'yes');
    assert.deepEqual(JSON.parse(res.body), { method: 'POST', body: '{"a":1}', auth: 'Bearer abc' });
  });

  it('refuses bodies over the limit, declared or streamed', async () => {
    for (const path of ['/big', '/big-chunked']) {
      await assert.rejects(httpRequest({ url: `${base}${path}` }), (e: unknown) => {
        assert.ok(e instanceof HttpError);
        assert.equal(e.code, 'TOO_LARGE');
        assert.equal(e.retryable, false);
        return true;
      });
    }
    const ok = await httpRequest({ url: `${base}/big-chunked`, maxBytes: 4 * 1024 * 1024 });
    assert.equal(ok.body.length, 40 * 64 * 1024);
  });

  it('times out (retryable) without printing the query', async () => {
    await assert.rejects(httpRequest({ url: `${base}/slow?token=s3cr3t`, timeoutMs: 100 }), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.code, 'TIMEOUT');
      assert.equal(e.retryable, true);
      assert.match(e.message, /no answer from http:\/\/127\.0\.0\.1:\d+\/slow within 0\.1 s/);
      assert.ok(!e.message.includes('s3cr3t'));
      return true;
    });
  });

  it('reports a dropped connection and a refused one as retryable', async () => {
    await assert.rejects(httpRequest({ url: `${base}/drop` }), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.retryable, true);
      assert.match(e.message, /reset|ECONNRESET/);
      return true;
    });
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    await assert.rejects(httpRequest({ url: `http://127.0.0.1:${port}/x?q=secret` }), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.code, 'ECONNREFUSED');
      assert.equal(e.retryable, true);
      assert.match(e.message, /^connection refused \(ECONNREFUSED\) at http:\/\/127\.0\.0\.1:\d+\/x$/);
      return true;
    });
  });

  it('refuses other schemes', async () => {
    await assert.rejects(
      httpRequest({ url: 'ftp://127.0.0.1/x' }),
      (e: unknown) => e instanceof HttpError && !e.retryable,
    );
  });
});

describe('helpers', () => {
  it('safeUrl keeps origin and path only', () => {
    assert.equal(safeUrl('https://u:p@h.example:8200/v1/x?audience=a#f'), 'https://h.example:8200/v1/x');
    assert.equal(safeUrl('not a url'), '(invalid URL)');
  });
  it('classifies statuses', () => {
    for (const s of [500, 502, 503, 504, 429, 408]) assert.equal(isTransientStatus(s), true, String(s));
    for (const s of [200, 204, 400, 401, 403, 404, 412]) assert.equal(isTransientStatus(s), false, String(s));
  });
  it('parses Retry-After seconds and dates', () => {
    assert.equal(retryAfterMs({ 'retry-after': '3' }), 3000);
    assert.equal(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 4000), 6000);
    assert.equal(retryAfterMs({}), undefined);
    assert.equal(retryAfterMs({ 'retry-after': 'soon' }), undefined);
  });
});

describe('shouldProxy (pure)', () => {
  const P = 'http://proxy.corp:3128';
  const via = (url: string, env: Record<string, string>) => shouldProxy(url, env);

  it('proxies only the scheme whose variable is set; empty means unset', () => {
    assert.equal(via('https://vault.example.com', {}), false);
    assert.equal(via('https://vault.example.com', { HTTPS_PROXY: P }), true);
    assert.equal(via('http://vault.example.com', { HTTPS_PROXY: P }), false);
    assert.equal(via('http://vault.example.com', { HTTP_PROXY: P }), true);
    assert.equal(via('https://vault.example.com', { HTTP_PROXY: P }), false);
    assert.equal(via('https://vault.example.com', { https_proxy: P }), true);
    assert.equal(via('https://vault.example.com', { HTTPS_PROXY: '  ' }), false);
    assert.equal(via('ftp://vault.example.com', { HTTPS_PROXY: P, HTTP_PROXY: P }), false);
  });

  it('lower-case variables win; a value without scheme is http://', () => {
    const env = { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2', NO_PROXY: 'x.example' };
    assert.equal(proxyFor('https://vault.example.com', env)?.host, 'lower:1');
    assert.equal(proxyFor('https://vault.example.com', { HTTPS_PROXY: 'proxy.corp:3128' })?.href, `${P}/`);
    assert.equal(via('https://x.example', env), false);
    assert.equal(via('https://x.example', { ...env, no_proxy: 'other.example' }), true, 'no_proxy wins');
  });

  it('never proxies loopback hosts', () => {
    const env = { HTTPS_PROXY: P, HTTP_PROXY: P };
    for (const u of [
      'https://localhost:8200',
      'http://LOCALHOST',
      'https://vault.localhost',
      'https://127.0.0.1:8200',
      'http://127.4.5.6',
      'https://[::1]:8200',
    ]) {
      assert.equal(via(u, env), false, u);
    }
  });

  it('NO_PROXY: *, domains with and without a leading dot or *., ports, IPs, CIDR, case, spaces', () => {
    const on = (noProxy: string, url: string) => via(url, { HTTPS_PROXY: P, NO_PROXY: noProxy });
    assert.equal(on('*', 'https://vault.example.com'), false);
    assert.equal(on('corp', 'https://vault.corp'), false);
    assert.equal(on('corp', 'https://corp'), false);
    assert.equal(on('corp', 'https://vaultcorp'), true, 'suffix only on a dot boundary');
    assert.equal(on('.corp', 'https://vault.corp'), false);
    assert.equal(on('.corp', 'https://corp'), false, 'curl: a leading dot is ignored');
    assert.equal(on('*.example.com', 'https://a.b.example.com'), false);
    assert.equal(on('example.com', 'https://example.com.evil.io'), true);
    assert.equal(on('vault.example.com:8200', 'https://vault.example.com:8200/v1/x'), false);
    assert.equal(on('vault.example.com:8200', 'https://vault.example.com/v1/x'), true, 'other port');
    assert.equal(on('vault.example.com:443', 'https://vault.example.com/v1/x'), false, 'default port');
    assert.equal(on('10.0.0.5', 'https://10.0.0.5:8200'), false);
    assert.equal(on('10.0.0.5', 'https://10.0.0.6:8200'), true);
    assert.equal(on('10.0.0.0/8', 'https://10.200.3.4'), false);
    assert.equal(on('10.0.0.0/8', 'https://11.0.0.1'), true);
    assert.equal(on('10.0.0.0/8', 'https://ten.example'), true, 'a range never matches a name');
    assert.equal(on('[2001:db8::1]', 'https://[2001:db8::1]:8200'), false);
    assert.equal(on('2001:db8::/32', 'https://[2001:db8:0:1::5]'), false);
    assert.equal(on('2001:db8::/32', 'https://[2001:db9::5]'), true);
    assert.equal(on('VAULT.Example.COM', 'https://vault.example.com'), false);
    assert.equal(on(' a.example , vault.example.com ,', 'https://vault.example.com'), false);
    assert.equal(on('a.example b.example', 'https://b.example'), false, 'spaces separate too');
    assert.equal(on('github.com', 'https://vault.example.com'), true);
  });

  it('proxySecrets: the passwords of every proxy variable, as written and decoded, for masking', () => {
    assert.deepEqual(proxySecrets({}), []);
    assert.deepEqual(proxySecrets({ HTTPS_PROXY: 'http://user@proxy:3128', HTTP_PROXY: 'proxy:3128' }), []);
    assert.deepEqual(
      proxySecrets({ https_proxy: 'http://u:p%40ss%20word@proxy:3128', HTTP_PROXY: 'user:plain-pw@proxy:8080' }),
      ['p%40ss%20word', 'p@ss word', 'plain-pw'],
    );
  });

  it('an unsupported proxy scheme is reported by the request, without credentials', async () => {
    const env = { HTTPS_PROXY: 'socks5://user:hunter2pw@proxy.corp:1080' };
    assert.equal(shouldProxy('https://vault.example.com', env), true);
    await assert.rejects(createHttpClient({ env })({ url: 'https://vault.example.com/v1/x' }), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.match(e.message, /HTTPS_PROXY: proxy scheme socks5: is not supported/);
      assert.ok(!e.message.includes('hunter2pw'));
      return true;
    });
  });
});

describe('through a proxy', () => {
  const USER = 'ci-runner';
  const PASSWORD = 'pr0xy p@ss:w/rd';
  let proxy: TestProxy;
  let env: Record<string, string>;

  before(async () => {
    proxy = await startProxy({ user: USER, password: PASSWORD });
    const p = withCredentials(proxy.url, USER, PASSWORD);
    env = { HTTPS_PROXY: p, HTTP_PROXY: p };
  });
  after(() => proxy.close());

  it('sends plain HTTP as an absolute-URI request with Proxy-Authorization (not to the origin)', async () => {
    const port = new URL(base).port;
    const res = await createHttpClient({ env })({
      url: `http://service.proxy.test:${port}/echo`,
      method: 'POST',
      headers: { authorization: 'Bearer abc' },
      body: 'hello',
    });
    assert.equal(res.status, 201);
    assert.deepEqual(JSON.parse(res.body), { method: 'POST', body: 'hello', auth: 'Bearer abc' });
    assert.deepEqual(proxy.forwarded, [`http://service.proxy.test:${port}/echo`]);
    assert.equal(proxy.auths.at(-1), `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
  });

  it('goes direct for loopback and NO_PROXY hosts', async () => {
    const before = proxy.auths.length;
    const res = await createHttpClient({ env })({ url: `${base}/echo` });
    assert.equal(res.status, 201);
    assert.equal(proxy.auths.length, before);
  });

  it('wrong or missing credentials: a 407 error naming the fix, never the credentials', async () => {
    const port = new URL(base).port;
    for (const scheme of ['http', 'https']) {
      for (const bad of [withCredentials(proxy.url, USER, 'wrong-password-9'), proxy.url]) {
        const client = createHttpClient({ env: { HTTPS_PROXY: bad, HTTP_PROXY: bad } });
        await assert.rejects(client({ url: `${scheme}://service.proxy.test:${port}/echo` }), (e: unknown) => {
          assert.ok(e instanceof HttpError, String(e));
          assert.equal(e.code, 'PROXY_AUTH');
          assert.equal(e.retryable, false);
          assert.match(e.message, new RegExp(`^proxy ${proxy.url.replace(/[.]/g, '\\.')} answered HTTP 407 for`));
          assert.match(e.message, bad.includes('@') ? /check the user and password/ : /put them in the proxy URL/);
          for (const secret of ['wrong-password-9', PASSWORD, encodeURIComponent(PASSWORD), USER]) {
            assert.ok(!e.message.includes(secret), e.message);
          }
          return true;
        });
      }
    }
  });

  it('a proxy that is down is a retryable error naming the proxy (without credentials)', async () => {
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const down = withCredentials(`http://127.0.0.1:${port}`, USER, PASSWORD);
    for (const scheme of ['http', 'https']) {
      const client = createHttpClient({ env: { HTTPS_PROXY: down, HTTP_PROXY: down } });
      await assert.rejects(client({ url: `${scheme}://vault.proxy.test:8200/v1/sys/health?x=1` }), (e: unknown) => {
        assert.ok(e instanceof HttpError);
        assert.equal(e.code, 'ECONNREFUSED');
        assert.equal(e.retryable, true);
        assert.equal(
          e.message,
          `connection refused (ECONNREFUSED) at proxy http://127.0.0.1:${port} (for ${scheme}://vault.proxy.test:8200/v1/sys/health)`,
        );
        assert.ok(!e.message.includes(encodeURIComponent(PASSWORD)) && !e.message.includes(USER));
        return true;
      });
    }
  });
});

describe('OIDC and Vault through a CONNECT proxy', () => {
  const openssl = hasOpenssl();
  const USER = 'runner';
  const PASSWORD = 'tunnel-secret-31';
  // a fake but format-valid armored block, assembled at run time so no scanner trips on the source
  const BLOCK = ['PGP', 'PRIVATE', 'KEY', 'BLOCK'].join(' ');
  const KEY = [
    `-----BEGIN ${BLOCK}-----`,
    '',
    'lFgEZfakeKEYmaterialONLYforTESTSxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123',
    '=AbCd',
    `-----END ${BLOCK}-----`,
    '',
  ].join('\n');
  let dir = '';
  let issuer: OidcIssuer;
  let vault: VaultStandIn;
  let caPath = '';
  let proxy: TestProxy;

  before(async () => {
    if (!openssl) return;
    dir = mkdtempSync(join(tmpdir(), 'jit-gpg-proxy-'));
    const tls = generateTlsFixture(dir, ['vault.proxy.test']);
    caPath = tls.caPath;
    issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
    vault = await startVaultStandIn({
      tls: { cert: tls.cert, key: tls.key },
      auth: [{ jwks_url: issuer.jwksUrl, roles: { release: { bound_audiences: ['jit-gpg'], token_policies: ['r'] } } }],
      kv: [{ secrets: { 'release/gpg': { private_key: KEY } } }],
      policies: { r: { 'secret/data/*': ['read'] } },
    });
    proxy = await startProxy({ user: USER, password: PASSWORD });
  });
  after(async () => {
    await proxy?.close();
    await vault?.close();
    await issuer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('requests the OIDC token and logs in, reads and revokes at Vault through the proxy, with the private CA', async (t) => {
    if (!openssl) return t.skip('openssl not available');
    const proxyUrl = withCredentials(proxy.url, USER, PASSWORD);
    // names only the proxy resolves (it maps every host to 127.0.0.1): a direct connection could not succeed
    const runnerEnv = issuer.env();
    const oidcUrl = new URL(runnerEnv.ACTIONS_ID_TOKEN_REQUEST_URL);
    oidcUrl.hostname = 'oidc.proxy.test';
    const env = {
      ...runnerEnv,
      ACTIONS_ID_TOKEN_REQUEST_URL: oidcUrl.href,
      HTTPS_PROXY: proxyUrl,
      http_proxy: proxyUrl,
      NO_PROXY: 'github.com,.internal',
    };
    const client = createHttpClient({ env });
    const { token } = await requestIdToken({ env, http: client });
    assert.equal(proxy.forwarded.length, 1);
    assert.match(proxy.forwarded[0]!, /^http:\/\/oidc\.proxy\.test:\d+\/token\?api-version=2\.0&audience=jit-gpg$/);

    const vaultUrl = new URL(vault.url);
    vaultUrl.hostname = 'vault.proxy.test';
    let session: { token: string } | undefined;
    const provider = createVaultProvider({
      url: vaultUrl.href,
      role: 'release',
      secret: 'secret/data/release/gpg',
      caCertPath: caPath,
      http: client,
      onSession: (s) => {
        session = s;
      },
    });
    const material = await provider.fetchKey(token);
    assert.equal(material.armoredKey, KEY);
    assert.ok(session && !vault.isAlive(session.token), 'the token was revoked through the tunnel');
    const authority = `vault.proxy.test:${vaultUrl.port}`;
    assert.deepEqual(proxy.tunnels, [authority, authority, authority], 'login, read, revoke-self: a tunnel each');
    assert.deepEqual(
      vault.requests.map((r) => `${r.method} ${r.path}`),
      ['POST auth/jwt/login', 'GET secret/data/release/gpg', 'POST auth/token/revoke-self'],
    );
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    assert.ok(proxy.auths.length === 4 && proxy.auths.every((a) => a === basic));
  });

  it('without the CA the tunnelled TLS is refused as a TLS error (not retried)', async (t) => {
    if (!openssl) return t.skip('openssl not available');
    const env = { HTTPS_PROXY: withCredentials(proxy.url, USER, PASSWORD) };
    const vaultUrl = new URL(vault.url);
    vaultUrl.hostname = 'vault.proxy.test';
    const open = proxy.tunnels.length;
    await assert.rejects(createHttpClient({ env })({ url: `${vaultUrl.origin}/v1/sys/health` }), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.code, 'TLS', e.message);
      assert.equal(e.retryable, false);
      assert.ok(!e.message.includes(PASSWORD));
      return true;
    });
    assert.equal(proxy.tunnels.length, open + 1);
  });
});
