// `npm run eval`: scans the labelled corpus (corpus.ts) with the built-in catalogue and prints precision and recall.
// A place a finding reports (the finding or one of its `locations`) on a labelled line is a true positive; any other
// place is a false positive; a labelled line no place reports is a miss. The test (test/scan/corpus.test.ts) fails
// when either figure drops below thresholds.json or when a false positive is `validated`.
import { readFileSync } from 'node:fs';
import { scan } from '../../src/scan/index.ts';
import { defaultPolicy } from '../../src/scan/policy.ts';
import type { ScanItem } from '../../src/scan/sources/types.ts';
import { type CorpusFile, corpusFiles } from './corpus.ts';

export interface EvalResult {
  truePositives: number;
  falsePositives: { file: string; line: number; ruleId: string; validated: boolean }[];
  misses: { file: string; line: number }[];
  labelled: number;
  precision: number;
  recall: number;
}

export const THRESHOLDS: { precision: number; recall: number } = JSON.parse(
  readFileSync(new URL('./thresholds.json', import.meta.url), 'utf8'),
);

export async function evaluate(files: CorpusFile[] = corpusFiles()): Promise<EvalResult> {
  async function* items(): AsyncIterable<ScanItem> {
    for (const f of files) yield { path: f.path, source: { kind: 'bytes', data: Buffer.from(f.text) } };
  }
  const r = await scan({ root: '.', items: items(), policy: defaultPolicy(), threads: 1 });
  const labels = new Set(files.flatMap((f) => f.secrets.map((l) => `${f.path}:${l}`)));
  const hit = new Set<string>();
  let truePositives = 0;
  const falsePositives: EvalResult['falsePositives'] = [];
  for (const f of r.findings) {
    for (const p of [f, ...(f.locations ?? [])]) {
      const key = `${p.file}:${p.line}`;
      if (labels.has(key)) {
        truePositives++;
        hit.add(key);
      } else falsePositives.push({ file: p.file, line: p.line, ruleId: f.ruleId, validated: f.validated });
    }
  }
  const misses = [...labels]
    .filter((k) => !hit.has(k))
    .map((k) => ({ file: k.slice(0, k.lastIndexOf(':')), line: Number(k.slice(k.lastIndexOf(':') + 1)) }));
  const reported = truePositives + falsePositives.length;
  return {
    truePositives,
    falsePositives,
    misses,
    labelled: labels.size,
    precision: reported === 0 ? 1 : truePositives / reported,
    recall: labels.size === 0 ? 1 : hit.size / labels.size,
  };
}

if (import.meta.main) {
  const r = await evaluate();
  console.log(`labelled secrets: ${r.labelled}, true positives: ${r.truePositives}`);
  console.log(`precision ${r.precision.toFixed(3)} (threshold ${THRESHOLDS.precision})`);
  console.log(`recall    ${r.recall.toFixed(3)} (threshold ${THRESHOLDS.recall})`);
  for (const fp of r.falsePositives)
    console.log(`  false positive: ${fp.file}:${fp.line} ${fp.ruleId}${fp.validated ? ' (validated)' : ''}`);
  for (const m of r.misses) console.log(`  missed: ${m.file}:${m.line}`);
  const validatedFps = r.falsePositives.filter((f) => f.validated).length;
  if (r.precision < THRESHOLDS.precision || r.recall < THRESHOLDS.recall || validatedFps > 0) process.exitCode = 1;
}
