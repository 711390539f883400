import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HttpError, httpRequest, isTransientStatus, retryAfterMs, safeUrl } from '../../src/shared/http.ts';

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
