import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { scan } from '../../src/scan/index.ts';
import { defaultPolicy, type ScanPolicy } from '../../src/scan/policy.ts';
import { readStdinItem, stdinChunks } from '../../src/scan/sources/stdin.ts';
import type { Rule } from '../../src/scan/types.ts';

const tok = () => `${'ghp'}_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5`;
const rules: Rule[] = [
  {
    id: 'test-gh',
    title: 'GitHub-like token',
    severity: 'high',
    keywords: ['ghp_'],
    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b',
    help: '',
    examples: { tp: [], fp: [] },
  },
];
const policy = (): ScanPolicy => ({ ...defaultPolicy(), rules, maxFileSize: 10 });

describe('stdin source', () => {
  it('scans piped input as `-`, in pieces, regardless of maxFileSize', async () => {
    const text = `${'log line\n'.repeat(200_000)}token ${tok()}\n`;
    const pieces = [];
    for (let i = 0; i < text.length; i += 65_536) pieces.push(Buffer.from(text.slice(i, i + 65_536)));
    const r = await scan({ root: '.', stdin: Readable.from(pieces), policy: policy() });
    assert.deepEqual(
      r.findings.map((f) => [f.file, f.line, f.column]),
      [['-', 200_001, 7]],
    );
    assert.equal(r.stats.files, 1);
    assert.equal(r.stats.bytes, Buffer.byteLength(text));
  });

  it('stops at the bound with a warning', async () => {
    const warnings: string[] = [];
    const chunks: Buffer[] = [];
    const src = Readable.from([Buffer.alloc(100, 0x61), Buffer.alloc(100, 0x62), Buffer.alloc(100, 0x63)]);
    for await (const c of stdinChunks(src, { limit: 150, onWarning: (m) => warnings.push(m) })) chunks.push(c);
    assert.equal(Buffer.concat(chunks).length, 150);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^-: input is larger than/);
  });

  it('reads strings and buffers into one bytes item', async () => {
    const item = await readStdinItem(Readable.from(['a', 'b', Buffer.from('c')]));
    assert.equal(item.path, '-');
    assert.equal(item.source.kind, 'bytes');
    assert.equal(item.source.kind === 'bytes' && item.source.data.toString(), 'abc');
  });
});
