// The CLI writes to its descriptors directly (DescriptorWriter): in order, whole, and without crashing when the
// descriptor is non-blocking and full (EAGAIN) or its reader went away (EPIPE).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DescriptorWriter } from '../../src/cli/io.ts';

describe('DescriptorWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jit-io-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A FIFO with both ends open non-blocking: writes fail with EAGAIN once its buffer is full. */
  function fifo(name: string): { read: number; write: number } {
    const path = join(dir, name);
    execFileSync('mkfifo', [path]);
    const read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const write = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    return { read, write };
  }

  function drain(fd: number): Buffer {
    const parts: Buffer[] = [];
    const buf = Buffer.alloc(65536);
    for (;;) {
      let n = 0;
      try {
        n = readSync(fd, buf);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw e;
      }
      if (n === 0) break;
      parts.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(parts);
  }

  it('hands the rest to the stream, in order, when the descriptor would block', () => {
    const p = fifo('full');
    const spilled: Buffer[] = [];
    const w = new DescriptorWriter(p.write, () => ({ write: (c) => spilled.push(Buffer.from(c)) }));
    w.write('head\n');
    assert.equal(w.settled, true);
    const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => 97 + (i % 26)));
    w.write(big);
    w.write('tail\n');
    const direct = drain(p.read);
    closeSync(p.read);
    closeSync(p.write);
    assert.ok(direct.length > 0 && direct.length < big.length, 'part went to the descriptor, part to the stream');
    assert.equal(w.settled, false, 'the stream still holds output: the CLI must not exit before it is written');
    assert.ok(
      Buffer.concat([direct, ...spilled]).equals(Buffer.concat([Buffer.from('head\n'), big, Buffer.from('tail\n')])),
    );
  });

  it('stops writing, without throwing, once the reader is gone', () => {
    const p = fifo('gone');
    const w = new DescriptorWriter(p.write, () => assert.fail('no fallback on EPIPE'));
    closeSync(p.read);
    assert.equal(w.write('lost\n'), false);
    assert.equal(w.write('also lost\n'), false);
    closeSync(p.write);
  });

  it('tells a terminal from /dev/null, a file and a pipe', () => {
    const isTTY = (fd: number) => new DescriptorWriter(fd, () => assert.fail('no fallback')).isTTY;
    const devNull = openSync('/dev/null', 'w');
    const file = openSync(join(dir, 'out.txt'), 'w');
    const p = fifo('tty-check');
    assert.deepEqual([isTTY(devNull), isTTY(file), isTTY(p.write)], [false, false, false]);
    for (const fd of [devNull, file, p.read, p.write]) closeSync(fd);
    // A pseudo-terminal: `script` runs the check with its standard output on one.
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `import { DescriptorWriter } from ${JSON.stringify(new URL('../../src/cli/io.ts', import.meta.url).href)};\n` +
        "process.stdout.write('isTTY=' + new DescriptorWriter(1, () => process.stdout).isTTY);\n",
    );
    const out = execFileSync('script', ['-qec', `'${process.execPath}' '${probe}'`, '/dev/null'], { encoding: 'utf8' });
    assert.match(out, /isTTY=true/);
  });
});
