import { test } from "node:test";
import assert from "node:assert/strict";
import { writeExposition } from "../../lib/exporter/exposition.ts";
import { formatGoFloat } from "../../lib/exporter/go_float.ts";

test("formatGoFloat() writes numbers as Go's strconv 'g' -1 and client_golang do", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [-0, "0"],
    [1, "1"],
    [-1, "-1"],
    [200, "200"],
    [1.1, "1.1"],
    [100000, "100000"],
    [999999, "999999"],
    [1000000, "1e+06"],
    [1234567, "1.234567e+06"],
    [1830514928, "1.830514928e+09"],
    [3668918509, "3.668918509e+09"],
    [-62135596800, "-6.21355968e+10"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [3.4206e-05, "3.4206e-05"],
    [0.017332414, "0.017332414"],
    [0.0048259259999999995, "0.0048259259999999995"],
    [119.502127205, "119.502127205"],
    [1e21, "1e+21"],
    [1.5e-300, "1.5e-300"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
  ];
  for (const [v, want] of cases) assert.equal(formatGoFloat(v), want, `value ${v}`);
});

test("writeExposition() writes HELP and TYPE, then each sample with labels sorted by name", () => {
  const text = writeExposition([
    {
      name: "probe_success",
      help: "Displays whether or not the probe was a success",
      type: "gauge",
      samples: [{ value: 1 }],
    },
    {
      name: "probe_http_duration_seconds",
      help: "Duration of http request by phase, summed over all redirects",
      type: "gauge",
      samples: [
        { labels: { phase: "transfer" }, value: 0.5 },
        { labels: { phase: "connect" }, value: 0.25 },
      ],
    },
    {
      name: "probe_ssl_last_chain_info",
      help: "Contains SSL leaf certificate information",
      type: "gauge",
      samples: [{ labels: { subject: "CN=a", issuer: "CN=b" }, value: 1 }],
    },
  ]);
  assert.equal(
    text,
    "# HELP probe_success Displays whether or not the probe was a success\n" +
      "# TYPE probe_success gauge\n" +
      "probe_success 1\n" +
      "# HELP probe_http_duration_seconds Duration of http request by phase, summed over all redirects\n" +
      "# TYPE probe_http_duration_seconds gauge\n" +
      'probe_http_duration_seconds{phase="connect"} 0.25\n' +
      'probe_http_duration_seconds{phase="transfer"} 0.5\n' +
      "# HELP probe_ssl_last_chain_info Contains SSL leaf certificate information\n" +
      "# TYPE probe_ssl_last_chain_info gauge\n" +
      'probe_ssl_last_chain_info{issuer="CN=b",subject="CN=a"} 1\n',
  );
});

test("writeExposition() escapes backslash and newline in HELP, and quote too in label values", () => {
  const text = writeExposition([{
    name: "x_total",
    help: 'a\\b\nc "q"',
    type: "counter",
    samples: [{ labels: { v: 'say "hi"\\\nbye' }, value: 2 }],
  }]);
  assert.equal(
    text,
    '# HELP x_total a\\\\b\\nc "q"\n# TYPE x_total counter\nx_total{v="say \\"hi\\"\\\\\\nbye"} 2\n',
  );
});

test("writeExposition() leaves out a family without samples and writes special values", () => {
  const text = writeExposition([
    { name: "empty", help: "h", type: "gauge", samples: [] },
    {
      name: "odd",
      help: "h",
      type: "untyped",
      samples: [{ value: NaN }, { labels: { a: "1" }, value: -Infinity }],
    },
  ]);
  assert.equal(text, '# HELP odd h\n# TYPE odd untyped\nodd NaN\nodd{a="1"} -Inf\n');
});

test("writeExposition() refuses invalid metric and label names", () => {
  const family = (name: string, label: string) => ({
    name,
    help: "h",
    type: "gauge" as const,
    samples: [{ labels: { [label]: "v" }, value: 1 }],
  });
  assert.throws(() => writeExposition([family("1bad", "a")]), /invalid metric name "1bad"/);
  assert.throws(
    () => writeExposition([family("ok", "bad-label")]),
    /invalid label name "bad-label"/,
  );
  assert.throws(
    () => writeExposition([family("ok", "__reserved")]),
    /invalid label name "__reserved"/,
  );
});
