// The bundles ship the built-in rules without their examples and help texts (scripts/rule-examples.mjs): what is
// left out must be exactly those and what only they used, never a rule, a pattern, a validator or anything exported.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { withoutExamples, withoutHelp } from '../../scripts/rule-examples.mjs';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'src', 'scan', 'rules');

const MODULE = `import { lazyExamples as lazy } from './examples.ts';
import { fake } from '../validate/checksum.ts';
const seedOf = (s: string) => \`seed-\${s}\`;
const fixture = fake(seedOf('a'), 20);
const shared = 'acme';
const hex = (n: number) => fake('h', n);
function onlyForExamples(): string { return fixture + '!'; }
export const exported = fake('kept', 4);
const pattern = \`\${shared}_[a-z]{20}\`;
export const rules = [
  { id: 'acme', pattern, hex: 1, alphabet: ALPHABETS.hex, examples: lazy(() => ({ tp: [onlyForExamples(), shared, hex(3)], fp: [fixture] })) },
];
`;

describe('withoutExamples (the shipped rule modules)', () => {
  it('replaces every example call, under the name it is imported as, with empty examples', () => {
    const out = withoutExamples(MODULE);
    assert.match(out, /examples: \{ tp: \[\], fp: \[\] \}/);
    assert.doesNotMatch(out, /lazy\(/);
  });

  it('drops what only the examples used, transitively, and keeps what a rule or an export uses', () => {
    const out = withoutExamples(MODULE);
    // A property named like a declaration (`ALPHABETS.hex`, `{ hex: 1 }`) is no use of it.
    for (const gone of ['onlyForExamples', 'const fixture', 'seedOf', 'const hex'])
      assert.ok(!out.includes(gone), gone);
    for (const kept of ["const shared = 'acme'", 'const pattern', 'export const exported', 'export const rules']) {
      assert.ok(out.includes(kept), kept);
    }
  });

  it('leaves a module without lazyExamples byte for byte as it is', () => {
    const plain = MODULE.replace("import { lazyExamples as lazy } from './examples.ts';\n", '');
    assert.equal(withoutExamples(plain), plain);
  });

  it('turns every rule module of the catalogue into valid TypeScript with no example left', () => {
    let removed = 0;
    for (const name of readdirSync(RULES_DIR).filter((n) => n.endsWith('.ts'))) {
      const source = readFileSync(join(RULES_DIR, name), 'utf8');
      const out = withoutExamples(source, name);
      const file = ts.createSourceFile(name, out, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      const syntax = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      assert.deepEqual(
        syntax.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
        [],
        name,
      );
      if (name !== 'examples.ts') assert.doesNotMatch(out, /\blazyExamples\(|\blazy\(\(\)/, name);
      // Every rule keeps its id and pattern: the ids in the module are the same before and after.
      const ids = (text: string) => [...text.matchAll(/\bid: '([^']+)'/g)].map((m) => m[1]);
      assert.deepEqual(ids(out), ids(source), name);
      removed += source.length - out.length;
    }
    assert.ok(removed > 50_000, `only ${removed} bytes of examples left out`);
  });
});

const HELP_MODULE = `const VENDOR = 'Acme';
const note = (what: string) => \`\${what}: rotate it in the \${VENDOR} console.\`;
const shared = 'acme';
function token(id: string, help: string) {
  return { id, pattern: \`\${shared}_[a-z]{20}\`, help: \`\${help} Revoke it.\`, title: 'Acme token' };
}
export const rules = [
  { id: 'acme-key', pattern: 'k', help: note('An Acme key'), title: 'Acme key' },
  token('acme-token', 'An Acme token.'),
  { id: 'acme-last', title: 'Last', help: 'Last' }
];
`;

/** The `help:` properties of the object literals in a module (type annotations named help are no property). */
function helpProperties(text: string): number {
  let n = 0;
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'help') n++;
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('m.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
  return n;
}

describe('withoutHelp (the shipped rule modules)', () => {
  it('leaves out every help property, the last one of an object too, and what only they used', () => {
    assert.equal(helpProperties(HELP_MODULE), 3);
    const out = withoutHelp(HELP_MODULE);
    assert.equal(helpProperties(out), 0);
    for (const gone of ['const note', 'const VENDOR']) assert.ok(!out.includes(gone), `${gone}: only help used it`);
    for (const kept of ["const shared = 'acme'", "title: 'Acme key'", "title: 'Acme token'", "title: 'Last'"]) {
      assert.ok(out.includes(kept), kept);
    }
    const file = ts.createSourceFile('m.ts', out, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    assert.deepEqual((file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics, []);
  });

  it('turns every rule module of the catalogue into valid TypeScript with its rules and no help property', () => {
    for (const name of readdirSync(RULES_DIR).filter((n) => n.endsWith('.ts'))) {
      const source = withoutExamples(readFileSync(join(RULES_DIR, name), 'utf8'), name);
      const out = withoutHelp(source, name);
      const file = ts.createSourceFile(name, out, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      assert.deepEqual((file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics, [], name);
      assert.equal(helpProperties(out), 0, name);
      const ids = (text: string) => [...text.matchAll(/\bid: '([^']+)'/g)].map((m) => m[1]);
      assert.deepEqual(ids(out), ids(source), name);
    }
  });
});
