import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { loadSigningKey, type SigningKey } from '../../src/sign/key.ts';
import { parseSignatures } from '../../src/sign/packet.ts';
import { defaultHashFor, hashFile, READ_CHUNK, resolveHash, signData, signFiles } from '../../src/sign/signer.ts';
import { verifyFile } from '../../src/sign/verify.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'keys');
const sec = (name: string) => readFileSync(join(FIX, `${name}.sec.asc`), 'utf8');
const pubPath = (name: string) => join(FIX, `${name}.pub.asc`);
const PASS: Record<string, string> = {
  'rsa2048-pw': 'test-only-rsa2048-passphrase',
  'rsa4096-pw': 'test-only-rsa4096-passphrase',
  'ed25519-pw': 'test-only-ed25519-passphrase',
  'p256-pw': 'test-only-p256-passphrase',
  'p384-pw': 'test-only-p384-passphrase',
  'subkey-only': 'test-only-subkey-passphrase',
};
const load = (name: string) => loadSigningKey({ key: sec(name), ...(PASS[name] ? { passphrase: PASS[name] } : {}) });

const NOTATIONS = {
  'repository@jit-gpg': 'octo-org/octo-repo',
  'workflow-ref@jit-gpg': 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.3',
  'commit@jit-gpg': '0123456789abcdef0123456789abcdef01234567',
  'run-url@jit-gpg': 'https://github.com/octo-org/octo-repo/actions/runs/42/attempts/1',
  'run-attempt@jit-gpg': '1',
};
const HASH_IDS: Record<string, string> = { sha256: '8', sha384: '9', sha512: '10' };

let dir: string;
let gnupgHome: string;
const gpgAvailable = spawnSync('gpg', ['--version']).status === 0;
const sqAvailable = spawnSync('sq', ['--version']).status === 0;
const sqVersion = sqAvailable ? spawnSync('sq', ['--version'], { encoding: 'utf8' }).stdout : '';

function gpgVerify(sig: string, file: string, extra: string[] = []) {
  const r = spawnSync('gpg', ['--batch', '--homedir', gnupgHome, '--status-fd', '1', ...extra, '--verify', sig, file], {
    encoding: 'utf8',
  });
  return { status: r.status, status_lines: r.stdout, stderr: r.stderr };
}

/** NOTATION_NAME / NOTATION_DATA status lines → name → value (data lines are split and percent-escaped). */
function gpgNotations(status: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | undefined;
  for (const line of status.split('\n')) {
    const name = /^\[GNUPG:\] NOTATION_NAME (.+)$/.exec(line);
    if (name) {
      current = name[1]!;
      out[current] = '';
      continue;
    }
    const data = /^\[GNUPG:\] NOTATION_DATA (.*)$/.exec(line);
    if (data && current !== undefined) out[current] += decodeURIComponent(data[1]!);
  }
  return out;
}

/** sq 0.x: `sq verify --signer-cert PUB --detached SIG FILE`; sq 1.x: `--signer-file PUB --signature-file SIG FILE`. */
function sqVerify(pub: string, sig: string, file: string) {
  const legacy = /^sq 0\./.test(sqVersion);
  const args = legacy
    ? ['verify', '--signer-cert', pub, '--detached', sig, file]
    : ['verify', '--signer-file', pub, '--signature-file', sig, file];
  const r = spawnSync('sq', args, { encoding: 'utf8', env: { ...process.env, SEQUOIA_HOME: join(dir, 'sq-home') } });
  return { status: r.status, stderr: r.stderr };
}

async function openpgpVerify(pubArmored: string, sigBytes: Buffer, data: Buffer) {
  const verificationKeys = await openpgp.readKey({ armoredKey: pubArmored });
  const signature = sigBytes.subarray(0, 10).toString().startsWith('-----')
    ? await openpgp.readSignature({ armoredSignature: sigBytes.toString('utf8') })
    : await openpgp.readSignature({ binarySignature: sigBytes });
  const message = await openpgp.createMessage({ binary: data });
  const { signatures } = await openpgp.verify({ message, signature, verificationKeys, format: 'binary' });
  await signatures[0]!.verified; // throws on a bad signature
  return signatures[0]!.keyID.toHex().toUpperCase();
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-signer-'));
  gnupgHome = join(dir, 'gnupg');
  mkdirSync(gnupgHome, { mode: 0o700 });
  if (gpgAvailable) {
    for (const f of readdirSync(FIX).filter((f) => f.endsWith('.pub.asc'))) {
      execFileSync('gpg', ['--batch', '--quiet', '--homedir', gnupgHome, '--import', join(FIX, f)], {
        stdio: 'ignore',
      });
    }
  }
  writeFileSync(join(dir, 'empty.txt'), '');
  // Not a multiple of the read chunk: exercises the double buffer and the short last read.
  const big = Buffer.alloc(READ_CHUNK * 3 + 12345);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 11)) & 0xff;
  writeFileSync(join(dir, 'artifact.tar.gz'), big);
});

after(() => {
  spawnSync('gpgconf', ['--homedir', gnupgHome, '--kill', 'all']);
  rmSync(dir, { recursive: true, force: true });
});

describe('signatures every verifier accepts', {
  skip: !gpgAvailable || !sqAvailable ? 'gpg or sq missing' : false,
}, () => {
  const matrix: [string, string[]][] = [
    ['rsa2048', ['sha256', 'sha512']],
    ['rsa4096', ['sha256', 'sha512']],
    ['ed25519', ['sha256', 'sha512']],
    ['p256', ['sha256', 'sha512']],
    ['p384', ['sha384', 'sha512']],
    ['subkey-only', ['sha256', 'sha512']],
  ];
  for (const [name, hashes] of matrix) {
    for (const hash of hashes) {
      for (const armor of [true, false]) {
        it(`${name} × ${hash} × ${armor ? 'armored' : 'binary'}: gpg, sq, openpgp.js and verify.ts accept; tampering is caught`, async () => {
          const key = await load(name);
          const sub = join(dir, `${name}-${hash}-${armor}`);
          mkdirSync(sub);
          const file = join(sub, 'artifact.tar.gz');
          writeFileSync(file, readFileSync(join(dir, 'artifact.tar.gz')));
          const date = new Date(Math.floor(Date.now() / 1000) * 1000 - 5000);
          const [res] = await signFiles({
            key,
            files: [file],
            armor,
            hash: hash as 'sha256',
            notations: NOTATIONS,
            date,
          });
          key.destroy();
          assert.equal(res!.signature, file + (armor ? '.asc' : '.sig'));
          const sigBytes = readFileSync(res!.signature);
          if (armor)
            assert.match(
              sigBytes.toString(),
              /^-----BEGIN PGP SIGNATURE-----\n\n[\s\S]+\n=[A-Za-z0-9+/]{4}\n-----END PGP SIGNATURE-----\n$/,
            );
          else assert.equal(sigBytes[0], 0xc2);
          assert.equal(res!.sha256, createHash('sha256').update(readFileSync(file)).digest('hex'));

          // GnuPG
          const g = gpgVerify(res!.signature, file);
          assert.equal(g.status, 0, g.stderr);
          assert.match(g.status_lines, /\[GNUPG:\] GOODSIG /);
          const valid = /\[GNUPG:\] VALIDSIG (\S+) \S+ (\d+) \S+ (\d) \S+ (\d+) (\d+) (\S+)(?: (\S+))?/.exec(
            g.status_lines,
          );
          assert.ok(valid, g.status_lines);
          assert.equal(valid[1], key.fingerprint);
          assert.equal(Number(valid[2]), date.getTime() / 1000);
          assert.equal(valid[3], '4');
          assert.equal(valid[5], HASH_IDS[hash]);
          assert.equal(valid[6], '00');
          assert.equal(valid[7], key.primaryFingerprint);
          assert.deepEqual(gpgNotations(g.status_lines), NOTATIONS);

          // Sequoia
          const s = sqVerify(pubPath(name), res!.signature, file);
          assert.equal(s.status, 0, s.stderr);

          // openpgp.js (its own full, in-memory verification)
          assert.equal(
            await openpgpVerify(readFileSync(pubPath(name), 'utf8'), sigBytes, readFileSync(file)),
            key.keyId,
          );

          // verify.ts
          const v = await verifyFile({
            publicKey: readFileSync(pubPath(name), 'utf8'),
            file,
            signature: res!.signature,
          });
          assert.equal(v.valid, true, v.error);
          assert.equal(v.signerFingerprint, key.fingerprint);
          assert.deepEqual(v.notations, NOTATIONS);

          // Tampered: one byte changed in the middle.
          const data = readFileSync(file);
          data[data.length >> 1] = data[data.length >> 1]! ^ 1;
          writeFileSync(file, data);
          assert.notEqual(gpgVerify(res!.signature, file).status, 0);
          assert.notEqual(sqVerify(pubPath(name), res!.signature, file).status, 0);
          await assert.rejects(openpgpVerify(readFileSync(pubPath(name), 'utf8'), sigBytes, data));
          assert.equal(
            (await verifyFile({ publicKey: key.publicKeyArmored, file, signature: res!.signature })).valid,
            false,
          );
        });
      }
    }
  }

  for (const name of ['rsa2048-pw', 'rsa4096-pw', 'ed25519-pw', 'p256-pw', 'p384-pw']) {
    it(`${name}: passphrase-protected key signs with its default hash; gpg and sq accept`, async () => {
      const key = await load(name);
      const file = join(dir, `${name}.bin`);
      writeFileSync(file, `payload for ${name}\n`);
      const [res] = await signFiles({ key, files: [file], notations: NOTATIONS });
      const [sig] = parseSignatures(readFileSync(res!.signature));
      assert.equal(sig!.hashAlgorithm, Number(HASH_IDS[defaultHashFor(key)]));
      key.destroy();
      assert.equal(gpgVerify(res!.signature, file).status, 0);
      assert.equal(sqVerify(pubPath(name), res!.signature, file).status, 0);
    });
  }

  it('notations are shown by gpg --verify --list-options show-notations', async () => {
    const key = await load('ed25519');
    const file = join(dir, 'shown.txt');
    writeFileSync(file, 'x');
    const [res] = await signFiles({ key, files: [file], notations: NOTATIONS });
    const g = gpgVerify(res!.signature, file, [
      '--list-options',
      'show-notations',
      '--verify-options',
      'show-notations',
    ]);
    assert.equal(g.status, 0);
    assert.match(g.stderr, /Signature notation: repository@jit-gpg=octo-org\/octo-repo/);
    assert.match(g.stderr, /Signature notation: run-attempt@jit-gpg=1/);
    key.destroy();
  });

  it('an empty file signs and verifies', async () => {
    const key = await load('rsa2048');
    const [res] = await signFiles({ key, files: [join(dir, 'empty.txt')], armor: false });
    assert.equal(res!.sha256, createHash('sha256').digest('hex'));
    assert.equal(gpgVerify(res!.signature, join(dir, 'empty.txt')).status, 0);
    key.destroy();
  });
});

describe('signer behaviour', () => {
  let key: SigningKey;
  before(async () => {
    key = await load('ed25519');
  });
  after(() => key.destroy());

  it('hashFile: one pass gives the signature hash state and the file SHA-256, also for SHA-512', async () => {
    const file = join(dir, 'artifact.tar.gz');
    const data = readFileSync(file);
    for (const alg of ['sha256', 'sha512'] as const) {
      const r = await hashFile(file, alg);
      assert.equal(r.size, data.length);
      assert.equal(r.sha256, createHash('sha256').update(data).digest('hex'));
      assert.equal(r.hash.digest('hex'), createHash(alg).update(data).digest('hex'));
    }
  });

  it('signData over bytes equals signFile over the same bytes (same date)', async () => {
    await assert.rejects(
      signData(key, Buffer.from('x'), { date: new Date(1_700_000_000_000) }),
      /before the signing key/,
    );
    const date = new Date(Math.floor(Date.now() / 1000) * 1000);
    const data = Buffer.from('same bytes');
    const file = join(dir, 'same.txt');
    writeFileSync(file, data);
    const a = await signData(key, data, { date });
    const [b] = await signFiles({ key, files: [file], armor: false, date });
    assert.deepEqual(a.packet, readFileSync(b!.signature)); // Ed25519 is deterministic
  });

  it('the declared hash is the one used: key preferences never change it; P-384 needs ≥ SHA-384', async () => {
    const p384 = await load('p384');
    assert.equal(resolveHash(key, undefined), 'sha256');
    assert.equal(resolveHash(p384, undefined), 'sha384');
    assert.equal(resolveHash(key, 'sha512'), 'sha512');
    assert.throws(() => resolveHash(p384, 'sha256'), /at least 384 bits.*sha384 or sha512/);
    assert.throws(() => resolveHash(key, 'sha1'), /unsupported hash/);
    const file = join(dir, 'pref.txt');
    writeFileSync(file, 'x');
    for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
      const [r] = await signFiles({ key, files: [file], hash });
      assert.equal(parseSignatures(readFileSync(r!.signature))[0]!.hashAlgorithm, Number(HASH_IDS[hash]));
    }
    await assert.rejects(signFiles({ key: p384, files: [file], hash: 'sha256' }), /at least 384 bits/);
    p384.destroy();
  });

  it('writes 0644 signature files whatever the umask, and nothing else', async () => {
    const sub = join(dir, 'perm');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.bin'), 'a');
    writeFileSync(join(sub, 'b.bin'), 'b');
    const old = process.umask(0o077);
    try {
      const res = await signFiles({ key, files: [join(sub, 'a.bin'), join(sub, 'b.bin')] });
      for (const r of res) assert.equal(statSync(r.signature).mode & 0o777, 0o644);
    } finally {
      process.umask(old);
    }
    assert.deepEqual(readdirSync(sub).sort(), ['a.bin', 'a.bin.asc', 'b.bin', 'b.bin.asc']);
  });

  it('never writes key material: no file under the work directory contains a secret key line', async () => {
    const lines = sec('ed25519')
      .split('\n')
      .filter((l) => l.length > 20 && !l.startsWith('-----'));
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? (e.name === 'gnupg' ? [] : walk(join(d, e.name))) : [join(d, e.name)],
      );
    for (const f of walk(dir)) {
      const text = readFileSync(f, 'latin1');
      assert.ok(!text.includes('PRIVATE KEY'), f);
      for (const l of lines) assert.ok(!text.includes(l), f);
    }
  });

  it('self-check: a signature that does not verify is removed and reported', async () => {
    const file = join(dir, 'selfcheck.txt');
    writeFileSync(file, 'x');
    const broken: SigningKey = { ...key, signDigest: (d, h) => key.signDigest(Buffer.alloc(d.length, 1), h) };
    await assert.rejects(signFiles({ key: broken, files: [file] }), /self-check of the signature for .* failed/);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('selfcheck')),
      ['selfcheck.txt'],
    );
    // Without the self-check the bad signature is written (and gpg would reject it).
    const [r] = await signFiles({ key: broken, files: [file], selfCheck: false });
    assert.equal((await verifyFile({ publicKey: key.publicKeyArmored, file, signature: r!.signature })).valid, false);
  });

  it('refuses a destroyed key', async () => {
    const k = await load('p256');
    k.destroy();
    await assert.rejects(signData(k, Buffer.from('x')), /destroyed/);
  });
});
