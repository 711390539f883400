import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileReadError, readRegularFile, readRegularTextFile } from '../../src/shared/read-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'read-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const limits = { maxBytes: 64, what: 'config file' };

function refused(path: string, pattern: RegExp, code: string) {
  assert.throws(
    () => readRegularFile(path, limits),
    (e: unknown) => e instanceof FileReadError && pattern.test(e.message) && e.code === code,
  );
}

describe('readRegularFile', () => {
  it('reads a regular file, up to exactly the cap', () => {
    const file = join(dir, 'ok.toml');
    writeFileSync(file, 'x'.repeat(64));
    assert.equal(readRegularFile(file, limits).length, 64);
  });

  it('follows a symlink to a regular file', () => {
    const file = join(dir, 'target.toml');
    writeFileSync(file, 'a = 1');
    symlinkSync(file, join(dir, 'link.toml'));
    assert.equal(readRegularTextFile(join(dir, 'link.toml'), limits), 'a = 1');
  });

  it('drops a UTF-8 BOM from text', () => {
    const file = join(dir, 'bom.toml');
    writeFileSync(file, '\ufeffa = 1');
    assert.equal(readRegularTextFile(file, limits), 'a = 1');
  });

  it('refuses a file over the cap, naming it and the limit', () => {
    const file = join(dir, 'big.toml');
    writeFileSync(file, 'x'.repeat(65));
    refused(file, /^config file .*big\.toml is larger than the 64 bytes limit$/, 'EFBIG');
  });

  it('refuses a symlink to /dev/zero without reading it', () => {
    const link = join(dir, 'zero.toml');
    symlinkSync('/dev/zero', link);
    refused(link, /zero\.toml is a character device, not a regular file/, 'ENOTREG');
  });

  it('refuses a FIFO with no writer at once (no hang)', () => {
    const fifo = join(dir, 'fifo.toml');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    refused(fifo, /fifo\.toml is a FIFO \(named pipe\), not a regular file/, 'ENOTREG');
    assert.ok(Date.now() - started < 1000);
  });

  it('refuses a directory with a clear message (not a bare EISDIR)', () => {
    mkdirSync(join(dir, 'adir'));
    refused(join(dir, 'adir'), /adir is a directory, not a regular file/, 'ENOTREG');
  });

  it('says when a file is missing', () => {
    refused(join(dir, 'none.toml'), /none\.toml: not found$/, 'ENOENT');
  });

  it('says when a file cannot be read', { skip: process.getuid?.() === 0 && 'root reads anything' }, () => {
    const file = join(dir, 'locked.toml');
    writeFileSync(file, 'a');
    chmodSync(file, 0o000);
    refused(file, /locked\.toml: permission denied$/, 'EACCES');
  });

  it('names a hostile file name escaped, on one line', () => {
    const file = join(dir, 'x\n::error::y.toml');
    refused(file, /x\\n::error::y\.toml: not found$/, 'ENOENT');
  });
});
