import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, constants as K, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import {
  bigIntToBytes,
  bits2int,
  bytesToBigInt,
  EC_CURVES,
  type EcCurveName,
  ecdsaSignDigest,
  KeyError,
  loadSigningKey,
  MAX_KEY_BYTES,
  normalizeFingerprint,
  rfc6979Nonces,
  type InMemorySigningKey,
  wipeKey,
} from '../../src/sign/key.ts';
import { decodeMpi } from '../../src/sign/packet.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'keys');
const sec = (name: string) => readFileSync(join(FIX, `${name}.sec.asc`), 'utf8');
const pub = (name: string) => readFileSync(join(FIX, `${name}.pub.asc`), 'utf8');
const fingerprints = new Map(
  readFileSync(join(FIX, 'fingerprints.txt'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('subkey-only-fprs'))
    .map((l) => l.split(' ') as [string, string]),
);
const subkeyFprs = readFileSync(join(FIX, 'fingerprints.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('subkey-only-fprs '))
  .map((l) => l.split(' ')[1]!);
const PASS: Record<string, string> = {
  'rsa2048-pw': 'test-only-rsa2048-passphrase',
  'rsa4096-pw': 'test-only-rsa4096-passphrase',
  'ed25519-pw': 'test-only-ed25519-passphrase',
  'p256-pw': 'test-only-p256-passphrase',
  'p384-pw': 'test-only-p384-passphrase',
  'subkey-only': 'test-only-subkey-passphrase',
};

/** Every line of every secret key fixture (base64 body lines) plus every passphrase. */
const SECRETS: string[] = [
  ...Object.values(PASS),
  ...[...fingerprints.keys()].flatMap((n) =>
    sec(n)
      .split('\n')
      .filter((l) => l.length >= 20 && !l.startsWith('-----')),
  ),
];

function assertNoSecret(message: string): void {
  for (const s of SECRETS) assert.ok(!message.includes(s), `error message leaks secret material: ${message}`);
  assert.ok(!/[A-Za-z0-9+/]{40,}/.test(message.replace(/[0-9A-F]{40}/g, '')), `suspicious blob in: ${message}`);
}

async function rejects(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<KeyError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof KeyError, `expected KeyError, got ${e}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    assertNoSecret(e.message);
    assertNoSecret(String(e.stack));
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('loadSigningKey: fixtures', () => {
  const cases: [string, string, string][] = [
    ['rsa2048', 'rsa', 'RSA 2048'],
    ['rsa2048-pw', 'rsa', 'RSA 2048'],
    ['rsa4096', 'rsa', 'RSA 4096'],
    ['rsa4096-pw', 'rsa', 'RSA 4096'],
    ['ed25519', 'eddsaLegacy', 'EdDSA ed25519'],
    ['ed25519-pw', 'eddsaLegacy', 'EdDSA ed25519'],
    ['p256', 'ecdsa', 'ECDSA nistP256'],
    ['p256-pw', 'ecdsa', 'ECDSA nistP256'],
    ['p384', 'ecdsa', 'ECDSA nistP384'],
    ['p384-pw', 'ecdsa', 'ECDSA nistP384'],
  ];
  for (const [name, algorithm, label] of cases) {
    it(`${name}: selects the primary, exposes metadata and the public key`, async () => {
      const k = await loadSigningKey({ key: sec(name), ...(PASS[name] ? { passphrase: PASS[name] } : {}) });
      try {
        assert.equal(k.fingerprint, fingerprints.get(name));
        assert.equal(k.primaryFingerprint, fingerprints.get(name));
        assert.equal(k.keyId, k.fingerprint.slice(-16));
        assert.equal(k.isSubkey, false);
        assert.equal(k.algorithm, algorithm);
        assert.equal(k.algorithmLabel, label);
        assert.equal(k.userIds.length, 1);
        assert.match(k.userIds[0]!, /@jit-gpg\.test>$/);
        assert.ok(k.created instanceof Date && k.created.getTime() > Date.UTC(2025, 0, 1));
        assert.equal(k.expires, Number.POSITIVE_INFINITY);
        assert.match(k.publicKeyArmored, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
        assert.ok(!k.publicKeyArmored.includes('PRIVATE'));
        assert.equal(k.fingerprintBytes.toString('hex').toUpperCase(), k.fingerprint);
      } finally {
        k.destroy();
      }
    });
  }

  it('subkey-only export (gnu-dummy primary): selects the Ed25519 signing subkey', async () => {
    const k = await loadSigningKey({ key: sec('subkey-only'), passphrase: PASS['subkey-only']! });
    assert.equal(k.isSubkey, true);
    assert.equal(k.primaryFingerprint, fingerprints.get('subkey-only'));
    assert.equal(k.fingerprint, subkeyFprs[1]);
    assert.equal(k.algorithmLabel, 'EdDSA ed25519');
    k.destroy();
  });

  it('pins by full fingerprint (with spaces), by key id, by subkey, or by the primary (the certificate)', async () => {
    const f = fingerprints.get('ed25519')!;
    const spaced = f.replace(/(.{4})/g, '$1 ').trim();
    assert.equal((await loadSigningKey({ key: sec('ed25519'), fingerprint: spaced })).fingerprint, f);
    assert.equal(
      (await loadSigningKey({ key: sec('ed25519'), fingerprint: `0x${f.slice(-16).toLowerCase()}` })).fingerprint,
      f,
    );
    const sub = await loadSigningKey({
      key: sec('subkey-only'),
      passphrase: PASS['subkey-only']!,
      fingerprint: subkeyFprs[1]!,
    });
    assert.equal(sub.fingerprint, subkeyFprs[1]);
    // The primary's fingerprint pins the certificate: its stub primary cannot sign, so the signing subkey does.
    const viaPrimary = await loadSigningKey({
      key: sec('subkey-only'),
      passphrase: PASS['subkey-only']!,
      fingerprint: subkeyFprs[0]!,
    });
    assert.equal(viaPrimary.fingerprint, subkeyFprs[1]);
    assert.equal(viaPrimary.primaryFingerprint, subkeyFprs[0]);
  });

  it('accepts base64 of the armored key and binary key bytes', async () => {
    const b64 = Buffer.from(sec('p256')).toString('base64');
    assert.equal((await loadSigningKey({ key: b64 })).fingerprint, fingerprints.get('p256'));
    const wrapped = b64.replace(/(.{76})/g, '$1\n');
    assert.equal((await loadSigningKey({ key: wrapped })).fingerprint, fingerprints.get('p256'));
    const binary = openpgp.readPrivateKey({ armoredKey: sec('rsa2048') });
    assert.equal((await loadSigningKey({ key: (await binary).write() })).fingerprint, fingerprints.get('rsa2048'));
  });

  it('base64 of a binary export', async () => {
    const bin = (await openpgp.readPrivateKey({ armoredKey: sec('ed25519-pw') })).write();
    const k = await loadSigningKey({ key: Buffer.from(bin).toString('base64'), passphrase: PASS['ed25519-pw']! });
    assert.equal(k.fingerprint, fingerprints.get('ed25519-pw'));
    k.destroy();
  });

  it('wipeKey zeroes decrypted parameters and the cleartext key material of unprotected keys', async () => {
    for (const name of ['rsa2048', 'p256-pw']) {
      const parsed = await openpgp.readPrivateKey({ armoredKey: sec(name) });
      const k = PASS[name] ? await openpgp.decryptKey({ privateKey: parsed, passphrase: PASS[name]! }) : parsed;
      const p = k.keyPacket as openpgp.SecretKeyPacket & { keyMaterial?: Uint8Array; s2kUsage?: number };
      const params = Object.values(p.privateParams as Record<string, Uint8Array>);
      assert.ok(params.length > 0 && params.every((v) => v.some((b) => b !== 0)));
      const material = p.s2kUsage === 0 ? p.keyMaterial : undefined;
      wipeKey(k);
      assert.equal(p.privateParams, null);
      assert.ok(params.every((v) => v.every((b) => b === 0)));
      if (material) assert.ok(material.every((b: number) => b === 0));
    }
  });

  it('destroy() disables signing and is idempotent', async () => {
    const k = await loadSigningKey({ key: sec('rsa2048-pw'), passphrase: PASS['rsa2048-pw']! });
    const digest = createHash('sha256').update('x').digest();
    assert.ok(k.signDigest(digest, 'sha256').length > 200);
    k.destroy();
    k.destroy();
    assert.equal(k.destroyed, true);
    assert.throws(() => k.signDigest(digest, 'sha256'), /destroyed/);
  });
});

describe('loadSigningKey: refusals with clear messages and nothing secret', () => {
  it('wrong passphrase', async () => {
    for (const name of ['rsa2048-pw', 'ed25519-pw', 'p256-pw', 'subkey-only']) {
      await rejects(
        loadSigningKey({ key: sec(name), passphrase: 'not-the-passphrase' }),
        'WRONG_PASSPHRASE',
        /passphrase/,
      );
    }
    // A passphrase of another key must not show up either.
    await rejects(loadSigningKey({ key: sec('p384-pw'), passphrase: PASS['p256-pw']! }), 'WRONG_PASSPHRASE');
  });

  it('missing passphrase', async () => {
    await rejects(loadSigningKey({ key: sec('rsa4096-pw') }), 'PASSPHRASE_REQUIRED', /protected by a passphrase/);
  });

  it('fingerprint mismatch names the key it holds and what to fix', async () => {
    const other = fingerprints.get('rsa2048')!;
    const e = await rejects(
      loadSigningKey({ key: sec('ed25519'), fingerprint: other }),
      'FINGERPRINT_MISMATCH',
      /expected fingerprint/,
    );
    assert.ok(e.message.includes(other) && e.message.includes(fingerprints.get('ed25519')!));
    await rejects(loadSigningKey({ key: sec('ed25519'), fingerprint: 'ABCD' }), 'FINGERPRINT_INVALID');
  });

  it('pinning the encryption subkey of a subkey-only export is refused', async () => {
    await rejects(
      loadSigningKey({ key: sec('subkey-only'), passphrase: PASS['subkey-only']!, fingerprint: subkeyFprs[2]! }),
      'NO_SIGNING_KEY',
      /cannot sign/,
    );
  });

  it('expired key', async () => {
    await rejects(loadSigningKey({ key: sec('expired') }), 'KEY_EXPIRED', /expired on 2020-01-02.*quick-set-expire/);
  });

  it('revoked key', async () => {
    await rejects(loadSigningKey({ key: sec('revoked') }), 'KEY_REVOKED', /revoked/);
  });

  it('encryption-only key', async () => {
    await rejects(loadSigningKey({ key: sec('encrypt-only') }), 'NO_SIGNING_KEY', /signing subkey/);
  });

  it('corrupted armor', async () => {
    const lines = sec('rsa2048').split('\n');
    const i = Math.floor(lines.length / 2);
    lines[i] = lines[i]!.slice(0, 10) + (lines[i]![10] === 'A' ? 'B' : 'A') + lines[i]!.slice(11);
    await rejects(loadSigningKey({ key: lines.join('\n') }), 'KEY_PARSE', /armor is corrupted.*CRC-24/);
    // Without the checksum line the damage is still caught (by parsing or by the key's own checks).
    const noCrc = lines.filter((l) => !/^=[A-Za-z0-9+/]{4}$/.test(l)).join('\n');
    await rejects(loadSigningKey({ key: noCrc }), 'KEY_PARSE');
    await rejects(loadSigningKey({ key: sec('rsa2048').slice(0, 900) }), 'KEY_PARSE');
    await rejects(loadSigningKey({ key: 'hello world' }), 'KEY_PARSE', /armored OpenPGP private key/);
    await rejects(loadSigningKey({ key: '' }), 'KEY_PARSE');
  });

  it('a public key instead of a private key', async () => {
    await rejects(loadSigningKey({ key: pub('rsa2048') }), 'NOT_A_PRIVATE_KEY', /export-secret-keys/);
  });

  it('key inputs over 1 MiB are refused before parsing', async () => {
    const big = sec('ed25519') + '\n'.repeat(MAX_KEY_BYTES);
    await rejects(loadSigningKey({ key: big }), 'KEY_TOO_LARGE', /1 MiB/);
    await rejects(loadSigningKey({ key: new Uint8Array(MAX_KEY_BYTES + 1) }), 'KEY_TOO_LARGE');
  });

  it('normalizeFingerprint', () => {
    assert.equal(normalizeFingerprint(' 0xabcd ef01 2345 6789 '), 'ABCDEF0123456789');
    assert.throws(() => normalizeFingerprint('xyz'), KeyError);
  });
});

// ---- The digest signers, proven against node:crypto's own verification and RFC 6979 ----

function mpis(encoded: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off < encoded.length) {
    const m = decodeMpi(encoded, off);
    out.push(m.value);
    off = m.next;
  }
  return out;
}

async function keyFromPublic(
  name: string,
  passphrase?: string,
): Promise<{ key: InMemorySigningKey; publicKey: ReturnType<typeof createPublicKey> }> {
  const k = await openpgp.readKey({ armoredKey: pub(name) });
  const p = k.keyPacket.publicParams as Record<string, Uint8Array & { getName?: () => string }>;
  const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  let publicKey: ReturnType<typeof createPublicKey>;
  if (p.n) publicKey = createPublicKey({ key: { kty: 'RSA', n: b64u(p.n), e: b64u(p.e!) }, format: 'jwk' });
  else if (p.oid?.getName?.() === 'ed25519Legacy') {
    publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(p.Q!.subarray(1)) }, format: 'jwk' });
  } else {
    const Q = p.Q!;
    const len = (Q.length - 1) / 2;
    const crv = p.oid?.getName?.() === 'nistP256' ? 'P-256' : 'P-384';
    publicKey = createPublicKey({
      key: { kty: 'EC', crv, x: b64u(Q.subarray(1, 1 + len)), y: b64u(Q.subarray(1 + len)) },
      format: 'jwk',
    });
  }
  return { key: await loadSigningKey({ key: sec(name), ...(passphrase ? { passphrase } : {}) }), publicKey };
}

describe('signDigest: raw-digest signatures match node:crypto verification of the hashed message', () => {
  const message = Buffer.from('jit-gpg signs a precomputed digest');
  for (const name of ['rsa2048', 'rsa4096', 'p256', 'p384', 'ed25519']) {
    for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
      it(`${name} ${hash}`, async () => {
        const { key, publicKey } = await keyFromPublic(name);
        const digest = createHash(hash).update(message).digest();
        const parts = mpis(key.signDigest(digest, hash));
        if (key.algorithm === 'rsa') {
          // RSA PKCS#1 v1.5: node verifies hash(message) against our signature over the digest.
          assert.equal(parts.length, 1);
          const s = bigIntToBytes(bytesToBigInt(parts[0]!), (key.bits ?? 0) / 8);
          assert.ok(verify(hash, message, { key: publicKey, padding: K.RSA_PKCS1_PADDING }, s));
        } else if (key.algorithm === 'ecdsa') {
          // node's ECDSA verify hashes the message with `hash`: the same digest we signed.
          const size = key.curve === 'nistP256' ? 32 : 48;
          const sig = Buffer.concat(parts.map((p) => bigIntToBytes(bytesToBigInt(p), size)));
          assert.ok(verify(hash, message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig));
          assert.ok(!verify(hash, Buffer.from('other'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig));
        } else {
          // Legacy EdDSA signs the digest bytes as the Ed25519 message.
          const sig = Buffer.concat(parts.map((p) => bigIntToBytes(bytesToBigInt(p), 32)));
          assert.ok(verify(null, digest, publicKey, sig));
        }
        key.destroy();
      });
    }
  }

  it("proves node's EC sign(null, …) prehashes (so a raw-digest path is needed)", () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const digest = createHash('sha256').update('m').digest();
    const sig = sign(null, digest, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    // It verifies as a signature over SHA-256(digest), i.e. node hashed the digest again.
    assert.ok(verify('sha256', digest, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig));
  });

  for (const curve of ['nistP256', 'nistP384', 'nistP521'] as EcCurveName[]) {
    it(`ecdsaSignDigest on ${curve} with fresh keys verifies with node:crypto`, () => {
      const named = { nistP256: 'P-256', nistP384: 'P-384', nistP521: 'P-521' }[curve];
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: named });
      const d = bytesToBigInt(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
      for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
        const msg = Buffer.from(`message ${hash}`);
        const { r, s } = ecdsaSignDigest(curve, d, createHash(hash).update(msg).digest(), hash);
        const sig = Buffer.concat([bigIntToBytes(r, EC_CURVES[curve].bytes), bigIntToBytes(s, EC_CURVES[curve].bytes)]);
        assert.ok(verify(hash, msg, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig), hash);
      }
    });
  }

  it('RFC 6979 A.2.5 test vectors (P-256, "sample")', () => {
    const x = 0xc9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721n;
    const digest = createHash('sha256').update('sample').digest();
    const k = rfc6979Nonces('nistP256', x, digest, 'sha256').next().value;
    assert.equal(k, 0xa6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60n);
    const { r, s } = ecdsaSignDigest('nistP256', x, digest, 'sha256');
    assert.equal(r, 0xefd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716n);
    assert.equal(s, 0xf7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8n);
    const d512 = createHash('sha512').update('sample').digest();
    const k512 = rfc6979Nonces('nistP256', x, d512, 'sha512').next().value;
    assert.equal(k512, 0x5fa81c63109badb88c1f367b47da606da28cad69aa22c4fe6ad7df73a7173aa5n);
  });

  it('bits2int keeps the leftmost bits of long digests', () => {
    assert.equal(bits2int(Buffer.from('ff00', 'hex'), 8), 0xffn);
    assert.equal(bits2int(Buffer.from('ff00', 'hex'), 16), 0xff00n);
  });
});
