import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashFileInto, READ_CHUNK } from '../../src/sign/stream.ts';

const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('hashFileInto', () => {
  it('feeds every hash the whole file once, across buffer boundaries, and returns the size', async () => {
    for (const size of [0, 1, READ_CHUNK - 1, READ_CHUNK, READ_CHUNK * 2 + 7]) {
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 10)) & 0xff;
      const file = join(dir, `f${size}`);
      writeFileSync(file, data);
      const a = createHash('sha256');
      const b = createHash('sha512');
      assert.equal(await hashFileInto(file, [a, b]), size);
      assert.equal(a.digest('hex'), createHash('sha256').update(data).digest('hex'), String(size));
      assert.equal(b.digest('hex'), createHash('sha512').update(data).digest('hex'), String(size));
    }
  });

  it('lets the event loop run while it hashes a large file (remote signers wait on sockets meanwhile)', async () => {
    const file = join(dir, 'large');
    writeFileSync(file, Buffer.alloc(READ_CHUNK * 40, 7));
    let ticks = 0;
    let on = true;
    const tick = () => {
      ticks++;
      if (on) setImmediate(tick);
    };
    setImmediate(tick);
    await hashFileInto(file, [createHash('sha256')]);
    on = false;
    assert.ok(ticks >= 2, `the loop turned ${ticks} times during 40 MiB`);
  });

  it('rejects for a missing file', async () => {
    await assert.rejects(hashFileInto(join(dir, 'missing'), [createHash('sha256')]), { code: 'ENOENT' });
  });
});
