// The CLI turns on V8's compile cache for its own thread (src/cli/compile-cache.ts); the scan workers get it through
// their environment (workerEnv in worker-thread.ts), so each loads its bundle from the cache instead of compiling it. Its own
// file: enabling the cache is for the whole process.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants, enableCompileCache } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { workerEnv } from '../../src/scan/worker-thread.ts';

describe('the scan workers and the compile cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jit-pool-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes nothing on while this thread has no cache, and never overrides NODE_COMPILE_CACHE', () => {
    assert.equal(workerEnv({ PATH: '/bin' }).NODE_COMPILE_CACHE, undefined);
    const cache = join(dir, 'cache');
    assert.equal(enableCompileCache(cache).status, constants.compileCacheStatus.ENABLED);
    assert.equal(workerEnv({ NODE_COMPILE_CACHE: '/elsewhere' }).NODE_COMPILE_CACHE, '/elsewhere');
  });

  it("gives a worker this thread's cache, where the worker's own compiled module lands", async () => {
    const cache = join(dir, 'cache');
    const env = workerEnv({ PATH: '/bin' });
    assert.equal(env.NODE_COMPILE_CACHE, cache);
    assert.equal(env.PATH, '/bin');
    const script = join(dir, 'worker.mjs');
    writeFileSync(script, 'export const answer = 42;\n');
    const before = new Set(readdirSync(cache, { recursive: true, encoding: 'utf8' }));
    await new Promise((resolve, reject) => new Worker(script, { env }).on('exit', resolve).on('error', reject));
    const added = readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((f) => !before.has(f));
    assert.ok(added.length > 0, 'the worker wrote no cache entry');
  });
});
