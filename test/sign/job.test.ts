// runSignJob as a plain function: the order of its phases and hooks, what it does with each kind of provider, and
// that its cleanup runs once. Providers here are in-memory fakes of the seam in providers/types.ts.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runSignJob, type SignJobHooks, type SignJobOptions } from '../../src/sign/job.ts';
import type {
  KeyMaterial,
  KeyStoreProvider,
  RemoteSignerProvider,
  RemoteSigningSession,
} from '../../src/sign/providers/types.ts';

const keys = join(import.meta.dirname, '..', 'fixtures', 'keys');
const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-job-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function keyStore(
  events: string[],
  armoredKey = readFileSync(join(keys, 'ed25519.sec.asc'), 'utf8'),
  // a session that never reports itself released: only the job's own once-only cleanup keeps release to one call
  sticky = false,
) {
  let released = false;
  const material: KeyMaterial = {
    armoredKey,
    source: 'fake store',
    metadata: {},
    released: () => released && !sticky,
    release: async () => {
      events.push('release');
      released = true;
    },
  };
  const provider: KeyStoreProvider = {
    kind: 'key-store',
    name: 'fake',
    label: 'Fake store',
    fetchKey: async (token) => {
      events.push(`fetch ${token}`);
      return material;
    },
  };
  return { provider, material };
}

function options(files: string[], provider: KeyStoreProvider | RemoteSignerProvider, events: string[]): SignJobOptions {
  return {
    workspace: dir,
    files,
    key: {
      kind: 'provider',
      provider,
      idToken: async () => {
        events.push('token');
        return { token: 'jwt', claims: { repository: 'octo-org/octo-repo' } };
      },
    },
    armor: true,
    notations: {},
    ttl: 60,
  };
}

describe('runSignJob', () => {
  it('runs the phases in order: scan hook, token, key, merge hook, sign, verify; audit filled; key material dropped', async () => {
    const events: string[] = [];
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'a\n');
    const { provider, material } = keyStore(events);
    const hooks: SignJobHooks = {
      log: () => {},
      beforeToken: async (files) => {
        events.push(`scan ${files.length}`);
      },
      mergeChecksums: async (entries) => {
        events.push('merge');
        return [...entries, { path: join(dir, 'other.bin'), sha256: 'ab'.repeat(32) }];
      },
    };
    const r = await runSignJob({ ...options([file], provider, events), checksumsPath: join(dir, 'SHA256SUMS') }, hooks);
    assert.equal(r.error, undefined, String(r.error));
    assert.deepEqual(events, ['scan 1', 'token', 'fetch jwt', 'merge', 'release']);
    assert.equal(r.audit.outcome, 'signed');
    assert.equal(r.audit.claims.repository, 'octo-org/octo-repo');
    assert.equal(r.audit.key?.source, 'fake store');
    assert.ok(r.verification.every((v) => v.valid) && r.verification.length === 2);
    assert.match(readFileSync(join(dir, 'SHA256SUMS'), 'utf8'), /other\.bin/);
    assert.equal(material.armoredKey, '', "the provider's copy of the key is dropped");
  });

  it('a failing scan hook stops the job before any token is requested', async () => {
    const events: string[] = [];
    const { provider } = keyStore(events);
    const r = await runSignJob(options([], provider, events), {
      log: () => {},
      beforeToken: async () => {
        throw new Error('a secret in the artifact');
      },
    });
    assert.match(String(r.error), /a secret in the artifact/);
    assert.deepEqual(events, []);
    assert.equal(r.audit.outcome, 'failed');
  });

  it('a remote signer without the binding hook fails clearly and its session is released', async () => {
    const events: string[] = [];
    const { publicKey } = generateKeyPairSync('ed25519');
    let released = false;
    const session: RemoteSigningSession = {
      publicKey,
      source: 'fake kms',
      metadata: {},
      released: () => released,
      release: async () => {
        events.push('release');
        released = true;
      },
      sign: async () => {
        events.push('sign');
        return new Uint8Array(64);
      },
    };
    const provider: RemoteSignerProvider = {
      kind: 'remote-signer',
      name: 'fake-kms',
      label: 'Fake KMS',
      connect: async () => {
        events.push('connect');
        return session;
      },
    };
    const r = await runSignJob({ ...options([], provider, events), publicKey: 'armored' }, { log: () => {} });
    assert.match(String(r.error), /remote signers are not supported by this build/);
    assert.deepEqual(events, ['token', 'connect', 'release']);
  });

  it('the registered cleanup runs once when a signal handler and the job both ask for it', async () => {
    const events: string[] = [];
    const { provider } = keyStore(events, 'not a key', true);
    let cleanup: (() => Promise<void>) | undefined;
    const r = await runSignJob(options([], provider, events), {
      log: () => {},
      registerCleanup: (c) => {
        cleanup = c;
      },
    });
    assert.ok(r.error, 'the key does not parse');
    await Promise.all([cleanup!(), cleanup!()]);
    assert.deepEqual(
      events.filter((e) => e === 'release'),
      ['release'],
    );
  });

  it('a file whose directory resolves outside confineTo gets no signature', async () => {
    const events: string[] = [];
    const inner = mkdtempSync(join(dir, 'ws-'));
    const file = join(dir, 'outside.txt');
    writeFileSync(file, 'x');
    const { provider } = keyStore(events);
    const r = await runSignJob({ ...options([file], provider, events), confineTo: inner }, { log: () => {} });
    assert.match(String(r.error), /refusing to write the signature of .* outside the workspace/);
    assert.ok(!readdirSync(dir).includes('outside.txt.asc'));
  });
});
