/**
 * The Prometheus text exposition format 0.0.4, as client_golang writes it: per family a `# HELP`
 * line (`\` and newline escaped) and a `# TYPE` line, then one line per sample with its labels
 * sorted by name and their values escaped (`\`, `"`, newline), samples sorted by label values,
 * numbers as Go formats them ({@link formatGoFloat}). Families are written in the order given;
 * a family without samples is left out, as client_golang does.
 * @module
 */
import { formatGoFloat } from "./go_float.ts";
import type { MetricFamily, Sample } from "./types.ts";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Escapes HELP text: `\` and newline. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Escapes a label value: `\`, `"` and newline. */
export function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function sortedLabels(sample: Sample, family: string): [string, string][] {
  const entries = Object.entries(sample.labels ?? {});
  for (const [name] of entries) {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      throw new TypeError(
        `metric ${JSON.stringify(family)}: invalid label name ${JSON.stringify(name)}`,
      );
    }
  }
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function compareLabels(a: [string, string][], b: [string, string][]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i][1] !== b[i][1]) return a[i][1] < b[i][1] ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Writes `families` in the text format (see the module). Throws a TypeError for a metric or
 * label name the format does not allow: those are programming errors, never input.
 */
export function writeExposition(families: readonly MetricFamily[]): string {
  let out = "";
  for (const family of families) {
    if (!family.samples.length) continue;
    if (!METRIC_NAME.test(family.name)) {
      throw new TypeError(`invalid metric name ${JSON.stringify(family.name)}`);
    }
    out += `# HELP ${family.name} ${
      escapeHelp(family.help)
    }\n# TYPE ${family.name} ${family.type}\n`;
    const rows = family.samples.map((s) => ({
      labels: sortedLabels(s, family.name),
      value: s.value,
    }))
      .sort((a, b) => compareLabels(a.labels, b.labels));
    for (const row of rows) {
      const labels = row.labels.length
        ? `{${row.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`
        : "";
      out += `${family.name}${labels} ${formatGoFloat(row.value)}\n`;
    }
  }
  return out;
}
