import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSigningKey } from '../../src/sign/key.ts';
import { encodeSignature, signData, signFiles } from '../../src/sign/signer.ts';
import { defaultSignaturePath, readPublicKeys, verifyFile, verifyFiles } from '../../src/sign/verify.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'keys');
const sec = (name: string) => readFileSync(join(FIX, `${name}.sec.asc`), 'utf8');
const pub = (name: string) => readFileSync(join(FIX, `${name}.pub.asc`), 'utf8');
const gpgAvailable = spawnSync('gpg', ['--version']).status === 0;
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-verify-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('verifyFile', () => {
  it('reports signer, primary, key id, user ids, time, hash, notations and the file SHA-256', async () => {
    const key = await loadSigningKey({ key: sec('subkey-only'), passphrase: 'test-only-subkey-passphrase' });
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'hello');
    const date = new Date(Math.floor(Date.now() / 1000 - 60) * 1000);
    await signFiles({ key, files: [file], hash: 'sha512', notations: { 'commit@jit-gpg': 'abc' }, date });
    key.destroy();
    const v = await verifyFile({ publicKey: pub('subkey-only'), file });
    assert.equal(v.valid, true, v.error);
    assert.equal(v.signature, file + '.asc');
    assert.equal(v.signerFingerprint, key.fingerprint);
    assert.equal(v.primaryFingerprint, key.primaryFingerprint);
    assert.equal(v.keyId, key.keyId);
    assert.deepEqual(v.userIds, ['jit-gpg test subkey <subkey@jit-gpg.test>']);
    assert.equal(v.created?.getTime(), date.getTime());
    assert.equal(v.hash, 'sha512');
    assert.deepEqual(v.notations, { 'commit@jit-gpg': 'abc' });
    assert.equal(v.sha256, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    assert.deepEqual(v.warnings, []);
    // Pinning: the subkey, its primary and the key id are accepted; another key is not.
    for (const f of [key.fingerprint, key.primaryFingerprint, key.keyId]) {
      assert.equal((await verifyFile({ publicKey: pub('subkey-only'), file, fingerprint: f })).valid, true);
    }
    const other = await verifyFile({
      publicKey: pub('subkey-only'),
      file,
      fingerprint: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    assert.equal(other.valid, false);
    assert.match(other.error!, /not by the expected/);
  });

  it('verifies signatures made by GnuPG itself (old-format packets, gpg defaults)', {
    skip: !gpgAvailable,
  }, async () => {
    const home = join(dir, 'gnupg');
    mkdirSync(home, { mode: 0o700 });
    const file = join(dir, 'by-gpg.bin');
    writeFileSync(file, Buffer.alloc(70000, 3));
    try {
      for (const name of ['rsa2048', 'p256', 'ed25519']) {
        execFileSync('gpg', ['--batch', '--quiet', '--homedir', home, '--import', join(FIX, `${name}.sec.asc`)], {
          stdio: 'ignore',
        });
        const fpr = (await readPublicKeys(pub(name)))[0]!.getFingerprint();
        for (const armor of [true, false]) {
          const sig = `${file}.${name}.${armor ? 'asc' : 'sig'}`;
          execFileSync('gpg', [
            '--batch',
            '--yes',
            '--homedir',
            home,
            '--local-user',
            fpr,
            ...(armor ? ['--armor'] : []),
            '--output',
            sig,
            '--detach-sign',
            file,
          ]);
          const v = await verifyFile({ publicKey: pub(name), file, signature: sig });
          assert.equal(v.valid, true, `${name} ${armor}: ${v.error}`);
          assert.equal(v.signerFingerprint, fpr.toUpperCase());
        }
      }
    } finally {
      spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    }
  });

  it('fails (without throwing) on tampering, wrong key, corrupt or missing signatures', async () => {
    const key = await loadSigningKey({ key: sec('rsa2048') });
    const file = join(dir, 'b.bin');
    writeFileSync(file, 'original');
    const [res] = await signFiles({ key, files: [file], armor: true });
    key.destroy();
    assert.equal((await verifyFile({ publicKey: pub('rsa2048'), file })).valid, true);

    writeFileSync(file, 'originaL');
    const bad = await verifyFile({ publicKey: pub('rsa2048'), file });
    assert.equal(bad.valid, false);
    assert.match(bad.error!, /BAD signature/);
    writeFileSync(file, 'original');

    const wrong = await verifyFile({ publicKey: pub('ed25519'), file });
    assert.equal(wrong.valid, false);
    assert.match(wrong.error!, /not in the given public key/);

    const armored = readFileSync(res!.signature, 'utf8');
    const lines = armored.split('\n');
    lines[3] = (lines[3]![0] === 'A' ? 'B' : 'A') + lines[3]!.slice(1);
    const corrupt = await verifyFile({ publicKey: pub('rsa2048'), file, signature: Buffer.from(lines.join('\n')) });
    assert.equal(corrupt.valid, false);
    assert.match(corrupt.error!, /corrupted.*CRC-24/);

    const garbage = await verifyFile({ publicKey: pub('rsa2048'), file, signature: Buffer.from('not a signature') });
    assert.equal(garbage.valid, false);
    assert.match(garbage.error!, /corrupted or not an OpenPGP signature/);

    const missing = await verifyFile({ publicKey: pub('rsa2048'), file: join(dir, 'nope') });
    assert.equal(missing.valid, false);
    assert.match(missing.error!, /the signature .*nope\.asc(\.sig)?: not found/);
  });

  it('item 8: a signature path that is a FIFO fails at once instead of hanging', async () => {
    const file = join(dir, 'fifo-target.txt');
    writeFileSync(file, 'data\n');
    execFileSync('mkfifo', [`${file}.asc`]);
    const r = await verifyFile({ publicKey: pub('rsa2048'), file });
    assert.equal(r.valid, false);
    assert.match(r.error!, /is a FIFO \(named pipe\), not a regular file/);
  });

  it('a signature of the same key on other data fails', async () => {
    const key = await loadSigningKey({ key: sec('p384') });
    const { packet } = await signData(key, Buffer.from('other data'));
    key.destroy();
    const file = join(dir, 'c.bin');
    writeFileSync(file, 'this data');
    const v = await verifyFile({ publicKey: pub('p384'), file, signature: packet });
    assert.equal(v.valid, false);
  });

  it('verifyFiles reads the key once and finds .asc or .sig next to each file', async () => {
    const key = await loadSigningKey({ key: sec('ed25519') });
    const a = join(dir, 'd1.bin');
    const b = join(dir, 'd2.bin');
    writeFileSync(a, '1');
    writeFileSync(b, '2');
    await signFiles({ key, files: [a] });
    await signFiles({ key, files: [b], armor: false });
    key.destroy();
    assert.equal(await defaultSignaturePath(b), b + '.sig');
    const res = await verifyFiles({ publicKey: pub('ed25519'), files: [a, b] });
    assert.deepEqual(
      res.map((r) => [r.signature, r.valid]),
      [
        [a + '.asc', true],
        [b + '.sig', true],
      ],
    );
  });

  it('an unreadable public key is a clear error', async () => {
    await assert.rejects(
      readPublicKeys('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n'),
      /public key could not be read/,
    );
  });
});

describe('verifyFiles with explicit signatures', () => {
  it('checks the signature it is given, not a stale .asc lying beside it', async () => {
    const key = await loadSigningKey({ key: sec('ed25519') });
    const file = join(dir, 'stale.txt');
    writeFileSync(file, 'release');
    await signFiles({ key, files: [file], armor: true });
    const [sig] = await signFiles({ key, files: [file], armor: false });
    key.destroy();
    writeFileSync(sig!.signature, Buffer.from('not a signature'));
    const byName = await verifyFiles({ publicKey: pub('ed25519'), files: [file] });
    assert.equal(byName[0]!.valid, true, 'the stale .asc alone looks fine');
    const exact = await verifyFiles({ publicKey: pub('ed25519'), files: [{ file, signature: sig!.signature }] });
    assert.equal(exact[0]!.valid, false);
    assert.equal(exact[0]!.signature, sig!.signature);
  });
});

describe('verifyFiles given the digest computed while signing (one pass per file)', () => {
  const setup = async (name: string) => {
    const key = await loadSigningKey({ key: sec('ed25519') });
    const file = join(dir, name);
    writeFileSync(file, `artifact ${name}`);
    const date = new Date(Math.floor(Date.now() / 1000 - 120) * 1000);
    const [s] = await signFiles({ key, files: [file], armor: true, date });
    return { key, file, s: s! };
  };
  const entry = (s: Awaited<ReturnType<typeof setup>>['s']) => ({
    file: s.path,
    signature: s.signature,
    signed: { digest: s.digest, hash: s.hash, sha256: s.sha256 },
  });

  it('verifies the signature as written without reading the file again', async () => {
    const { key, file, s } = await setup('once.bin');
    key.destroy();
    rmSync(file); // were it read again, this would fail: "cannot read"
    const [v] = await verifyFiles({ publicKey: pub('ed25519'), files: [entry(s)], fingerprint: key.fingerprint });
    assert.equal(v!.valid, true, v!.error);
    assert.equal(v!.sha256, s.sha256);
    assert.equal(v!.signerFingerprint, key.fingerprint);
    assert.equal(v!.hash, 'sha256');
    const [full] = await verifyFiles({ publicKey: pub('ed25519'), files: [{ file, signature: s.signature }] });
    assert.equal(full!.valid, false);
    assert.match(full!.error!, /cannot read/);
  });

  it('a stale signature of the same file (made earlier, same key) fails as not the one just made', async () => {
    const { key, file, s } = await setup('stale.bin');
    const stale = readFileSync(s.signature);
    const [again] = await signFiles({ key, files: [file], armor: true }); // a new one, a later time
    key.destroy();
    writeFileSync(again!.signature, stale); // the old signature stands where the new one was written
    const [v] = await verifyFiles({ publicKey: pub('ed25519'), files: [entry(again!)] });
    assert.equal(v!.valid, false);
    assert.match(v!.error!, /BAD signature/);
    // Checked against the file instead, the stale signature is a good signature of it: the digest is what tells.
    const [byFile] = await verifyFiles({ publicKey: pub('ed25519'), files: [{ file, signature: s.signature }] });
    assert.equal(byFile!.valid, true);
  });

  it('a changed, corrupt, foreign or missing signature file fails as it does against the file', async () => {
    const { key, file, s } = await setup('changed.bin');
    const good = readFileSync(s.signature, 'utf8');
    const other = await signData(key, Buffer.from('other data'));
    key.destroy();
    const cases: Array<[string, string | Buffer | undefined, RegExp]> = [
      ['a signature of other data', encodeArmored(other.packet), /BAD signature/],
      ['garbage', 'not a signature', /corrupted or not an OpenPGP signature/],
      ['armor with a flipped byte', flipArmorByte(good), /corrupted|BAD signature/],
      ['missing', undefined, /signature .*(not found|cannot read)|cannot read the signature/],
    ];
    for (const [what, content, error] of cases) {
      if (content === undefined) rmSync(s.signature, { force: true });
      else writeFileSync(s.signature, content);
      const [v] = await verifyFiles({ publicKey: pub('ed25519'), files: [entry(s)] });
      const [byFile] = await verifyFiles({ publicKey: pub('ed25519'), files: [{ file, signature: s.signature }] });
      assert.equal(v!.valid, false, what);
      assert.equal(byFile!.valid, false, what);
      assert.match(v!.error!, error, what);
    }
  });

  it('a digest of another hash than the signature declares fails', async () => {
    const { key, s } = await setup('hash.bin');
    key.destroy();
    const [v] = await verifyFiles({
      publicKey: pub('ed25519'),
      files: [{ ...entry(s), signed: { digest: s.digest, hash: 'sha512', sha256: s.sha256 } }],
    });
    assert.equal(v!.valid, false);
    assert.match(v!.error!, /declares sha256, not the sha512/);
  });
});

function encodeArmored(packet: Uint8Array): string {
  return encodeSignature(packet, true).toString('utf8');
}

/** The armored signature with one base64 character of its body changed. */
function flipArmorByte(armored: string): string {
  const lines = armored.split('\n');
  const i = lines.findIndex((l, k) => k > 1 && l.length > 20);
  const line = lines[i]!;
  lines[i] = `${line[0] === 'A' ? 'B' : 'A'}${line.slice(1)}`;
  return lines.join('\n');
}
