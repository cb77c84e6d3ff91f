import { test } from "node:test";
import assert from "node:assert/strict";
import {
  formatBytes,
  formatDuration,
  formatDurationSetting,
  formatRate,
} from "../../lib/output/units.ts";

test("formatBytes() shows three significant digits in powers of 1000", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1000), "1.00 kB");
  assert.equal(formatBytes(1500), "1.50 kB");
  assert.equal(formatBytes(10_000_000), "10.0 MB");
  assert.equal(formatBytes(107_374_182), "107 MB");
  assert.equal(formatBytes(999_600), "1.00 MB");
  assert.equal(formatBytes(1_073_741_824), "1.07 GB");
});

test("formatRate() is formatBytes per second", () => {
  assert.equal(formatRate(326_100_000), "326 MB/s");
  assert.equal(formatRate(12), "12 B/s");
});

test("formatDuration() reads in ms below a second, s below a minute, then min and s", () => {
  assert.equal(formatDuration(0.42), "0.42 ms");
  assert.equal(formatDuration(12.34), "12.3 ms");
  assert.equal(formatDuration(850.4), "850 ms");
  assert.equal(formatDuration(1520), "1.52 s");
  assert.equal(formatDuration(12_340), "12.3 s");
  assert.equal(formatDuration(125_000), "2 min 5 s");
});

test("formatDurationSetting() writes a duration as it would be typed", () => {
  assert.equal(formatDurationSetting(150), "150ms");
  assert.equal(formatDurationSetting(2000), "2s");
  assert.equal(formatDurationSetting(1500), "1.5s");
  assert.equal(formatDurationSetting(300_000), "5m");
});

test("formatDuration() rounds as toFixed does, halves included (0.015 ms is 0.01 ms)", () => {
  const toFixedText = (ms: number) => {
    const digits = (v: number) => (v >= 100 ? 0 : v >= 10 ? 1 : 2);
    if (ms < 100) return `${ms.toFixed(digits(ms))} ms`;
    if (ms < 1000) return `${Math.round(ms)} ms`;
    return `${(ms / 1000).toFixed(digits(ms / 1000))} s`;
  };
  assert.equal(formatDuration(0.015), "0.01 ms");
  assert.equal(formatDuration(0.125), "0.13 ms");
  for (let i = 0; i < 200_000; i++) {
    const ms = i / 1000; // netdiag's durations are rounded to microseconds
    assert.equal(formatDuration(ms), toFixedText(ms));
  }
  for (let i = 0; i < 20_000; i++) {
    const ms = (i * 7919.123) % 60_000;
    assert.equal(formatDuration(ms), toFixedText(ms));
  }
});
