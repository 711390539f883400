import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  constants,
  createHash,
  generateKeyPairSync,
  type KeyObject,
  privateEncrypt,
  sign as cryptoSign,
} from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { bytesToBigInt, type EcCurveName, ecdsaSignDigest } from '../../src/sign/key.ts';
import { DIGEST_INFO_PREFIX, dearmor, type HashName, parseSignatures } from '../../src/sign/packet.ts';
import { signFiles } from '../../src/sign/signer.ts';
import { remoteSigningKey } from '../../src/sign/remote.ts';
import {
  createRemoteKey,
  type DigestSigner,
  ed25519FromRaw,
  exportPublicKey,
  matchPublicKey,
  parseDerSignature,
  type RawSignature,
  RemoteKeyError,
  type RemoteKeyType,
  servicePublicKey,
  signatureMpis,
} from '../../src/sign/remote-key.ts';

let dir: string;
const sqVersion = spawnSync('sq', ['--version'], { encoding: 'utf8' }).stdout ?? '';

function derInt(b: Buffer): Buffer {
  let v = b;
  while (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) v = v.subarray(1);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return Buffer.concat([Buffer.from([2, v.length]), v]);
}
function toBytes(v: bigint, len: number): Buffer {
  return Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex');
}

/** A key service made of a node:crypto private key: signs digests the way each service does. */
function localService(type: RemoteKeyType, ecEncoding: 'der' | 'p1363' = 'der') {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: type === 'ecdsa-p256' ? 'prime256v1' : 'secp384r1' });
  const priv: KeyObject = pair.privateKey;
  const calls: { digest: Buffer; hash: HashName }[] = [];
  const signWith = async (digest: Buffer, hash: HashName, ecEncoding: 'der' | 'p1363'): Promise<RawSignature> => {
    calls.push({ digest, hash });
    if (type === 'rsa') {
      const em = Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]);
      return { encoding: 'rsa', bytes: privateEncrypt({ key: priv, padding: constants.RSA_PKCS1_PADDING }, em) };
    }
    if (type === 'ed25519') return { encoding: 'ed25519', bytes: cryptoSign(null, digest, priv) };
    const curve: EcCurveName = type === 'ecdsa-p256' ? 'nistP256' : 'nistP384';
    const size = type === 'ecdsa-p256' ? 32 : 48;
    const d = bytesToBigInt(Buffer.from(priv.export({ format: 'jwk' }).d!, 'base64url'));
    const { r, s } = ecdsaSignDigest(curve, d, digest, hash);
    if (ecEncoding === 'p1363')
      return { encoding: 'p1363', bytes: Buffer.concat([toBytes(r, size), toBytes(s, size)]) };
    const body = Buffer.concat([derInt(toBytes(r, size)), derInt(toBytes(s, size))]);
    return { encoding: 'der', bytes: Buffer.concat([Buffer.from([0x30, body.length]), body]) };
  };
  const signer: DigestSigner = ({ digest, hash }) => signWith(digest, hash, ecEncoding);
  // what a provider's session gives the job: canonical encodings (ECDSA as DER)
  const session = {
    publicKey: pair.publicKey,
    sign: async (digest: Uint8Array, hash: HashName) => (await signWith(Buffer.from(digest), hash, 'der')).bytes,
  };
  return { pub: pair.publicKey, signer, session, calls, priv };
}

function gpg(home: string, args: string[], input?: string) {
  return spawnSync('gpg', ['--batch', '--homedir', home, '--status-fd', '1', ...args], {
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });
}

function sqVerify(pub: string, sig: string, file: string) {
  const legacy = /^sq 0\./.test(sqVersion);
  const args = legacy
    ? ['verify', '--signer-cert', pub, '--detached', sig, file]
    : ['verify', '--signer-file', pub, '--signature-file', sig, file];
  return spawnSync('sq', args, { encoding: 'utf8', env: { ...process.env, SEQUOIA_HOME: join(dir, 'sq-home') } });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-remote-'));
});
after(() => {
  spawnSync('gpgconf', ['--homedir', join(dir, 'gnupg'), '--kill', 'all']);
  rmSync(dir, { recursive: true, force: true });
});

const CREATED = new Date('2026-01-02T03:04:05Z');
const UID = 'Release Bot <release@example.com>';

const cases: [RemoteKeyType, 'der' | 'p1363', number, string][] = [
  ['rsa', 'der', 1, '8'],
  ['ecdsa-p256', 'der', 19, '8'],
  ['ecdsa-p256', 'p1363', 19, '8'],
  ['ecdsa-p384', 'der', 19, '9'],
  ['ed25519', 'der', 22, '8'],
];

describe('remote keys: exported identity and signatures every verifier accepts', () => {
  for (const [type, enc, algoId, hashId] of cases) {
    it(`${type} (${enc}): key export imports into gpg; file signatures verify with gpg, sq and openpgp.js`, async () => {
      const svc = localService(type, enc);
      const key = createRemoteKey(servicePublicKey(svc.pub), { created: CREATED, signer: svc.signer });
      const { armored } = await exportPublicKey(key, UID);
      assert.equal(svc.calls.length, 1, 'the self-certification is one remote call');

      const home = join(dir, `gnupg-${type}-${enc}`);
      mkdirSync(home, { mode: 0o700 });
      const imp = gpg(home, ['--import'], armored);
      assert.equal(imp.status, 0, imp.stderr);
      const listing = gpg(home, ['--with-colons', '--fixed-list-mode', '--list-keys']).stdout;
      const pubLine = listing
        .split('\n')
        .find((l) => l.startsWith('pub:'))!
        .split(':');
      assert.equal(pubLine[3], String(algoId), 'algorithm');
      assert.equal(pubLine[5], String(CREATED.getTime() / 1000), 'creation time');
      assert.match(pubLine[11]!, /s/, 'usable for signing');
      assert.ok(listing.includes(`fpr:::::::::${key.fingerprint}:`));
      assert.ok(listing.includes(`uid:-::::${CREATED.getTime() / 1000}::`) || listing.includes(UID));
      assert.match(listing, /Release Bot <release@example\.com>/);

      const files = [join(dir, `${type}-${enc}-a.bin`), join(dir, `${type}-${enc}-b.txt`)];
      writeFileSync(files[0]!, Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a));
      writeFileSync(files[1]!, 'hello\n');
      const pubPath = join(dir, `${type}-${enc}.pub.asc`);
      writeFileSync(pubPath, armored);
      const signed = await signFiles({ key: await remoteSigningKey(svc.session, armored), files });
      assert.equal(svc.calls.length, 3, 'one remote sign call per file');
      for (const f of signed) {
        const sig = parseSignatures(readFileSync(f.signature, 'utf8'))[0]!;
        assert.equal(sig.pubkeyAlgorithm, algoId);
        assert.equal(String(sig.hashAlgorithm), hashId);
        const v = gpg(home, ['--verify', f.signature, f.path]);
        assert.equal(v.status, 0, v.stderr);
        assert.match(v.stdout, new RegExp(`VALIDSIG ${key.fingerprint}`));
        const sq = sqVerify(pubPath, f.signature, f.path);
        assert.equal(sq.status, 0, sq.stderr);
        const verificationKeys = await openpgp.readKey({ armoredKey: armored });
        const signature = await openpgp.readSignature({ armoredSignature: readFileSync(f.signature, 'utf8') });
        const message = await openpgp.createMessage({ binary: readFileSync(f.path) });
        const res = await openpgp.verify({ message, signature, verificationKeys, format: 'binary' });
        await res.signatures[0]!.verified;
      }
      // a changed file no longer verifies (the check above can fail)
      writeFileSync(files[1]!, 'hello!\n');
      assert.notEqual(gpg(home, ['--verify', signed[1]!.signature, files[1]!]).status, 0);
    });
  }

  it('the same key and --created give the same fingerprint (and, for RSA and Ed25519, the same bytes)', async () => {
    for (const type of ['rsa', 'ed25519', 'ecdsa-p256'] as const) {
      const svc = localService(type);
      const a = createRemoteKey(servicePublicKey(svc.pub), { created: CREATED, signer: svc.signer });
      const b = createRemoteKey(servicePublicKey(svc.pub.export({ format: 'pem', type: 'spki' }) as string), {
        created: new Date(CREATED.getTime() + 400), // sub-second differences do not count
        signer: svc.signer,
      });
      const c = createRemoteKey(servicePublicKey(svc.pub.export({ format: 'jwk' })), {
        created: CREATED,
        signer: svc.signer,
      });
      assert.equal(a.fingerprint, b.fingerprint);
      assert.equal(a.fingerprint, c.fingerprint);
      const later = createRemoteKey(servicePublicKey(svc.pub), {
        created: new Date('2026-01-03T00:00:00Z'),
        signer: svc.signer,
      });
      assert.notEqual(a.fingerprint, later.fingerprint, 'the creation time is part of the fingerprint');
      if (type !== 'ecdsa-p256') {
        assert.equal((await exportPublicKey(a, UID)).armored, (await exportPublicKey(b, UID)).armored);
      }
    }
  });

  it('Ed25519: the service signs the OpenPGP digest as the message (pure), and an Ed25519ph-style answer is refused', async () => {
    const svc = localService('ed25519');
    const key = createRemoteKey(servicePublicKey(svc.pub), { created: CREATED, signer: svc.signer });
    const { armored } = await exportPublicKey(key, UID);
    // A service that prehashes (signs SHA-512 of the digest instead of the digest) makes signatures gpg cannot verify.
    const prehashing = {
      publicKey: svc.pub,
      sign: async (digest: Uint8Array) => cryptoSign(null, createHash('sha512').update(digest).digest(), svc.priv),
    };
    const file = join(dir, 'ph.txt');
    writeFileSync(file, 'x');
    await assert.rejects(
      signFiles({ key: await remoteSigningKey(prehashing, armored), files: [file] }),
      /self-check of the signature for .*ph\.txt failed/,
    );
    assert.equal(existsSync(`${file}.asc`), false, 'a signature that does not verify is removed');
  });

  it('Vault-style raw Ed25519 public keys read as the same key', () => {
    const svc = localService('ed25519');
    const raw = Buffer.from(svc.pub.export({ format: 'jwk' }).x!, 'base64url');
    const a = createRemoteKey(servicePublicKey(ed25519FromRaw(raw)), { created: CREATED, signer: svc.signer });
    const b = createRemoteKey(servicePublicKey(svc.pub), { created: CREATED, signer: svc.signer });
    assert.equal(a.fingerprint, b.fingerprint);
    assert.throws(() => ed25519FromRaw(raw.subarray(1)), /32 bytes/);
  });

  it('Azure JWKs (kty RSA-HSM / EC-HSM, kid, key_ops) read as the key', () => {
    const svc = localService('ecdsa-p256');
    const jwk = {
      ...svc.pub.export({ format: 'jwk' }),
      kty: 'EC-HSM',
      kid: 'https://v.vault.azure.net/keys/k/1',
      key_ops: ['sign'],
    };
    assert.equal(servicePublicKey(jwk).type, 'ecdsa-p256');
  });
});

describe('public-key binds the service key', () => {
  it('matchPublicKey returns the creation time of a matching export and refuses another key', async () => {
    const svc = localService('ecdsa-p256');
    const other = localService('ecdsa-p256');
    const key = createRemoteKey(servicePublicKey(svc.pub), { created: CREATED, signer: svc.signer });
    const { binary, armored } = await exportPublicKey(key, UID);
    assert.equal(matchPublicKey(binary, servicePublicKey(svc.pub)).getTime(), CREATED.getTime());
    assert.equal(matchPublicKey(dearmor(armored).data, servicePublicKey(svc.pub)).getTime(), CREATED.getTime());
    assert.throws(
      () => matchPublicKey(binary, servicePublicKey(other.pub)),
      /does not match public-key: public-key is [0-9A-F]{40}/,
    );
    assert.throws(
      () => matchPublicKey(Buffer.from([0xc0 | 13, 1, 0x41]), servicePublicKey(svc.pub)),
      /public key packet/,
    );
  });

  it('remoteSigningKey refuses a public key of another key before any sign call', async () => {
    const svc = localService('ed25519');
    const other = localService('ed25519');
    const key = createRemoteKey(servicePublicKey(svc.pub), { created: CREATED, signer: svc.signer });
    const otherKey = createRemoteKey(servicePublicKey(other.pub), { created: CREATED, signer: other.signer });
    const { armored } = await exportPublicKey(otherKey, UID);
    const file = join(dir, 'mismatch.txt');
    writeFileSync(file, 'x');
    await assert.rejects(remoteSigningKey(svc.session, armored), /does not match public-key/);
    assert.ok(key.fingerprint);
    assert.equal(svc.calls.length, 0);
  });
});

describe('hostile service answers', () => {
  it('refuses unsupported and weak keys', () => {
    assert.throws(
      () => servicePublicKey(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey),
      /at least 2048/,
    );
    assert.throws(
      () => servicePublicKey(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey),
      /curve secp256k1 is not supported/,
    );
    assert.throws(() => servicePublicKey(generateKeyPairSync('ed448').publicKey), /ed448 key cannot/);
    assert.throws(() => servicePublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'), RemoteKeyError);
    assert.throws(() => servicePublicKey(Buffer.from('not der')), /could not be read/);
  });

  it('P-384 with SHA-256 is refused', () => {
    const svc = localService('ecdsa-p384');
    assert.throws(
      () => createRemoteKey(servicePublicKey(svc.pub), { created: CREATED, signer: svc.signer, hash: 'sha256' }),
      /SHA-384/,
    );
  });

  it('malformed signatures are refused with a reason', () => {
    const bad: [RemoteKeyType, RawSignature, RegExp][] = [
      ['rsa', { encoding: 'der', bytes: Buffer.alloc(256) }, /expected an RSA signature/],
      ['ed25519', { encoding: 'ed25519', bytes: Buffer.alloc(63) }, /64-byte/],
      ['ecdsa-p256', { encoding: 'p1363', bytes: Buffer.alloc(63) }, /64-byte r‖s/],
      ['ecdsa-p256', { encoding: 'der', bytes: Buffer.from('3006020101020101ff', 'hex') }, /length mismatch/],
      ['ecdsa-p256', { encoding: 'der', bytes: Buffer.from('3006020181020101', 'hex') }, /negative/],
      ['ecdsa-p256', { encoding: 'der', bytes: Buffer.from('3003020101', 'hex') }, /truncated|expected an INTEGER/],
      ['ecdsa-p256', { encoding: 'der', bytes: Buffer.from('31060201010201', 'hex') }, /not a DER SEQUENCE/],
      [
        'ecdsa-p256',
        {
          encoding: 'der',
          bytes: Buffer.concat([
            Buffer.from('304502210101', 'hex'),
            Buffer.alloc(31, 1),
            Buffer.from('020101', 'hex'),
          ]).subarray(0, 40),
        },
        /mismatch|truncated/,
      ],
    ];
    for (const [type, sig, re] of bad) assert.throws(() => signatureMpis(type, sig, 2048), re);
    assert.throws(() => signatureMpis('rsa', { encoding: 'rsa', bytes: Buffer.alloc(255, 1) }, 2048), /255 bytes/);
    const r = parseDerSignature(Buffer.from('3008020200ff02020080', 'hex'));
    assert.deepEqual([r.r.toString('hex'), r.s.toString('hex')], ['00ff', '0080']);
  });

  it('user IDs must be one printable line', async () => {
    const svc = localService('ed25519');
    const key = createRemoteKey(servicePublicKey(svc.pub), { created: CREATED, signer: svc.signer });
    for (const uid of ['', '   ', 'a\nb', 'x\x1b[31m'])
      await assert.rejects(exportPublicKey(key, uid), /one printable line/);
    assert.equal(svc.calls.length, 0);
  });

  it('a signature time before the key creation time is refused', async () => {
    const svc = localService('ed25519');
    const key = createRemoteKey(servicePublicKey(svc.pub), { created: CREATED, signer: svc.signer });
    const { armored } = await exportPublicKey(key, UID);
    const file = join(dir, 'early.txt');
    writeFileSync(file, 'x');
    await assert.rejects(
      signFiles({
        key: await remoteSigningKey(svc.session, armored),
        files: [file],
        date: new Date('2025-01-01T00:00:00Z'),
      }),
      /before the signing key was created/,
    );
  });
});
