/**
 * The exporter engine as a library: blackbox.yml loading, probes with blackbox_exporter's series
 * (and netdiag's `netdiag_*` additions), and the Prometheus text format.
 * @module
 */
export { MAX_CONNECTS, parseConfig, type ParseConfigOptions } from "./config.ts";
export { loadConfigFile, MAX_CONFIG_BYTES } from "./config_file.ts";
export { escapeHelp, escapeLabelValue, writeExposition } from "./exposition.ts";
export { formatGoFloat } from "./go_float.ts";
export { compileGoRegexp, GoRegexpError } from "./go_regexp.ts";
export { HELP } from "./gauges.ts";
export { runProbe } from "./probe.ts";
export { rrText } from "./dns_wire.ts";
export * from "./types.ts";
