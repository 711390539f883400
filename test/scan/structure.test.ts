// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are fixtures, not templates
// Offline validators for structured secrets (src/scan/validate/structure.ts), on generated keys (node:crypto,
// openpgp, ssh-keygen and gpg when present) and hand-built edge cases. Nothing here is a real credential.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import {
  bech32Decode,
  bech32Encode,
  crc24,
  fakeAgeKey,
  fakeJwt,
  fixtureBytes,
  fx,
  isPlaceholderPassword,
  keyFixture,
  parsePem,
  validateAdyenKey,
  validateAgeSecretKey,
  validateBase64Password,
  validateBase64PemKey,
  validateBasicAuthBase64,
  validateDbUrl,
  validateDerPrivateKey,
  validateDiscordBotToken,
  validateGenericSecret,
  validatePgpassPassword,
  validateIntercomToken,
  validateJwkPrivateKey,
  validateJwt,
  validateMixedCase,
  validateOpenSshKey,
  validatePassword,
  validatePemPrivateKey,
  validatePgpPrivateKey,
  validatePuttyKey,
  validateSsh2Key,
} from '../../src/scan/validate/structure.ts';

const tmp = mkdtempSync(join(tmpdir(), 'jit-gpg-structure-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function have(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--help'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('PEM private keys', () => {
  for (const kind of ['rsa', 'rsa-encrypted', 'pkcs8', 'pkcs8-encrypted', 'ec', 'dsa'] as const) {
    it(`accepts a generated ${kind} key, raw, JSON-escaped and YAML-indented`, () => {
      const pem = keyFixture(kind);
      assert.equal(validatePemPrivateKey(pem), 'valid');
      assert.equal(validatePemPrivateKey(JSON.stringify(pem).slice(1, -1)), 'valid');
      const indented = pem
        .trimEnd()
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n');
      assert.equal(validatePemPrivateKey(indented), 'valid');
    });
  }
  it('accepts RSA and EC keys in every node export format', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    assert.equal(validatePemPrivateKey(rsa.export({ type: 'pkcs8', format: 'pem' }) as string), 'valid');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    assert.equal(validatePemPrivateKey(ec.export({ type: 'sec1', format: 'pem' }) as string), 'valid');
    const x = generateKeyPairSync('x25519').privateKey;
    assert.equal(validatePemPrivateKey(x.export({ type: 'pkcs8', format: 'pem' }) as string), 'valid');
  });
  it('rejects public keys, certificates, truncated and corrupted keys, and mismatched markers', () => {
    assert.equal(validatePemPrivateKey(keyFixture('public')), 'invalid');
    assert.equal(validatePemPrivateKey(keyFixture('certificate-like')), 'invalid');
    const pem = keyFixture('rsa');
    const lines = pem.trimEnd().split('\n');
    assert.equal(validatePemPrivateKey([...lines.slice(0, 4), lines.at(-1)].join('\n')), 'invalid');
    const body = fixtureBytes('corrupt', 600).toString('base64');
    assert.equal(
      validatePemPrivateKey(`-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`),
      'invalid',
    );
    assert.equal(validatePemPrivateKey(pem.replace('-----END RSA', '-----END EC')), 'invalid');
    assert.equal(
      validatePemPrivateKey('-----BEGIN PRIVATE KEY-----\n<your key>\n-----END PRIVATE KEY-----'),
      'invalid',
    );
  });
  it('checks the legacy encryption headers and the encrypted PKCS#8 DER', () => {
    const enc = keyFixture('rsa-encrypted');
    assert.equal(validatePemPrivateKey(enc.replace(/DEK-Info: [^\n]+/, 'DEK-Info: AES-128-CBC')), 'invalid');
    assert.equal(validatePemPrivateKey(enc.replace('Proc-Type: 4,ENCRYPTED', 'Proc-Type: 4,MAYBE')), 'invalid');
    const body = fixtureBytes('epk8', 200).toString('base64');
    assert.equal(
      validatePemPrivateKey(`-----BEGIN ENCRYPTED PRIVATE KEY-----\n${body}\n-----END ENCRYPTED PRIVATE KEY-----`),
      'invalid',
    );
  });
  it('joins keys split over source string literals (JS/Java concatenation, Python implicit joining)', () => {
    const lines = keyFixture('ec').trimEnd().split('\n');
    const js = lines.map((l) => `  "${l}\\n"`).join(' +\n');
    assert.equal(validatePemPrivateKey(js), 'valid');
    const py = `(\n${lines.map((l) => `    '${l}\\n'`).join('\n')}\n)`;
    assert.equal(validatePemPrivateKey(py), 'valid');
  });
  it('joins string literals in linear time, however long the space after a quote', () => {
    const spaces = ' '.repeat(100_000);
    const t0 = performance.now();
    assert.equal(
      parsePem(`-----BEGIN RSA PRIVATE KEY-----\n"MIIE"${spaces}x\n-----END RSA PRIVATE KEY-----`),
      undefined,
    );
    assert.equal(validateDerPrivateKey(`MIIEowIBAAK"${spaces}x`), 'invalid');
    assert.ok(performance.now() - t0 < 500, `${performance.now() - t0} ms`);
  });
  it('parses PEM blocks with headers, escapes and indentation', () => {
    const p = parsePem(keyFixture('rsa-encrypted'));
    assert.ok(p);
    assert.equal(p.label, 'RSA PRIVATE KEY');
    assert.equal(p.headers.get('Proc-Type'), '4,ENCRYPTED');
    assert.equal(parsePem('-----BEGIN X-----\nAAAA\n-----END Y-----'), undefined);
  });
  it('accepts keys written by ssh-keygen -m PEM', (t) => {
    if (!have('ssh-keygen')) return t.skip('no ssh-keygen');
    const path = join(tmp, 'pem_rsa');
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '1024', '-m', 'PEM', '-N', '', '-f', path]);
    assert.equal(validatePemPrivateKey(readFileSync(path, 'utf8')), 'valid');
  });
  it('decodes base64 PEM (kubeconfig client-key-data)', () => {
    assert.equal(validateBase64PemKey(b64(keyFixture('ec'))), 'valid');
    assert.equal(validateBase64PemKey(b64(keyFixture('public'))), 'invalid');
    assert.equal(validateBase64PemKey('not base64!'), 'invalid');
  });
});

describe('OpenSSH private keys', () => {
  it('accepts the generated fixture and rejects a checkint mismatch', () => {
    const key = keyFixture('openssh');
    assert.equal(validateOpenSshKey(key), 'valid');
    assert.equal(validatePemPrivateKey(key), 'valid');
    const pem = parsePem(key)!;
    const body = Buffer.from(pem.body);
    // Private section: after magic, cipher, kdf, kdfoptions, n, public key, then its length; flip the 2nd checkint.
    const idx = body.lastIndexOf(Buffer.from('ssh-ed25519')) - 4 - 8 + 4;
    body[idx] = body[idx]! ^ 0xff;
    const b = body
      .toString('base64')
      .match(/.{1,70}/g)!
      .join('\n');
    assert.equal(
      validateOpenSshKey(`-----BEGIN OPENSSH PRIVATE KEY-----\n${b}\n-----END OPENSSH PRIVATE KEY-----`),
      'invalid',
    );
  });
  it('rejects random bodies and other labels', () => {
    const b = fixtureBytes('ossh', 300).toString('base64');
    assert.equal(
      validateOpenSshKey(`-----BEGIN OPENSSH PRIVATE KEY-----\n${b}\n-----END OPENSSH PRIVATE KEY-----`),
      'invalid',
    );
    assert.equal(validateOpenSshKey(keyFixture('rsa')), 'invalid');
  });
  for (const [type, bits] of [
    ['ed25519', ''],
    ['rsa', '1024'],
    ['ecdsa', '256'],
  ] as const) {
    it(`accepts ssh-keygen ${type} keys, unencrypted and passphrase-protected`, (t) => {
      if (!have('ssh-keygen')) return t.skip('no ssh-keygen');
      for (const pass of ['', fx('ssh-pass', 12)]) {
        const path = join(tmp, `id_${type}_${pass ? 'enc' : 'plain'}`);
        const args = ['-q', '-t', type, '-N', pass, '-C', 'fixture', '-f', path];
        if (bits) args.push('-b', bits);
        execFileSync('ssh-keygen', args);
        const text = readFileSync(path, 'utf8');
        assert.match(text, /BEGIN OPENSSH PRIVATE KEY/);
        assert.equal(validateOpenSshKey(text), 'valid', `${type} ${pass ? 'encrypted' : 'plain'}`);
        assert.equal(validateOpenSshKey(JSON.stringify(text).slice(1, -1)), 'valid');
      }
    });
  }
});

describe('SSH2 (SSH.com) keys', () => {
  it('checks the magic and the length', () => {
    const body = Buffer.concat([Buffer.alloc(8), fixtureBytes('s2', 64)]);
    body.writeUInt32BE(0x3f6ff9eb, 0);
    body.writeUInt32BE(body.length, 4);
    const wrap = (b: Buffer) =>
      `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "x"\n${b.toString('base64')}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----`;
    assert.equal(validateSsh2Key(wrap(body)), 'valid');
    body.writeUInt32BE(body.length + 1, 4);
    assert.equal(validateSsh2Key(wrap(body)), 'invalid');
  });
});

describe('PuTTY keys', () => {
  it('accepts the fixture and verifies its MAC', () => {
    const k = keyFixture('putty');
    assert.equal(validatePuttyKey(k), 'valid');
    assert.equal(validatePuttyKey(k.replace('Comment: fixture@jit-gpg', 'Comment: other')), 'invalid');
    assert.equal(validatePuttyKey(k.replace(/Public-Lines: \d+/, 'Public-Lines: 9')), 'invalid');
  });
  it('accepts an encrypted v3 file by structure and rejects a malformed one', () => {
    const pub = Buffer.concat([
      Buffer.from([0, 0, 0, 11]),
      Buffer.from('ssh-ed25519'),
      Buffer.from([0, 0, 0, 32]),
      fixtureBytes('pp', 32),
    ]);
    const lines = [
      'PuTTY-User-Key-File-3: ssh-ed25519',
      'Encryption: aes256-cbc',
      'Comment: enc',
      'Public-Lines: 1',
      pub.toString('base64'),
      'Key-Derivation: Argon2id',
      'Argon2-Memory: 8192',
      'Argon2-Passes: 13',
      'Argon2-Parallelism: 1',
      `Argon2-Salt: ${fx('salt', 32, '0123456789abcdef')}`,
      'Private-Lines: 1',
      fixtureBytes('pp2', 48).toString('base64'),
      `Private-MAC: ${fx('mac', 64, '0123456789abcdef')}`,
    ];
    assert.equal(validatePuttyKey(lines.join('\n')), 'valid');
    assert.equal(validatePuttyKey(lines.filter((l) => !l.startsWith('Argon2-Salt')).join('\n')), 'invalid');
    assert.equal(validatePuttyKey(lines.join('\r\n')), 'valid');
  });
});

describe('PGP private key blocks', () => {
  it('computes CRC-24 as OpenPGP does', () => {
    assert.equal(crc24(new Uint8Array()), 0xb704ce);
    assert.equal(crc24(Buffer.from('123456789')), 0x21cf02);
  });
  it('accepts the hand-built fixture and rejects a bad CRC or a public block', () => {
    const k = keyFixture('pgp');
    assert.equal(validatePgpPrivateKey(k), 'valid');
    assert.equal(validatePgpPrivateKey(k.replace(/\n=([A-Za-z0-9+/]{4})\n/, '\n=AAAA\n')), 'invalid');
    assert.equal(validatePgpPrivateKey(k.replace(/PRIVATE KEY BLOCK/g, 'PUBLIC KEY BLOCK')), 'invalid');
    const body = fixtureBytes('pgp', 120).toString('base64');
    assert.equal(
      validatePgpPrivateKey(`-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${body}\n-----END PGP PRIVATE KEY BLOCK-----`),
      'invalid',
    );
  });
  it('accepts keys generated by openpgp (ECC and RSA, with and without a passphrase)', async () => {
    for (const opts of [
      { type: 'ecc' as const, curve: 'curve25519Legacy' as const },
      { type: 'ecc' as const, curve: 'curve25519Legacy' as const, passphrase: fx('pgp-pass', 16) },
      { type: 'rsa' as const, rsaBits: 2048 },
    ]) {
      const { privateKey, publicKey } = await openpgp.generateKey({
        ...opts,
        userIDs: [{ name: 'Fixture', email: 'fixture@jit-gpg.invalid' }],
        format: 'armored',
      });
      assert.equal(
        validatePgpPrivateKey(privateKey),
        'valid',
        JSON.stringify({ ...opts, passphrase: !!('passphrase' in opts) }),
      );
      assert.equal(validatePgpPrivateKey(JSON.stringify(privateKey).slice(1, -1)), 'valid');
      assert.equal(validatePgpPrivateKey(publicKey), 'invalid');
    }
  });
  it('accepts a v6 key from openpgp', async () => {
    const { privateKey } = await openpgp.generateKey({
      type: 'curve25519',
      userIDs: [{ name: 'Fixture', email: 'fixture@jit-gpg.invalid' }],
      config: { v6Keys: true },
      format: 'armored',
    });
    assert.equal(validatePgpPrivateKey(privateKey), 'valid');
  });
  it('accepts keys exported by gpg (armor headers and CRC line)', (t) => {
    if (!have('gpg')) return t.skip('no gpg');
    const home = mkdtempSync(join(tmp, 'gnupg-'));
    const env = { ...process.env, GNUPGHOME: home };
    execFileSync(
      'gpg',
      [
        '--batch',
        '--quiet',
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        '',
        '--quick-gen-key',
        'Fixture <fixture@jit-gpg.invalid>',
        'ed25519',
        'sign',
        '1d',
      ],
      { env, stdio: 'ignore' },
    );
    const armored = execFileSync(
      'gpg',
      ['--batch', '--quiet', '--pinentry-mode', 'loopback', '--passphrase', '', '--armor', '--export-secret-keys'],
      { env },
    ).toString('utf8');
    execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env, stdio: 'ignore' });
    assert.match(armored, /BEGIN PGP PRIVATE KEY BLOCK/);
    assert.equal(validatePgpPrivateKey(armored), 'valid');
  });
});

describe('JWK private keys', () => {
  it('imports full keys and judges partial ones by the size of d', () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    assert.equal(validateJwkPrivateKey(JSON.stringify(jwk)), 'valid');
    const { d, kty } = jwk;
    assert.equal(validateJwkPrivateKey(`"d": "${d}", "kty": "${kty}"}`), 'unknown');
    assert.equal(validateJwkPrivateKey(JSON.stringify({ kty: 'EC', d: 'AAAA' })), 'invalid');
    const { d: _d, ...pub } = jwk;
    assert.equal(validateJwkPrivateKey(JSON.stringify(pub)), 'invalid');
    assert.equal(validateJwkPrivateKey(JSON.stringify({ kty: 'oct', k: fx('k', 43), d: fx('d', 43) })), 'invalid');
  });

  it('reads a member once (the first), and stays linear on hostile spacing between literals', () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    // A second `d` later in the text (another object's) does not replace the first.
    assert.equal(validateJwkPrivateKey(`${JSON.stringify(jwk).slice(0, -1)}, "D": "AAAA"}`), 'valid');
    const spaced = `{"kty": "EC", "d": "${jwk.d}"${' \t'.repeat(50_000)}x, "crv": 'P-256'${' +'.repeat(50_000)}}`;
    const t0 = performance.now();
    assert.equal(validateJwkPrivateKey(spaced), 'unknown');
    assert.ok(performance.now() - t0 < 500, `${performance.now() - t0} ms`);
  });
});

describe('age and bech32', () => {
  it('matches BIP-173 test vectors', () => {
    assert.ok(bech32Decode('A12UEL5L'));
    assert.ok(bech32Decode('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw'));
    assert.equal(bech32Decode('A12UEL5l'), undefined); // mixed case
    assert.equal(bech32Decode('a12uel5m'), undefined); // bad checksum
  });
  it('round-trips and validates age identities', () => {
    const data = fixtureBytes('age', 32);
    const s = bech32Encode('age-secret-key-', data);
    assert.deepEqual(Buffer.from(bech32Decode(s)!.data), data);
    const key = fakeAgeKey('t');
    assert.equal(validateAgeSecretKey(key), 'valid');
    assert.equal(validateAgeSecretKey(`${key.slice(0, -1)}${key.endsWith('Q') ? 'P' : 'Q'}`), 'invalid');
    assert.equal(validateAgeSecretKey(bech32Encode('age', data).toUpperCase()), 'invalid');
    assert.equal(validateAgeSecretKey(bech32Encode('age-secret-key-', data.subarray(0, 31)).toUpperCase()), 'invalid');
  });
});

describe('JWT', () => {
  it('needs JSON header and payload, an alg other than none, and a signature', () => {
    assert.equal(validateJwt(fakeJwt({ sub: 'svc', iat: 1 }, 'a')), 'valid');
    assert.equal(validateJwt(fakeJwt({ sub: 'svc' }, 'b', 'ES256')), 'valid');
    assert.equal(validateJwt(fakeJwt({ sub: 'svc' }, 'c', 'none')), 'invalid');
    assert.equal(validateJwt(fakeJwt({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'd')), 'invalid');
    // The Supabase CLI's local-development keys are public (a published secret signs them); a project's service_role
    // key is not, and its anon key is public by design (client code ships it, like a publishable key).
    assert.equal(validateJwt(fakeJwt({ iss: 'supabase-demo', role: 'service_role', exp: 1983812996 }, 'e')), 'invalid');
    assert.equal(
      validateJwt(fakeJwt({ iss: 'supabase', ref: 'abcdefghijklmnop', role: 'service_role' }, 'f')),
      'valid',
    );
    assert.equal(validateJwt(fakeJwt({ iss: 'supabase', ref: 'abcdefghijklmnop', role: 'anon' }, 'f')), 'invalid');
    // Expired before any service could issue it: a fixture with relative times. A real expiry, past or not, counts.
    assert.equal(validateJwt(fakeJwt({ iat: -30, exp: 570, iss: 1 }, 'g')), 'invalid');
    assert.equal(validateJwt(fakeJwt({ sub: 'svc', exp: 1_500_000_000 }, 'h')), 'valid');
    assert.equal(validateJwt(fakeJwt({ sub: 'svc', exp: 1_983_812_996_000 }, 'i')), 'valid'); // milliseconds
    const [h, p] = fakeJwt({ sub: 'x' }, 'e').split('.');
    assert.equal(validateJwt(`${h}.${p}.`), 'invalid');
    assert.equal(validateJwt(`${h}.${Buffer.from('not json').toString('base64url')}.${fx('s', 43)}`), 'invalid');
    assert.equal(validateJwt(`${Buffer.from('{"typ":"JWT"}').toString('base64url')}.${p}.${fx('s', 43)}`), 'invalid');
    assert.equal(validateJwt(fakeJwt({ some: 'payload' }, 'f')), 'invalid'); // documentation payload
    assert.equal(validateJwt(fakeJwt({ user_id: 42, role: 'admin' }, 'g')), 'valid'); // custom claims, no registered one
  });
});

describe('passwords, URLs and basic auth', () => {
  it('recognises placeholder passwords', () => {
    for (const p of [
      '',
      'password',
      'changeme',
      '${DB_PASSWORD}',
      '${DB_PASSWORD:-x}',
      '$DB_PASSWORD',
      '<password>',
      '{{ .Values.db.password }}',
      '%DB_PASS%',
      '%(password)s',
      '********',
      'xxxxxxxx',
      'your_password',
      'YOUR-DB-PASSWORD',
      'my_secret_key',
      'password_here',
      'example-pass',
      '@db.password@',
      'op://vault/item/password',
    ])
      assert.ok(isPlaceholderPassword(p), p);
    for (const p of [fx('pw', 12), 'hunter2!Xz', 'T0p$ecret-2026']) assert.ok(!isPlaceholderPassword(p), p);
  });
  it('validates URL passwords, percent-decoded', () => {
    assert.equal(validatePassword('s3cr%21t-9a'), 'unknown'); // a password has no structure: never 'valid'
    assert.equal(validatePassword('%3Cpassword%3E'), 'invalid');
    assert.equal(validatePassword('%E0%A4%A'), 'unknown'); // undecodable: judged raw
    // Stand-ins that name what they stand for, and short digit runs.
    for (const p of ['master_password', 'old-token', 'expired-auth-token', '1234', 'my-secret-2'])
      assert.equal(validatePassword(p), 'invalid', p);
    // camelCase words name a stand-in as well as separated ones, and a word may carry up to three digits.
    for (const p of [
      'invalidPass',
      'fakeToken',
      'myPassword',
      'ToKeN123',
      'token123',
      'oldSecret99',
      'password12345',
      'pass%23pass',
    ])
      assert.equal(validatePassword(p), 'invalid', p);
    // Metasyntactic words and single letters between any punctuation (a URL parser's test vectors).
    for (const p of ['foo(b]c', 'foo(b%5Dc', 'a!foo?bar']) assert.equal(validatePassword(p), 'invalid', p);
    // A word and the credential's name as one word: what a tutorial types (`cacheuser:cachepass`).
    for (const p of ['cachepass', 'badpass', 'dbpassword', 'rootpwd', 'supersecret', 'TopSecret', 'mypass1'])
      assert.equal(validatePassword(p), 'invalid', p);
    // A placeholder typed twice or more.
    for (const p of ['adminadmin', 'testtesttest', 'PasswordPassword']) assert.equal(validatePassword(p), 'invalid', p);
    // GitHub's constant password for a token sent as the user name is no secret.
    assert.equal(validatePassword('x-oauth-basic'), 'invalid');
    assert.equal(validatePassword('111111@'), 'invalid'); // digits with punctuation about them
    // A stand-in in leetspeak, and source-code escapes read as the program reads them (`\u2163` is one character).
    for (const p of ['s3cr3t!', 'p4ssw0rd', 'S3cret', '\\u2163', 'I\\u00adX'])
      assert.equal(validatePassword(p), 'invalid', p);
    // Real passwords stay: random, four or more digits after a word, or words none of which names a credential.
    for (const p of [
      fx('pw-c', 12),
      'Secret2026',
      'password1357',
      'token-9f3Kq2',
      'BlueHorseStaple',
      'correctHorse7',
      'Tr0ub4dor&3',
      'P@ssw0rd!2026x',
      '+aB3dE5fG7hJ9', // base64 may start with a plus
      'horsebatterystaplepass', // more than a word before the credential's name
      'foo(b]c9x', // more than metasyntactic words and letters
      'Compass-Rose-19x',
    ])
      assert.equal(validatePassword(p), 'unknown', p);
    assert.equal(validatePassword('ab1'), 'invalid'); // too short to be a credential
    assert.equal(validatePassword(`pscale_pw_${fx('ps', 43)}`), 'invalid'); // PlanetScale's own rule reports it
  });
  it('validates database URLs (password, host, default credentials)', () => {
    const good = `postgres://app:${fx('db', 12)}@db.internal/app`;
    assert.equal(validateDbUrl('x', good), 'unknown');
    assert.equal(validateDbUrl('x', `=${good}`), 'unknown');
    assert.equal(validateDbUrl('x', 'postgres://admin:master_password@db.internal/app'), 'invalid');
    assert.equal(validateDbUrl('x', 'postgres://app:password@db/app'), 'invalid');
    assert.equal(validateDbUrl('x', 'amqp://guest:guest@localhost'), 'invalid');
    assert.equal(validateDbUrl('x', 'neo4j://neo4j:neo4j@localhost:7687'), 'invalid');
    // The user name with typed digits, and metasyntactic words with counted digits, are stand-ins too.
    assert.equal(validateDbUrl('x', 'http://minio:minio123@127.0.0.1:9000/'), 'invalid');
    assert.equal(validateDbUrl('x', 'postgres://cacheuser:cachepass@localhost/cachedatabase'), 'invalid');
    assert.equal(validateDbUrl('x', 'http://foobar:foo12345@127.0.0.1:9001'), 'invalid');
    assert.equal(validateDbUrl('x', 'http://minio:minio2026@minio.internal:9000/'), 'unknown');
    assert.equal(validateDbUrl('x', 'redis://:redis@localhost:6379'), 'invalid');
    assert.equal(validateDbUrl('x', `postgres://app:${fx('db', 12)}@\${DB_HOST}/app`), 'invalid');
    assert.equal(validateDbUrl(fx('db2', 12)), 'unknown');
  });
  it('validates .pgpass entries as the database URLs they stand for', () => {
    const pw = fx('pgp', 14);
    assert.equal(validatePgpassPassword(pw, `db.internal:5432:app:app_rw:${pw}`), 'unknown');
    // `*` is every host, a real entry's; an escaped `:` stays inside its field.
    assert.equal(validatePgpassPassword(pw, `*:*:*:deploy:${pw}\r`), 'unknown');
    assert.equal(validatePgpassPassword(pw, `db.internal:5432:app:svc\\:ro:${pw}`), 'unknown');
    assert.equal(validatePgpassPassword('postgres', 'localhost:5432:*:postgres:postgres'), 'invalid');
    assert.equal(validatePgpassPassword('${PGPASSWORD}', 'db.internal:5432:app:app:${PGPASSWORD}'), 'invalid');
    assert.equal(validatePgpassPassword('password', 'db.internal:5432:app:app:password'), 'invalid');
  });
  it('validates base64 user:password (Docker auth, npm _auth) and base64 passwords', () => {
    assert.equal(validateBasicAuthBase64(b64(`bot:${fx('d', 14)}`)), 'unknown');
    assert.equal(validateBasicAuthBase64(b64('bot:password')), 'invalid');
    assert.equal(validateBasicAuthBase64(b64('token-without-colon')), 'invalid');
    assert.equal(validateBasicAuthBase64(b64(':nouser')), 'invalid');
    assert.equal(validateBasicAuthBase64(b64('user:')), 'invalid');
    assert.equal(validateBasicAuthBase64(fixtureBytes('bin', 24).toString('base64')), 'invalid');
    assert.equal(validateBasicAuthBase64('not*base64'), 'invalid');
    assert.equal(validateBase64Password(b64(fx('p', 12))), 'unknown');
    assert.equal(validateBase64Password(b64('changeme')), 'invalid');
  });
});

describe('SaaS token payloads', () => {
  it('Discord bot tokens carry a snowflake id', () => {
    const id = Buffer.from('123456789012345678').toString('base64url');
    const ts = Buffer.from('abcd').toString('base64url');
    assert.equal(validateDiscordBotToken(`${id}.${ts}.${fx('h', 38, 'abcdefghijklmnopqrstuvwxyz')}`), 'valid');
    assert.equal(
      validateDiscordBotToken(`${Buffer.from('not-an-id-12345678').toString('base64url')}.${ts}.${fx('h', 38)}`),
      'invalid',
    );
    assert.equal(validateDiscordBotToken(`${id}.${ts}`), 'invalid');
  });
  it('Adyen keys: two base64 segments, the second 32 bytes', () => {
    const head = Buffer.concat([Buffer.from([1, 1, 0x21]), fixtureBytes('a', 45)]).toString('base64');
    assert.equal(validateAdyenKey(`${head}-${fixtureBytes('b', 32).toString('base64')}`), 'unknown');
    assert.equal(validateAdyenKey(`${head}-${fixtureBytes('b', 31).toString('base64')}A=`), 'invalid');
    assert.equal(validateAdyenKey(`AQE-${fixtureBytes('b', 32).toString('base64')}`), 'invalid');
  });
  it('Intercom tokens decode to tok:<uuid>', () => {
    const enc = (t: string) => Buffer.from(t).toString('base64');
    assert.equal(validateIntercomToken(enc('tok:55add726_6d64_4eaf_8ac2_ba21e7cf8b8d:1:0')), 'valid');
    assert.equal(validateIntercomToken(enc('tok:55add726-6d64-4eaf-8ac2-ba21e7cf8b8d')), 'valid');
    assert.equal(validateIntercomToken(enc('tok:not-a-uuid-at-all')), 'invalid');
  });
  it('mixed-case tokens', () => {
    assert.equal(validateMixedCase(`md-${fx('m', 22)}`), 'unknown');
    assert.equal(validateMixedCase('md-autocomplete-wrapper1'), 'invalid');
  });
});

describe('generic secret heuristics', () => {
  it('keeps random-looking values', () => {
    for (const v of [
      fx('g1', 24),
      `${fx('g2', 10)}!${fx('g3', 6, '0123456789')}`,
      fx('g4', 32, '0123456789abcdef'),
      fx('g5', 64, 'abcdefghijklmnopqrstuvwxyz0123456789+/'),
      `+${fx('g6', 20)}+`, // base64 that starts and ends with a plus is no concatenation
      `${fx('g7', 16)}%2B${fx('g8', 8)}%3D`, // percent-encoded base64 characters are a credential's
      Buffer.from(`deploy:${fx('g13', 16)}`).toString('base64'), // HTTP basic credentials with a real password
      `${fx('g14', 12)}/20161107/${fx('g15', 8)}`, // a date between random parts, no region after it
      'vF9dft4qmT', // home-row letters, but not mostly
      'Kd7sLq9hJx2fGa4Wm', // home-row letters spread out, no four in a row
      // Random values whose letters, glued across their digits, would read as camelCase words (`jzwO` `xpRtfq`:
      // `jzw` `Oxp` `Rtfq`): a digit ends a word.
      'jzwO5xpRtfq2YO',
      '8a0mxXfakuEBCitaQ',
    ])
      assert.equal(validateGenericSecret(v), 'unknown', v);
    // Words, a symbol and digits: under a password's name, the password a person typed; else a name's suffix.
    assert.equal(validateGenericSecret('YwixpyheFybk#671', 'Passwd: "YwixpyheFybk#671"'), 'unknown');
    assert.equal(validateGenericSecret('SummerBreeze@2024', 'db_password = "SummerBreeze@2024"'), 'unknown');
    assert.equal(validateGenericSecret('Password#123', 'password: Password#123'), 'invalid');
    assert.equal(validateGenericSecret('ServiceAccount#12', 'token: ServiceAccount#12'), 'invalid');
    // A password whose second character is `=`: one letter before it is no assignment's name.
    for (const v of ['S=gOx!BxRhn_spV4r2', 'K=9vTq2Lm8Xw'])
      assert.equal(validateGenericSecret(v, `password: ${v}`), 'unknown', v);
    for (const v of ['Expires=1663070400', 'SAS=se2025', 'token=abc123def456'])
      assert.equal(validateGenericSecret(v), 'invalid', v);
    // Names with digits still read as names, where the digits end a word.
    for (const v of ['recaptchaV3Token', 'oauth2ClientSecret', 's3BucketName', 'md5Digest'])
      assert.equal(validateGenericSecret(v), 'invalid', v);
    // A value that names what it stands for, though its digits make it no word (`X509`): a field set from a parameter.
    assert.equal(
      validateGenericSecret('encryptionX509Credentials', 'this.encryptionX509Credentials = encryptionX509Credentials'),
      'invalid',
    );
  });

  it('drops a value holding a control character (an injection payload), CJK text, a keyboard mash or a long run', () => {
    for (const v of [
      `${fx('g9', 12)}%0d%0aSet-Cookie:%20evil=injected`,
      `${fx('g10', 16)}%00`,
      `${fx('g11', 10)}\u0007${fx('g12', 10)}`,
      'sldafh309sdf', // keyboard mashes: a test's token typed on the home row
      'lsdkfhj230',
      'askfjh234as9sd8',
      'lsdkfol23w54jlksdef',
      `${fx('g16', 12)}zzzzzzzzz${fx('g17', 12)}`, // one character typed nine times running
      '密钥Base64编码', // a locale file's translation
      'シークレットキーBase64',
      '비밀키를입력하세요x1',
    ])
      assert.equal(validateGenericSecret(v), 'invalid', v);
  });
  it('keeps random hex of 20 to 32 characters, whose measured entropy is often under 3.5 bits', () => {
    let kept = 0;
    for (let i = 0; i < 200; i++) {
      for (const n of [20, 24, 32, 40])
        kept += Number(validateGenericSecret(fx(`hex-${i}-${n}`, n, '0123456789abcdef')) === 'unknown');
    }
    assert.ok(kept >= 585, `${kept} of 600 kept`); // a few measure under 3 bits or hold runs like 1234 (40: a git SHA)
    // Hex that starts like a binary or octal literal is not one.
    assert.equal(validateGenericSecret('0b4f3be9f1c8994615604177ffbd5bd7'), 'unknown');
    assert.equal(validateGenericSecret('0o8f3be9f1c8994615604177ffbd5bd7'), 'unknown');
  });
  it('wants a long value in a URL query (public badge and embed tokens), wherever the match begins', () => {
    const v = 'W8Ih3PswD-8';
    assert.equal(validateGenericSecret(v, `?token=${v}`), 'invalid');
    assert.equal(validateGenericSecret(v, `/?token=${v}"`), 'invalid'); // the character before the name
    assert.equal(validateGenericSecret(v, `&token=${v}`), 'invalid');
    assert.equal(validateGenericSecret(v, `token=${v}`), 'unknown'); // not a query: short values count
    assert.equal(validateGenericSecret(`${v}Zq8kLm2p`, `/?token=${v}Zq8kLm2p"`), 'unknown');
  });

  it('drops placeholders, references, identifiers, paths, URLs, UUIDs, git SHAs, numbers and owned prefixes', () => {
    const drop = [
      'changeme',
      '-0x3f879678abcdef',
      '0b1010101010101010',
      '0o7557557557',
      'process.env.API_KEY',
      'settings.SECRET_KEY',
      'DATABASE_PASSWORD',
      'userInputPasswordField',
      'my-app-secret-key',
      './secrets/token.txt',
      '/run/secrets/db_password',
      'https://vault.internal/v1/secret',
      '01234567-89ab-4cde-8f01-23456789abcd',
      fx('sha', 40, '0123456789abcdef'),
      '3600000000',
      '1.2.3-beta.4',
      'sha512-abcdefghijklmnop',
      `sk_live_${fx('o1', 30)}`,
      `xoxb-${fx('o2', 30)}`,
      `eyJ${fx('o3', 30)}`,
      'credentials.json',
      'aaaaaaaaaaaaaaaa',
      'abcdabcd',
      'secret%3Dpassword',
      '.base64_encode($data).', // code between two string literals (PHP)
      '+ encodeURIComponent(key) +',
      '.$secret.',
      '123/20250102/test_region/s3/aws4_request', // a SigV4 credential scope with a test's key id
      '%s/%s/us-east-1/s3/aws4_request',
      'access_key%2F20161107%2Fus-east-1', // a credential scope's start, its string literal cut at the line's end
      Buffer.from('abc:123').toString('base64'), // HTTP basic credentials with a stand-in password
      Buffer.from('user:').toString('base64'),
      'Cl1ent$ecret!', // leetspeak that spells what it stands for
      'MyP4ssw0rd#2',
      'new_user123', // words with typed digits
      'lock&key',
      'Not-A-Real-Secret',
      'Uint8Array',
      'PrivateKey|Uint8Array|String',
      '!questionToken',
      'contextToken2',
      'abc123xyz456',
      'secret/data/release/app',
    ];
    for (const v of drop) assert.equal(validateGenericSecret(v), 'invalid', v);
  });
});
