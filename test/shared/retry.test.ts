import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, formatSeconds, type RetryInfo, retry } from '../../src/shared/retry.ts';

const instant = () => {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms) };
};

describe('retry', () => {
  it('returns the first success without sleeping', async () => {
    const { slept, sleep } = instant();
    assert.equal(await retry(async () => 'ok', { sleep }), 'ok');
    assert.deepEqual(slept, []);
  });

  it('retries until success with labelled messages and growing delays', async () => {
    const { slept, sleep } = instant();
    const seen: RetryInfo[] = [];
    let calls = 0;
    const out = await retry(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw new Error(`boom ${attempt}`);
        return attempt;
      },
      {
        attempts: 5,
        baseMs: 1000,
        maxMs: 60_000,
        sleep,
        random: () => 0.5,
        label: 'Vault login',
        onRetry: (i) => seen.push(i),
      },
    );
    assert.equal(out, 3);
    assert.equal(calls, 3);
    assert.deepEqual(slept, [750, 1500]);
    assert.equal(seen[0]!.message, 'Vault login: attempt 1 of 5 failed: boom 1; retrying in 0.8 s');
    assert.equal(seen[1]!.message, 'Vault login: attempt 2 of 5 failed: boom 2; retrying in 1.5 s');
    assert.equal(seen[1]!.attempt, 2);
    assert.equal(seen[1]!.attempts, 5);
  });

  it('gives up after the last attempt and rethrows the last error unchanged', async () => {
    const { slept, sleep } = instant();
    const last = new Error('still down');
    let calls = 0;
    await assert.rejects(
      retry(
        async () => {
          calls++;
          throw calls === 4 ? last : new Error('down');
        },
        { attempts: 4, sleep },
      ),
      (e) => e === last,
    );
    assert.equal(calls, 4);
    assert.equal(slept.length, 3);
  });

  it('does not retry errors that are not retryable', async () => {
    const { slept, sleep } = instant();
    let calls = 0;
    await assert.rejects(
      retry(
        async () => {
          calls++;
          throw new Error('HTTP 401');
        },
        { sleep, isRetryable: () => false },
      ),
      /HTTP 401/,
    );
    assert.equal(calls, 1);
    assert.deepEqual(slept, []);
  });

  it('caps delays at maxMs and keeps jitter within [half, full] of the step', () => {
    for (let attempt = 1; attempt < 12; attempt++) {
      const step = Math.min(8000, 500 * 2 ** (attempt - 1));
      assert.equal(
        backoffDelay(attempt, 500, 8000, () => 0),
        step / 2,
      );
      assert.equal(
        backoffDelay(attempt, 500, 8000, () => 0.999999),
        Math.round(step / 2 + 0.999999 * (step / 2)),
      );
    }
    assert.equal(
      backoffDelay(20, 500, 8000, () => 1),
      8000,
    );
  });

  it('honours a Retry-After hint carried by the error, within maxMs', async () => {
    const { slept, sleep } = instant();
    let calls = 0;
    await retry(
      async () => {
        if (calls++ === 0) throw Object.assign(new Error('HTTP 429'), { retryAfterMs: 3000 });
        return 'ok';
      },
      { sleep, baseMs: 100, maxMs: 5000, random: () => 0 },
    );
    assert.deepEqual(slept, [3000]);
  });

  it('formats seconds with one decimal', () => {
    assert.equal(formatSeconds(1300), '1.3 s');
    assert.equal(formatSeconds(250), '0.3 s');
  });

  it('treats attempts < 1 as one attempt', async () => {
    let calls = 0;
    await assert.rejects(
      retry(
        async () => {
          calls++;
          throw new Error('x');
        },
        { attempts: 0, sleep: async () => {} },
      ),
    );
    assert.equal(calls, 1);
  });
});
