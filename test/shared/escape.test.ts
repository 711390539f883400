import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  commandData,
  commandProperty,
  displayPath,
  excerpt,
  jsonSafe,
  printable,
  stopToken,
  verbatimBlock,
} from '../../src/shared/escape.ts';

// What the runner would parse on one printed line: a command after leading whitespace, or the legacy form anywhere.
function runnerWouldParse(line: string): boolean {
  return /^\s*::/.test(line) || line.includes('##[');
}

// The inverse of displayPath, here only to prove it is lossless.
function undisplay(text: string): Buffer {
  const named: Record<string, number> = { '\\': 0x5c, n: 0x0a, r: 0x0d, t: 0x09 };
  const bytes: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '\\') {
      const ch = String.fromCodePoint(text.codePointAt(i) as number);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
      continue;
    }
    const kind = text[i + 1] as string;
    if (kind in named) {
      bytes.push(named[kind] as number);
      i += 2;
    } else if (kind === 'x') {
      bytes.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (kind === 'u') {
      bytes.push(...Buffer.from(String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16)), 'utf8'));
      i += 6;
    } else throw new Error(`bad escape at ${i}`);
  }
  return Buffer.from(bytes);
}

describe('commandData / commandProperty', () => {
  it('escapes exactly as the runner unescapes data', () => {
    assert.equal(commandData('50%\r\n::error::x'), '50%25%0D%0A::error::x');
    assert.equal(commandData('%0A'), '%250A');
  });

  it('escapes property separators too', () => {
    assert.equal(commandProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
  });

  it('matches @actions/core 3 escaping byte for byte (so the two are never stacked)', async () => {
    const lines: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      const core = await import('@actions/core');
      core.warning('m%\r\n::x', { file: 'f:1,2%\n', title: 't' });
    } finally {
      process.stdout.write = write;
    }
    assert.equal(
      lines.join(''),
      `::warning title=t,file=${commandProperty('f:1,2%\n')}::${commandData('m%\r\n::x')}\n`,
    );
  });
});

describe('printable', () => {
  it('shows control characters as escapes and stays on one line', () => {
    assert.equal(printable('a\nb\rc\td\u0000e\u001bf\u007f'), 'a\\nb\\rc\\td\\x00e\\x1bf\\x7f');
  });

  it('escapes C1 controls, bidi overrides and isolates, separators, zero-width marks and lone surrogates', () => {
    assert.equal(printable('\u0085\u009b'), '\\u0085\\u009b');
    assert.equal(printable('x\u202ey\u2066z\u2069'), 'x\\u202ey\\u2066z\\u2069');
    assert.equal(printable('\u2028\u2029\u200b\ufeff'), '\\u2028\\u2029\\u200b\\ufeff');
    assert.equal(printable('a\ud800b\udc00'), 'a\\ud800b\\udc00');
    assert.equal(printable('ok \u{1f511} é'), 'ok \u{1f511} é', 'valid surrogate pairs and letters are kept');
  });

  it('neutralises a command at the start of the line, after any whitespace', () => {
    for (const hostile of ['::error::x', '  ::error::x', '\t::add-mask::x', '\u00a0\u3000::warning::x', ':x']) {
      const out = printable(hostile);
      assert.ok(!runnerWouldParse(out), `${JSON.stringify(hostile)} -> ${out}`);
      assert.ok(!runnerWouldParse(`:${out}`), 'no `::` even when a caller prefixes a colon');
    }
    assert.equal(printable('::error::x'), '\\x3a:error::x');
    assert.equal(printable('a ::b'), 'a ::b', 'mid-line `::` is not a command');
  });

  it('neutralises a newline followed by a command (the line split happens first)', () => {
    const out = printable('file\n::stop-commands::x');
    assert.ok(!out.includes('\n'));
    assert.ok(!runnerWouldParse(out));
  });

  it('neutralises the legacy ##[ form anywhere', () => {
    for (const hostile of ['x ##[error]y', '###[set-env name=A]b', '##[##[']) {
      assert.ok(!printable(hostile).includes('##['), hostile);
    }
  });

  it('is idempotent, so a line of printable parts may be passed again', () => {
    for (const s of ['::x', '##[', 'a\nb', '\u202e', 'a\\b', '\ud800']) {
      assert.equal(printable(printable(s)), printable(s));
    }
  });
});

describe('displayPath', () => {
  it('shows valid UTF-8 as text and other bytes as \\xNN', () => {
    assert.equal(displayPath(Buffer.from([0x61, 0xff, 0x62, 0xc3, 0xa9])), 'a\\xffbé');
    assert.equal(displayPath(Buffer.from([0xed, 0xa0, 0x80])), '\\xed\\xa0\\x80', 'encoded surrogates are not UTF-8');
    assert.equal(displayPath(Buffer.from([0xc0, 0xaf])), '\\xc0\\xaf', 'overlongs are not UTF-8');
  });

  it('is lossless: distinct names never display the same, and the display decodes back to the bytes', () => {
    const names = [
      Buffer.from('a\\x00'),
      Buffer.from([0x61, 0x00]),
      Buffer.from('\\'),
      Buffer.from('\u0085'),
      Buffer.from([0x85]),
      Buffer.from('\\x85'),
      Buffer.from('::error::x\n%0A'),
      Buffer.from('dir/##[x]\u202e.txt'),
      Buffer.from([0xf0, 0x9f, 0x94, 0x91, 0xf4, 0x90, 0x80, 0x80]),
    ];
    const shown = names.map((n) => displayPath(n));
    assert.equal(new Set(shown).size, names.length);
    for (const [i, n] of names.entries()) assert.deepEqual(undisplay(shown[i] as string), n, shown[i]);
  });

  it('gives strings the same display as their UTF-8 bytes', () => {
    for (const s of ['a\\b', 'x\ny', '::e', 'é\u202e']) assert.equal(displayPath(s), displayPath(Buffer.from(s)));
  });

  it('never lets a name start a command', () => {
    for (const s of ['::error::x', ' ::x', '##[x]', 'a\n::x']) assert.ok(!runnerWouldParse(displayPath(s)), s);
  });
});

describe('verbatimBlock', () => {
  it('wraps text in a stop-commands pair with an unguessable token', () => {
    const block = verbatimBlock('line\n::error::x\n');
    const m = /^::stop-commands::(\S+)\nline\n::error::x\n::(\S+)::\n$/.exec(block);
    assert.ok(m, block);
    assert.equal(m[1], m[2]);
    assert.notEqual(stopToken(), stopToken());
  });

  it('never uses a token the text contains', () => {
    const token = 'aaaaaaaaaaaaaaaaaaaa';
    const block = verbatimBlock(`::${token}::\n`, token);
    assert.ok(!block.startsWith(`::stop-commands::${token}\n`));
  });

  it('refuses a token that could be guessed or break the line', () => {
    assert.throws(() => verbatimBlock('x', 'short'));
    assert.throws(() => verbatimBlock('x', 'aaaaaaaaaaaaaaaa\n::x'));
  });
});

describe('jsonSafe', () => {
  it('keeps the value but writes ##[ and invisible code points as JSON escapes', () => {
    const value = { file: '##[error]x\u202e\u2028\u007f', list: ['::warning::y'] };
    const text = jsonSafe(JSON.stringify(value, null, 2));
    assert.deepEqual(JSON.parse(text), value);
    assert.ok(!text.includes('##['));
    assert.ok(!/[\u007f\u202e\u2028]/.test(text));
    for (const line of text.split('\n')) assert.ok(!runnerWouldParse(line), line);
  });
});

describe('excerpt', () => {
  it('shows at most four characters of a value and its length', () => {
    assert.equal(excerpt('ghp_0123456789abcdef'), '"ghp_…" (20 characters)');
    assert.equal(excerpt('abc'), '"abc"');
    assert.equal(
      excerpt('\u{1f511}\u{1f511}\u{1f511}\u{1f511}\u{1f511}'),
      '"\u{1f511}\u{1f511}\u{1f511}\u{1f511}…" (5 characters)',
    );
    assert.equal(excerpt('::e\nx'), '"\\x3a:e\\n…" (5 characters)');
  });
});
