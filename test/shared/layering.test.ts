// The architecture in one assertion each: the libraries never import the Actions toolkit or the adapters, so they
// stay plain functions usable from the CLI, and imports only go action/cli → scan/sign → shared.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const src = join(import.meta.dirname, '..', '..', 'src');

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

const forbidden: Record<string, RegExp> = {
  scan: /^@actions\/|\/action\/|\/cli\//,
  sign: /^@actions\/|\/action\/|\/cli\/|\/scan\//,
  shared: /^@actions\/|\/action\/|\/cli\/|\/scan\/|\/sign\//,
};

describe('layering', () => {
  for (const [area, re] of Object.entries(forbidden)) {
    it(`src/${area} imports no @actions package and nothing above it`, () => {
      const bad: string[] = [];
      for (const file of sources(join(src, area))) {
        for (const spec of importsOf(file)) if (re.test(spec)) bad.push(`${relative(src, file)} → ${spec}`);
      }
      assert.deepEqual(bad, []);
    });
  }
});
