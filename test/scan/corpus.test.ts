// The labelled corpus (test/corpus): precision and recall never drop below the recorded thresholds, and no false
// positive is ever `validated`. `npm run eval` prints the same figures with every miss and false positive.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { corpusFiles } from '../corpus/corpus.ts';
import { evaluate, THRESHOLDS } from '../corpus/eval.ts';

describe('evaluation corpus', () => {
  test('precision and recall at or above the thresholds, no validated false positive', async () => {
    const r = await evaluate();
    const detail = JSON.stringify({ falsePositives: r.falsePositives, misses: r.misses });
    assert.ok(r.labelled >= 20, `only ${r.labelled} labelled secrets`);
    assert.ok(r.precision >= THRESHOLDS.precision, `precision ${r.precision} < ${THRESHOLDS.precision}: ${detail}`);
    assert.ok(r.recall >= THRESHOLDS.recall, `recall ${r.recall} < ${THRESHOLDS.recall}: ${detail}`);
    assert.deepEqual(
      r.falsePositives.filter((f) => f.validated),
      [],
    );
  });

  test('the measure can fail: an unlabelled secret is a false positive, a label with no secret a miss', async () => {
    const files = corpusFiles();
    const env = files.find((f) => f.path === '.env')!;
    const relabelled = { ...env, secrets: [...env.secrets.slice(1), 1] };
    const r = await evaluate([relabelled]);
    assert.deepEqual(r.misses, [{ file: '.env', line: 1 }]);
    assert.deepEqual(
      r.falsePositives.map((f) => [f.line, f.ruleId, f.validated]),
      [[env.secrets[0], 'github-pat-classic', true]],
    );
    assert.ok(r.precision < 1 && r.recall < 1);
  });
});
