// The built-in rules' examples (true and false positives, and the fake secrets they are built from) are the rules'
// test cases: they sit beside each rule in src/scan/rules/ so a rule and its spec are read together, the tests read
// them from there, and the shipped bundle leaves them out (scripts/bundle.mjs). Nothing in a scan reads a built-in
// rule's examples (a config file's own rules bring theirs, checked by config.ts), and building them cost every CLI
// start about a quarter of the scanner chunk to load and a few milliseconds of fixture generation.
//
// withoutExamples(source) returns the rule module's source with every `lazyExamples(...)` call (whatever name it
// is imported under) replaced by empty examples, and then without every top-level declaration that nothing
// references any more (the fixture values those examples were built from), repeated until none is left.
//
// withoutHelp(source) does the same for the rules' help texts (Markdown for code scanning: what the secret is, how
// to revoke it): every `help:` property in the module is left out, and what only they used. Only a SARIF report
// reads them, from dist/rules-help.json (written by scripts/bundle.mjs from src/, loaded on first read by
// src/scan/rules/help.ts): ~60 KB of text that every CLI start and every scan worker otherwise compiled and loaded.
import ts from 'typescript';

/** The source with its examples and the declarations only they used removed; unchanged without lazyExamples. */
export function withoutExamples(source, fileName = 'rules.ts') {
  const names = exampleFactoryNames(parse(source, fileName));
  if (names.size === 0) return source;
  let text = replaceExampleCalls(source, fileName, names);
  for (;;) {
    const next = withoutUnreferenced(text, fileName);
    if (next === text) return text;
    text = next;
  }
}

/** The source without its `help:` properties and the declarations only they used; unchanged without any. */
export function withoutHelp(source, fileName = 'rules.ts') {
  const ranges = [];
  const visit = (node) => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'help') {
      // The property with the comma after it (an object literal's last property may have none).
      const next = node.getEnd();
      const comma = source.slice(next).match(/^\s*,/);
      ranges.push([node.getStart(), comma ? next + comma[0].length : next]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(source, fileName));
  if (ranges.length === 0) return source;
  let text = splice(source, ranges, '');
  for (;;) {
    const next = withoutUnreferenced(text, fileName);
    if (next === text) return text;
    text = next;
  }
}

function parse(text, fileName) {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** The local names `lazyExamples` is imported under from './examples.ts'. */
function exampleFactoryNames(file) {
  const names = new Set();
  for (const st of file.statements) {
    if (!ts.isImportDeclaration(st) || st.moduleSpecifier.text !== './examples.ts') continue;
    for (const el of st.importClause?.namedBindings?.elements ?? []) {
      if ((el.propertyName ?? el.name).text === 'lazyExamples') names.add(el.name.text);
    }
  }
  return names;
}

function replaceExampleCalls(text, fileName, names) {
  const ranges = [];
  const visit = (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && names.has(node.expression.text)) {
      ranges.push([node.getStart(), node.getEnd()]);
      return; // the call's own arguments go with it
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(text, fileName));
  return splice(text, ranges, '{ tp: [], fp: [] }');
}

/** One round: drops the top-level, unexported declarations whose names are referenced nowhere else. */
function withoutUnreferenced(text, fileName) {
  const file = parse(text, fileName);
  const declared = new Map(); // name node -> its statement
  const candidates = [];
  for (const st of file.statements) {
    if (st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const nameNodes = [];
    if (ts.isFunctionDeclaration(st) && st.name) nameNodes.push(st.name);
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) collectBindingNames(d.name, nameNodes);
    } else continue;
    for (const n of nameNodes) declared.set(n, st);
    candidates.push({ st, names: nameNodes.map((n) => n.text) });
  }
  const uses = new Map();
  const count = (node) => {
    if (ts.isIdentifier(node) && !declared.has(node) && !isPropertyName(node)) {
      uses.set(node.text, (uses.get(node.text) ?? 0) + 1);
    }
    ts.forEachChild(node, count);
  };
  count(file);
  const unused = candidates.filter((c) => c.names.every((n) => !uses.get(n)));
  return splice(
    text,
    unused.map((c) => [c.st.getFullStart(), c.st.getEnd()]),
    '',
  );
}

/** `x` in `a.x` or `{ x: 1 }` names a property, not the declaration `x`. */
function isPropertyName(node) {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === node;
}

function collectBindingNames(name, out) {
  if (ts.isIdentifier(name)) out.push(name);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collectBindingNames(el.name, out);
}

function splice(text, ranges, replacement) {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges.sort((a, b) => a[0] - b[0])) {
    out += text.slice(at, start) + replacement;
    at = end;
  }
  return out + text.slice(at);
}
