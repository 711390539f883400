import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoTimestamp } from '../../src/shared/time.ts';

describe('isoTimestamp', () => {
  it('is Date#toISOString for every kind of date from 1970 to 9999', () => {
    const fixed = [
      0,
      86_399_999, // the last ms of a day
      951_782_400_000, // 2000-02-29, a leap day of a year divisible by 400
      4_107_542_400_000, // 2100-03-01, after a February without a leap day
      1_796_540_927_442, // this session
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
    ];
    for (const ms of fixed) assert.equal(isoTimestamp(ms), new Date(ms).toISOString(), String(ms));
    // Every day boundary of four centuries, and random instants.
    for (let day = 0; day < 146_097; day += 1) {
      const ms = day * 86_400_000 + ((day * 7919) % 86_400_000);
      assert.equal(isoTimestamp(ms), new Date(ms).toISOString(), String(ms));
    }
    for (let i = 0; i < 10_000; i++) {
      const ms = Math.floor(Math.random() * 253_402_300_800_000);
      assert.equal(isoTimestamp(ms), new Date(ms).toISOString(), String(ms));
    }
  });
});
