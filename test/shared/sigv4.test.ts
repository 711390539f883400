import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { amzDate, canonicalRequest, parseAuthorization, signRequest, uriEscape } from '../../src/shared/sigv4.ts';

// AWS's published SigV4 test suite credentials and time (aws-sig-v4-test-suite).
const SUITE = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 'service',
  now: new Date('2015-08-30T12:36:00Z'),
};

function bytes(v: ArrayBufferView | ArrayBuffer | string): Uint8Array {
  if (typeof v === 'string') return Buffer.from(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return new Uint8Array(v);
}

/** The hash constructor @smithy/signature-v4 takes (its default comes from @aws-crypto, not installed alone). */
class Sha256 {
  #h = createHash('sha256');
  #key?: Uint8Array;
  #hmac?: ReturnType<typeof createHmac>;
  constructor(secret?: ArrayBufferView | ArrayBuffer | string) {
    if (secret !== undefined) {
      this.#key = bytes(secret);
      this.#hmac = createHmac('sha256', this.#key);
    }
  }
  update(data: ArrayBufferView | ArrayBuffer | string) {
    (this.#hmac ?? this.#h).update(bytes(data));
  }
  async digest() {
    return new Uint8Array((this.#hmac ?? this.#h).digest());
  }
}

describe('SigV4', () => {
  it('get-vanilla from the AWS test suite', () => {
    const h = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '' }, SUITE);
    assert.equal(
      h.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    assert.equal(h['x-amz-date'], '20150830T123600Z');
  });

  it('matches the official SDK signer (@smithy/signature-v4) on JSON, query and odd-path requests', async () => {
    const credentials = {
      accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
      secretAccessKey: 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0',
      sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE+/=',
    };
    const now = new Date('2026-12-05T10:11:12Z');
    const cases: { method: string; url: string; headers: Record<string, string>; body: string; service: string }[] = [
      {
        method: 'POST',
        url: 'https://kms.eu-west-1.amazonaws.com/',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Sign' },
        body: '{"KeyId":"alias/release","Message":"AAAA","MessageType":"DIGEST"}',
        service: 'kms',
      },
      {
        method: 'GET',
        url: 'https://example.amazonaws.com/a%20b/c?b=2&a=1&a=0&sp=x%20y&star=*',
        headers: { 'x-custom': '  spaced   value  ' },
        body: '',
        service: 'secretsmanager',
      },
    ];
    for (const c of cases) {
      const ours = signRequest(
        { method: c.method, url: c.url, headers: c.headers, body: c.body },
        { credentials, region: 'eu-west-1', service: c.service, now },
      );
      const u = new URL(c.url);
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of u.searchParams) {
        const prev = query[k];
        query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      const signer = new SignatureV4({
        credentials,
        region: 'eu-west-1',
        service: c.service,
        sha256: Sha256,
        applyChecksum: false,
      });
      const theirs = await signer.sign(
        {
          method: c.method,
          protocol: 'https:',
          hostname: u.hostname,
          path: u.pathname, // the SDK holds the path percent-encoded once
          query,
          headers: { host: u.host, ...c.headers },
          body: c.body,
        },
        { signingDate: now },
      );
      assert.equal(ours.authorization, theirs.headers.authorization, c.url);
    }
  });

  it('a changed body, header or secret changes the signature', () => {
    const base = {
      method: 'POST',
      url: 'https://kms.us-east-1.amazonaws.com/',
      headers: { 'x-amz-target': 'TrentService.Sign' },
      body: '{}',
    };
    const opts = { ...SUITE, service: 'kms' };
    const a = signRequest(base, opts).authorization;
    assert.notEqual(signRequest({ ...base, body: '{ }' }, opts).authorization, a);
    assert.notEqual(
      signRequest({ ...base, headers: { 'x-amz-target': 'TrentService.GetPublicKey' } }, opts).authorization,
      a,
    );
    assert.notEqual(
      signRequest(base, { ...opts, credentials: { ...opts.credentials, secretAccessKey: 'other' } }).authorization,
      a,
    );
  });

  it('session tokens are sent and signed; helpers behave', () => {
    const h = signRequest(
      { method: 'POST', url: 'https://kms.us-east-1.amazonaws.com/', headers: {}, body: '' },
      { ...SUITE, credentials: { ...SUITE.credentials, sessionToken: 'tok' } },
    );
    assert.equal(h['x-amz-security-token'], 'tok');
    assert.deepEqual(parseAuthorization(h.authorization)?.signedHeaders, [
      'host',
      'x-amz-date',
      'x-amz-security-token',
    ]);
    assert.equal(parseAuthorization('Bearer x'), undefined);
    assert.equal(parseAuthorization(`${h.authorization}, extra`), undefined);
    assert.equal(uriEscape("a b!'()*~"), 'a%20b%21%27%28%29%2A~');
    assert.equal(amzDate(new Date('2026-01-02T03:04:05.678Z')), '20260102T030405Z');
    assert.throws(
      () => canonicalRequest({ method: 'GET', url: 'https://x/', headers: {}, body: '' }, ['x-missing']),
      /x-missing/,
    );
  });
});
