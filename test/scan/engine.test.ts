import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emptyEngineStats, ScanEngine } from '../../src/scan/engine.ts';
import { fingerprint } from '../../src/scan/fingerprint.ts';
import { scan, scanBuffer } from '../../src/scan/index.ts';
import { defaultPolicy, type ScanPolicy } from '../../src/scan/policy.ts';
import { loadNativeRE2, nativeEngine } from '../../src/scan/regex/native.ts';
import { portableEngine } from '../../src/scan/regex/portable.ts';
import type { RegexEngine } from '../../src/scan/regex/types.ts';
import type { ScanItem } from '../../src/scan/sources/types.ts';
import type { Rule } from '../../src/scan/types.ts';

// Fixtures are assembled at run time so no file in the repository holds a token-shaped string.
const ALNUM = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5cD7eF9gH1';
const tok = (n = 0) => `${'ghp'}_${ALNUM.slice(n, n + 36)}`;

const ex = { tp: [], fp: [] };
const rules: Rule[] = [
  {
    id: 'test-gh',
    title: 'GitHub-like token',
    severity: 'high',
    keywords: ['ghp_'],
    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b',
    help: '',
    examples: ex,
  },
  {
    id: 'test-pem',
    title: 'Private key',
    severity: 'critical',
    keywords: ['-----begin'],
    pattern: '(-----BEGIN [A-Z ]*PRIVATE KEY-----[A-Za-z0-9+/=\\s]{8,}?-----END [A-Z ]*PRIVATE KEY-----)',
    window: 4096,
    help: '',
    examples: ex,
  },
  {
    id: 'test-generic',
    title: 'Generic password',
    severity: 'medium',
    keywords: ['password'],
    pattern: '(?i)password\\s*[:=]\\s*["\']?([^\\s"\']{8,})',
    entropy: 2.5,
    help: '',
    examples: ex,
  },
  {
    id: 'test-checked',
    title: 'Checked token',
    severity: 'high',
    keywords: ['chk_'],
    pattern: '\\b(chk_[a-z0-9]{12})\\b',
    validate: (s) => (s.endsWith('0') ? 'valid' : s.endsWith('9') ? 'invalid' : 'unknown'),
    help: '',
    examples: ex,
  },
  {
    id: 'test-required',
    title: 'Required validation',
    severity: 'high',
    keywords: ['req_'],
    pattern: '\\b(req_[a-z0-9]{12})\\b',
    validate: (s) => (s.endsWith('0') ? 'valid' : 'unknown'),
    requireValid: true,
    help: '',
    examples: ex,
  },
];

const policy = (over: Partial<ScanPolicy> = {}): ScanPolicy => ({ ...defaultPolicy(), rules, ...over });
const ids = (fs: { ruleId: string }[]) => fs.map((f) => f.ruleId);

const native = loadNativeRE2();
const regexEngines: RegexEngine[] = [portableEngine()];
if ('ctor' in native) regexEngines.push(nativeEngine(native.ctor));

const tmp = mkdtempSync(join(tmpdir(), 'jit-gpg-engine-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

for (const regex of regexEngines) {
  describe(`engine over ${regex.name}`, () => {
    const engine = (over: Partial<ScanPolicy> = {}, opts = {}) => new ScanEngine(policy(over), { regex, ...opts });
    const run = (text: string | Buffer, over: Partial<ScanPolicy> = {}, opts = {}) =>
      engine(over, opts).scanBytes(Buffer.isBuffer(text) ? text : Buffer.from(text), { path: 'f.txt' });

    it('finds a token with its line, code-point column and exclusive end column, fingerprint and preview', () => {
      const fs = run(`first line\nconst é = "${tok()}";\n`);
      assert.equal(fs.length, 1);
      const f = fs[0]!;
      assert.equal(f.ruleId, 'test-gh');
      assert.equal(f.line, 2);
      assert.equal(f.column, 12);
      assert.equal(f.endLine, 2);
      assert.equal(f.endColumn, 12 + 40);
      assert.equal(f.fingerprint, fingerprint('test-gh', tok()));
      assert.equal(f.preview, 'ghp_****');
      assert.equal(JSON.stringify(f).includes(tok()), false, 'the secret never leaves the engine');
    });

    it('matches keywords case-insensitively but patterns as written', () => {
      assert.deepEqual(ids(run(`PASSWORD = "Zq8#kLm2!pR"`)), ['test-generic']);
      assert.deepEqual(ids(run(`GHP_${ALNUM.slice(0, 36)}`)), []);
    });

    it('scans a multi-line PEM block within the rule window', () => {
      const body = Array.from({ length: 20 }, (_, i) => ALNUM.slice(i % 8, (i % 8) + 32)).join('\n');
      const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
      const fs = run(`# key\n${pem}\n`);
      assert.deepEqual(ids(fs), ['test-pem']);
      assert.equal(fs[0]!.line, 2);
      assert.equal(fs[0]!.endLine, 23);
    });

    it('scans a long line with many hits once per rule and finds each token', () => {
      const parts = Array.from({ length: 50 }, (_, i) => `x=${tok(i % 9)};`).join(' ');
      const fs = run(`${'a'.repeat(20000)} ${parts}`);
      assert.equal(fs.length, 50); // every place: scan() groups them into one finding per secret
      assert.equal(new Set(fs.map((f) => f.fingerprint)).size, 9);
    });

    it('finds a secret straddling a chunk edge exactly once, with its line', () => {
      const e = engine({}, { chunkSize: 4096, overlap: 512 });
      for (const pad of [4096 - 20, 4096 - 512 - 10, 4096 - 512 + 3, 4096, 8192 - 530]) {
        const filler = `${'z'.repeat(99)}\n`.repeat(Math.ceil(pad / 100)).slice(0, pad);
        const lines = filler.split('\n').length;
        const data = Buffer.from(`${filler} ${tok()}\ntail\n${'q'.repeat(9000)}\n`);
        const fs = e.scanBytes(data, { path: 'big' });
        assert.equal(fs.length, 1, `pad ${pad}`);
        assert.equal(fs[0]!.line, lines, `pad ${pad}`);
        const file = join(tmp, `chunk-${pad}.txt`);
        writeFileSync(file, data);
        const ff = e.scanFile(file, { path: 'big' });
        assert.deepEqual(ff, fs, `file read of pad ${pad}`);
        const stream = e.openStream({ path: 'big' });
        for (let i = 0; i < data.length; i += 777) stream.write(data.subarray(i, i + 777));
        assert.deepEqual(stream.end(), fs, `stream of pad ${pad}`);
      }
    });

    it('reads a UTF-16 file (LE and BE, within one window and past it) as its UTF-8 text, at the same places', () => {
      const e = engine({}, { chunkSize: 4096, overlap: 512 });
      for (const size of ['small', 'past one window'] as const) {
        const text = `${size === 'small' ? '' : `${'é'.repeat(99)}\n`.repeat(60)}key: ☃ ${tok()}\ntail\n`;
        const expected = e.scanBytes(Buffer.from(text), { path: 'u16' });
        assert.equal(expected.length, 1);
        const le = Buffer.from(text, 'utf16le');
        const be = Buffer.from(le);
        be.swap16();
        for (const [order, data] of [
          ['LE', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
          ['BE', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
        ] as const) {
          if (size !== 'small') assert.ok(data.length > 4096 + 512, 'the file spans more than one window');
          const file = join(tmp, `utf16-${order}-${size.length}.txt`);
          writeFileSync(file, data);
          const stats = emptyEngineStats();
          assert.deepEqual(e.scanFile(file, { path: 'u16' }, stats), expected, `${order}, ${size}`);
          assert.equal(stats.skippedBinary, 0, `${order}, ${size}: not taken for binary`);
        }
      }
    });

    it('keeps columns right on a line that spans chunks', () => {
      const e = engine({}, { chunkSize: 4096, overlap: 512 });
      const data = Buffer.from(`x\n${'é'.repeat(5000)} ${tok()}\n`);
      const f = e.scanBytes(data, { path: 'p' });
      assert.equal(f.length, 1);
      assert.equal(f[0]!.line, 2);
      assert.equal(f[0]!.column, 5002);
    });

    it('maps lines through lineMap', () => {
      const fs = engine().scanBytes(Buffer.from(`added\n${tok()}\n`), {
        path: 'p',
        lineMap: Uint32Array.from([10, 42]),
        commit: 'abc',
      });
      assert.equal(fs[0]!.line, 42);
      assert.equal(fs[0]!.endLine, 42);
      assert.equal(fs[0]!.commit, 'abc');
    });

    it('skips binary input (NUL in the first 8 KiB) and counts it', () => {
      const stats = {
        files: 0,
        bytes: 0,
        skippedBinary: 0,
        unreadable: 0,
        failed: 0,
        skippedLarge: 0,
        skippedArchive: 0,
        skippedSymlinks: 0,
      };
      const fs = engine().scanBytes(Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(tok())]), { path: 'b' }, stats);
      assert.deepEqual(fs, []);
      assert.equal(stats.skippedBinary, 1);
      assert.equal(stats.files, 0);
    });

    it('honours inline allow comments', () => {
      for (const c of ['// jit-gpg:allow', '# gitleaks:allow', '# pragma: allowlist secret']) {
        assert.deepEqual(run(`t = "${tok()}" ${c}\n`), [], c);
      }
      assert.equal(run(`t = "${tok()}"\n// jit-gpg:allow\n`).length, 1, 'only on the same line');
    });

    it('locates several findings on one line (validated, rejected, inline-allowed) at their own columns', () => {
      // Survivors that share a line share its end, its inline allow and the columns counted along it.
      const secrets = [tok(1), 'chk_q7w3k9z2m4x9', tok(2), 'chk_q7w3k9z2m4x0', tok(3)];
      const line = `é ${secrets[0]} ; ☃☃ ${secrets[1]} ; ü ${secrets[2]} ; ${secrets[3]} ñ ; ${secrets[4]}`;
      const place = (text: string, secret: string) => {
        const column = [...text.slice(0, text.indexOf(secret))].length + 1;
        return [column, column + secret.length];
      };
      const kept = [0, 2, 3, 4].map((i) => [i === 3 ? 'test-checked' : 'test-gh', 2, ...place(line, secrets[i]!)]);
      const fs = run(`head\n${line}\n${'é'.repeat(40)} ${tok(4)}\n`);
      assert.deepEqual(
        fs.map((f) => [f.ruleId, f.line, f.column, f.endColumn]),
        [...kept, ['test-gh', 3, 42, 82]],
        'the rejected chk_ token between them moves no column',
      );
      // A marker at the end of the line covers every finding on it, and only those.
      const text = `${line} // jit-gpg:allow\n${tok(4)}\n`;
      const allowed = run(text, {}, { reportInlineAllowed: true });
      assert.deepEqual(
        allowed.map((f) => [f.line, f.column, f.inlineAllowed === true]),
        [...kept.map((k) => [1, k[2], true]), [2, 1, false]],
      );
      assert.deepEqual(
        run(text).map((f) => f.line),
        [2],
      );
    });

    it('drops placeholders, references, repeated characters and integrity hashes', () => {
      for (const v of [
        'xxxxxxxxxxxx',
        '<your-password>',
        `\${DB_PASSWORD}`,
        '{{password}}',
        '%(password)s',
        'changeme123',
        'example-pass',
        'your_password',
        'dummy-password',
        'REDACTED-pass',
        '********',
        'process.env.DB_PASSWORD',
        'os.environ["PW"]',
        `\${{secrets.PASSWORD}}`,
        'aaaaaaaaaaaa',
        'abababababab',
        'getPassword()',
        'sha512-Q2xhc3NpY0tleUJhc2U2NA==',
      ]) {
        assert.deepEqual(run(`password = ${v}\n`), [], v);
      }
      assert.equal(run(`password = Zq8kLm2pRt5w\n`).length, 1);
    });

    it('applies the entropy floor', () => {
      assert.deepEqual(run('password = aabbaabbab\n'), []);
    });

    it('applies stopwords and allow regexes to the secret', () => {
      assert.deepEqual(run('password = Zq8kLm2pRt5w\n', { stopwords: ['LM2P'] }), []);
      assert.deepEqual(run('password = Zq8kLm2pRt5w\n', { allowRegexes: ['^Zq8'] }), []);
      assert.equal(run('password = Zq8kLm2pRt5w\n', { allowRegexes: ['^nope'], stopwords: ['nope'] }).length, 1);
    });

    it('applies validators: valid raises, invalid drops, requireValid drops unknown', () => {
      const fs = run('a chk_qzkwpmvrtnj0 b chk_qzkwpmvrtnj9 c chk_qzkwpmvrtnj1\nreq_qzkwpmvrtnj0 req_qzkwpmvrtnj1\n');
      assert.deepEqual(
        fs.map((f) => [f.ruleId, f.validated]),
        [
          ['test-checked', true],
          ['test-checked', false],
          ['test-required', true],
        ],
      );
    });

    it('finds the same with the RE2.Set prefilter (native) as with keywords', (t) => {
      if (regex.name !== 're2') return t.skip('RE2.Set prefilter is native only');
      const text = `password = Zq8kLm2pRt5w\n${tok()}\nchk_qzkwpmvrtnj0\n-----BEGIN PRIVATE KEY-----\nMIIqzkwpmvr\n-----END PRIVATE KEY-----\n`;
      const a = engine({}, { prefilter: 'set' });
      assert.equal(a.name, 're2+set');
      assert.deepEqual(a.scanBytes(Buffer.from(text), { path: 'f.txt' }), run(text));
      assert.equal(run(text).length, 4);
    });
  });
}

describe('scanBuffer and scan()', () => {
  it('gives one finding per (rule, secret) with its other places, ordered by path, line, column, rule', () => {
    const text = `${tok(1)} ${tok()} ${tok(1)}\npassword = Zq8kLm2pRt5w ${tok()}\n`;
    const fs = scanBuffer(Buffer.from(text), 'p', policy());
    assert.deepEqual(
      fs.map((f) => [f.line, f.column, f.ruleId, (f.locations ?? []).map((l) => `${l.line}:${l.column}`)]),
      [
        [1, 1, 'test-gh', ['1:83']],
        [1, 42, 'test-gh', ['2:25']],
        [2, 12, 'test-generic', []],
      ],
    );
  });

  it('gives the same result with 1 and 2 threads, and with the portable engine', async () => {
    const items: ScanItem[] = [];
    for (let i = 0; i < 120; i++) {
      const text =
        `n${i}\n`.repeat(i % 7) + (i % 3 === 0 ? `key ${tok(i % 9)}\n` : 'nothing\n') + `password = Zq8kLm${i}pRt5w\n`;
      if (i % 2) {
        const file = join(tmp, `t${i}.txt`);
        writeFileSync(file, text);
        items.push({ path: `dir/t${i}.txt`, source: { kind: 'file', absPath: file, size: text.length } });
      } else items.push({ path: `dir/b${i}.txt`, source: { kind: 'bytes', data: Buffer.from(text) } });
    }
    async function* gen() {
      for (const it of items) yield it;
    }
    const one = await scan({ root: tmp, items: gen(), policy: policy(), threads: 1 });
    const two = await scan({
      root: tmp,
      items: gen(),
      policy: policy(),
      threads: 2,
      inlineBelow: { items: 1, bytes: 1 },
      waitForWorkers: true,
    });
    // Default: this thread scans while the workers start, then hands over.
    const mixed = await scan({
      root: tmp,
      items: gen(),
      policy: policy(),
      threads: 2,
      inlineBelow: { items: 1, bytes: 1 },
    });
    assert.equal(one.findings.length, 120 + 3); // 120 passwords; 40 tokens that are 3 distinct secrets
    assert.equal(
      one.findings.reduce((n, f) => n + 1 + (f.locations?.length ?? 0), 0),
      120 + 40,
    );
    assert.deepEqual(two.findings, one.findings);
    assert.deepEqual(mixed.findings, one.findings);
    assert.equal(mixed.stats.files, 120);
    assert.deepEqual(two.warnings, []);
    assert.equal(two.stats.files, 120);
    assert.match(two.stats.engine, /^re2/);
    const prev = process.env.JIT_GPG_REGEX_ENGINE;
    process.env.JIT_GPG_REGEX_ENGINE = 're2js';
    const { resetRegexEngine } = await import('../../src/scan/regex/index.ts');
    resetRegexEngine();
    try {
      const portable = await scan({ root: tmp, items: gen(), policy: policy(), threads: 1 });
      assert.equal(portable.stats.engine, 're2js+keywords');
      assert.deepEqual(portable.findings, one.findings);
    } finally {
      if (prev === undefined) delete process.env.JIT_GPG_REGEX_ENGINE;
      else process.env.JIT_GPG_REGEX_ENGINE = prev;
      resetRegexEngine();
    }
  });

  it('skips files over maxFileSize and ignored paths, and counts them', async () => {
    const big = join(tmp, 'big.txt');
    writeFileSync(big, `${tok()}\n${'y'.repeat(2000)}`);
    async function* gen(): AsyncGenerator<ScanItem> {
      yield { path: 'big.txt', source: { kind: 'file', absPath: big, size: 2042 } };
      yield { path: 'node_modules/x/a.js', source: { kind: 'bytes', data: Buffer.from(tok()) } };
      yield { path: 'ok.txt', source: { kind: 'bytes', data: Buffer.from(tok()) } };
    }
    const r = await scan({ root: tmp, items: gen(), policy: policy({ maxFileSize: 1000 }) });
    assert.equal(r.stats.skippedLarge, 1);
    assert.deepEqual(
      r.findings.map((f) => f.file),
      ['ok.txt'],
    );
  });

  it('reports an unreadable file as a warning naming it, and carries on', async () => {
    async function* gen(): AsyncGenerator<ScanItem> {
      yield { path: 'gone.txt', source: { kind: 'file', absPath: join(tmp, 'does-not-exist'), size: 10 } };
      yield { path: 'ok.txt', source: { kind: 'bytes', data: Buffer.from(tok()) } };
    }
    const r = await scan({ root: tmp, items: gen(), policy: policy() });
    assert.equal(r.stats.unreadable, 1);
    assert.deepEqual(r.warnings, ['gone.txt: cannot read (ENOENT)']);
    assert.equal(r.findings.length, 1);
  });
});

describe('windows of rules whose matches span lines', () => {
  /** The portable engine, recording how many bytes each pattern is run over. */
  function measuring(): { regex: RegexEngine; scanned: Map<string, number> } {
    const inner = portableEngine();
    const scanned = new Map<string, number>();
    const regex: RegexEngine = {
      name: inner.name,
      compile(source, options) {
        const p = inner.compile(source, options);
        return {
          source,
          matchAll(input) {
            scanned.set(source, (scanned.get(source) ?? 0) + input.length);
            return p.matchAll(input);
          },
        };
      },
      compileSet: (sources, options) => inner.compileSet(sources, options),
    };
    return { regex, scanned };
  }
  const spanning: Rule = {
    id: 'test-spanning',
    title: 'a value on the line after its name',
    severity: 'low',
    keywords: ['spankey'],
    pattern: String.raw`spankey:\s*\n\s*([A-Za-z0-9]{20})\b`,
    window: 256,
    examples: ex,
  };

  it('on a long line, a windowed rule runs about its keyword, not to the line\u2019s end', () => {
    const { regex, scanned } = measuring();
    const e = new ScanEngine({ rules: [spanning], allowRegexes: [], stopwords: [] }, { regex });
    // One keyword near the start of a 512 KiB line (minified code): before, the rule ran over the rest of the line.
    const line = `var a="spankey";${'x=1;'.repeat(128 * 1024)}\n`;
    e.scanBytes(Buffer.from(line), { path: 'min.js' });
    const bytes = scanned.get(spanning.pattern) ?? 0;
    assert.ok(bytes > 0 && bytes <= 16 * 1024, `${bytes} bytes scanned`);
  });

  const oneLine: Rule = {
    id: 'test-one-line',
    title: 'a value after its name',
    severity: 'low',
    keywords: ['leadkey'],
    pattern: String.raw`leadkey=([A-Za-z0-9]{20})\b`,
    examples: ex,
  };

  it('on a long line, a rule starts at most its lead (1 KiB) before its keyword, and runs to `margin` after it', () => {
    const { regex, scanned } = measuring();
    const e = new ScanEngine({ rules: [oneLine], allowRegexes: [], stopwords: [] }, { regex });
    // A keyword in the middle of a 512 KiB line: 1 KiB before it, 4 KiB after it (it was 4 KiB either side).
    const half = 'x=1;'.repeat(64 * 1024);
    const found = e.scanBytes(Buffer.from(`${half}var a="leadkey=Q8mYh3KzTq0RvNw5LsXe";${half}\n`), { path: 'min.js' });
    assert.deepEqual(
      found.map((f) => f.ruleId),
      ['test-one-line'],
    );
    const bytes = scanned.get(oneLine.pattern) ?? 0;
    assert.ok(bytes >= 4096 && bytes <= 1024 + 4096 + 64, `${bytes} bytes scanned`);
  });

  it('starts a rule\u2019s bytes on a character\u2019s first byte, so offsets hold under an engine that decodes them', () => {
    // 2-byte characters before the keyword, so that 1 KiB back lands inside one for either parity of the offset.
    for (const pad of ['', 'x']) {
      const e = new ScanEngine({ rules: [oneLine], allowRegexes: [], stopwords: [] }, { regex: portableEngine() });
      const text = `${pad}${'\u00e9'.repeat(3000)} leadkey=Q8mYh3KzTq0RvNw5LsXe\n`;
      const [f] = e.scanBytes(Buffer.from(text), { path: 'a.txt' });
      assert.equal(f?.column, pad.length + 3000 + 1 + 'leadkey='.length + 1);
    }
  });

  it('still reaches the next line when the keyword\u2019s line is short', () => {
    const { regex } = measuring();
    const e = new ScanEngine({ rules: [spanning], allowRegexes: [], stopwords: [] }, { regex });
    const value = 'Q8mYh3KzTq0RvNw5LsXe';
    const found = e.scanBytes(Buffer.from(`spankey:\n   ${value}\n`), { path: 'a.yaml' });
    assert.deepEqual(
      found.map((f) => [f.ruleId, f.line]),
      [['test-spanning', 2]], // the secret's line
    );
  });
});

describe('start-up: built-in patterns compile on first use', () => {
  /** The portable engine, counting what it compiles. */
  function counting(): { regex: RegexEngine; compiled: string[] } {
    const inner = portableEngine();
    const compiled: string[] = [];
    const regex: RegexEngine = {
      name: inner.name,
      compile(source, options) {
        compiled.push(source);
        return inner.compile(source, options);
      },
      compileSet: (sources, options) => inner.compileSet(sources, options),
    };
    return { regex, compiled };
  }

  it('compiles no built-in pattern up front, and then only those of the rules whose keywords occur', () => {
    const { regex, compiled } = counting();
    const builtin = defaultPolicy().rules;
    const e = new ScanEngine({ rules: builtin, allowRegexes: [], stopwords: [] }, { regex });
    assert.deepEqual(compiled, []);
    const text = `token = "${tok()}"\n`;
    e.scanBytes(Buffer.from(text), { path: 'a.txt' });
    const called = new Set(
      builtin
        .filter((r) => r.keywords.length === 0 || r.keywords.some((k) => text.toLowerCase().includes(k.toLowerCase())))
        .map((r) => r.pattern),
    );
    assert.ok(compiled.length > 0, 'the rules the text calls for were compiled');
    assert.ok(
      compiled.every((p) => called.has(p)),
      'only patterns of rules whose keywords occur (or that have none)',
    );
    assert.ok(compiled.length < builtin.length / 4, `${compiled.length} of ${builtin.length}`);
    const before = compiled.length;
    e.scanBytes(Buffer.from(`again ${tok(1)}\n`), { path: 'b.txt' });
    assert.equal(compiled.length, before, 'each pattern is compiled once');
  });

  it('a rule that is not built in compiles up front, so a bad pattern is named at once', () => {
    const { regex, compiled } = counting();
    const warnings: string[] = [];
    const bad = { ...rules[0]!, id: 'custom-bad', pattern: '(?<=x)y' };
    const e = new ScanEngine(
      { rules: [rules[0]!, bad], allowRegexes: [], stopwords: [] },
      { regex, onWarning: (m) => warnings.push(m) },
    );
    assert.equal(compiled.length, 2);
    assert.equal(e.ruleCount, 1);
    assert.match(warnings.join('\n'), /rule custom-bad: pattern does not compile under RE2/);
  });

  it('a built-in id with a changed pattern is not taken for the built-in', () => {
    const { regex, compiled } = counting();
    const gh = defaultPolicy().rules.find((r) => r.keywords.includes('ghp_'))!;
    new ScanEngine({ rules: [{ ...gh, pattern: `${gh.pattern}|zzz` }], allowRegexes: [], stopwords: [] }, { regex });
    assert.equal(compiled.length, 1);
  });
});

describe('UTF-16 text with a byte order mark', () => {
  it('is decoded and scanned (LE and BE), at the same line and column as in UTF-8', async () => {
    const { utf16ToUtf8 } = await import('../../src/scan/engine.ts');
    const text = 'a = 1\nkey: ☃ x\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(text, 'utf16le');
    be.swap16();
    assert.equal(utf16ToUtf8(le)?.toString(), text);
    assert.equal(utf16ToUtf8(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))?.toString(), text);
    assert.equal(utf16ToUtf8(Buffer.from(text)), undefined, 'not without a BOM');
  });
});

describe('compiled once: nothing mid-scan makes V8 throw optimized code away', () => {
  const native = loadNativeRE2();
  const src = (f: string) => JSON.stringify(new URL(`../../src/scan/${f}`, import.meta.url).href);

  it('a rule match and a released archive buffer invalidate no protector after the engine is set up', (t) => {
    if ('error' in native) return t.skip('native RE2 is not built here');
    // The first Buffer the addon makes and the first detached buffer each end a V8 premise ("protector") that
    // optimized typed-array code relies on: after the engine is set up, that would be mid-scan. (Under type stripping
    // Node's loader has detached a buffer before this script runs; the bundle shows the same trace clean.)
    const script = `
      import { ScanEngine } from ${src('engine.ts')};
      import { releaseBuffer } from ${src('release.ts')};
      const engine = new ScanEngine({ rules: JSON.parse(process.env.RULES), allowRegexes: [], stopwords: [] });
      process.stdout.write('ENGINE READY\\n');
      const found = engine.scanBytes(Buffer.from(process.env.TEXT), { path: 'a.txt' });
      releaseBuffer(Buffer.from(new ArrayBuffer(64)));
      process.stdout.write('FOUND ' + found.length + '\\n');
    `;
    const out = execFileSync(
      process.execPath,
      ['--trace-protector-invalidation', '--input-type=module', '-e', script],
      { env: { ...process.env, RULES: JSON.stringify(rules), TEXT: `token = "${tok()}"\n` }, encoding: 'utf8' },
    );
    const after = out.slice(out.indexOf('ENGINE READY'));
    assert.match(after, /FOUND 1/, 'the rule matched (so the addon made its result buffers)');
    assert.doesNotMatch(after, /Invalidating protector/);
  });

  it('warmUp() runs the sample without a trace: no finding, count or retained secret', () => {
    const engine = new ScanEngine({ ...defaultPolicy(), retainSecrets: ['github-pat'] });
    engine.warmUp();
    assert.deepEqual(engine.takeRetained(), []);
    const stats = emptyEngineStats();
    engine.scanBytes(Buffer.from('nothing here\n'), { path: 'a.txt' }, stats);
    assert.equal(stats.files, 1);
    assert.equal(stats.bytes, 13);
  });
});
