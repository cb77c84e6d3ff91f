/**
 * `netdiag dns`: queries straight to a DNS server over the socket adapter, one
 * item per (name, type), in batches.
 * @module
 */
import { reverseName, validateDnsName } from "../core/dns_name.ts";
import type { DnsStatus } from "../core/dns_records.ts";
import { parseRecordType, type RecordType } from "../core/dns_types.ts";
import { InputError, quote } from "../core/errors.ts";
import type { LookupStatus } from "../core/name_lookup.ts";
import { inputLines, textLines } from "../core/text_lines.ts";
import { DnsClient, type DnsExchange } from "../net/dns_client.ts";
import { dnsServerFor } from "../net/name_service.ts";
import { readErrorReason, readTextFile } from "../runtime/read_text.ts";
import { openStream } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { dnsView } from "../output/views/dns_view.ts";
import type { NetdiagContext } from "./context.ts";
import type { DnsFlags } from "./dns.ts";
import { runBatch } from "./lookup_batch.ts";

/** One query to make: a name and a type (a line of input, expanded). */
interface Query {
  readonly name: string;
  readonly type: RecordType;
}

/** Maps a DNS outcome to the lookup status the batch summary counts. */
export function dnsLookupStatus(status: DnsStatus): LookupStatus {
  switch (status) {
    case "NOERROR":
      return "ok";
    case "NXDOMAIN":
      return "not-found";
    case "NODATA":
      return "no-data";
    case "TIMEOUT":
      return "timeout";
    default:
      return "failure";
  }
}

/** Parses a `NAME [TYPE...]` line (or argument list) into queries; bad parts throw InputError. */
function parseLine(words: readonly string[], defaults: readonly RecordType[]): Query[] {
  const [name, ...typeWords] = words;
  const checked = validateDnsName(name, { allowRoot: true });
  const types = typeWords.length ? typeWords.map(parseRecordType) : defaults;
  return types.map((type) => ({ name: checked, type }));
}

/** Runs `netdiag dns`. */
export default async function dns(
  this: NetdiagContext,
  flags: DnsFlags,
  ...args: string[]
): Promise<void> {
  const format = outputFormat(flags);
  let lines: AsyncIterable<string> | Iterable<string>;
  let defaults: RecordType[];
  const sources = [flags.reverse !== undefined, flags.file !== undefined].filter(Boolean).length;
  if (sources > 1) throw new InputError('conflicting flags "-x" and "-f": choose one');
  if (flags.reverse !== undefined) {
    defaults = args.length ? args.map(parseRecordType) : ["PTR"];
    lines = [reverseName(flags.reverse)];
  } else if (flags.file !== undefined) {
    defaults = args.length ? args.map(parseRecordType) : ["A"];
    if (flags.file === "-") {
      lines = inputLines(this.io.stdin());
    } else {
      let text: string;
      try {
        text = await readTextFile(flags.file);
      } catch (error) {
        throw new InputError(`cannot read ${quote(flags.file)}: ${readErrorReason(error)}`);
      }
      lines = textLines(text);
    }
  } else {
    if (args.length === 0) {
      throw new InputError("missing name: give NAME [TYPE...], -x ADDR or -f FILE");
    }
    const [name, ...types] = args;
    defaults = types.length ? types.map(parseRecordType) : ["A"];
    if (name === "-") lines = inputLines(this.io.stdin());
    else {
      parseLine([name], defaults);
      lines = [name];
    }
  }
  const server = await dnsServerFor(flags.server);
  const client = await DnsClient.open(server, { timeoutMs: flags.timeout, tcp: flags.tcp });
  const stream = openStream(this, format, dnsView);
  const single = flags.file === undefined && args[0] !== "-";
  try {
    await runBatch<DnsExchange>(this, {
      inputs: expand(lines, defaults),
      concurrency: flags.concurrency,
      validate: (line) => {
        if (line.startsWith("!")) throw new InputError(line.slice(1));
      },
      lookup: (line) => {
        const [name, type] = line.split(" ");
        return client.query(name, type);
      },
      status: (exchange) => dnsLookupStatus(exchange.status),
      stream,
      noun: "query",
      summaryLine: (count) => format === "human" && !single && count > 1,
    });
  } finally {
    client.close();
  }
}

/**
 * Expands input lines into one `name type` entry per query; a bad line becomes `!message`, which
 * the batch reports on stderr and skips.
 */
async function* expand(
  lines: AsyncIterable<string> | Iterable<string>,
  defaults: readonly RecordType[],
): AsyncGenerator<string> {
  for await (const line of lines) {
    let queries: Query[];
    try {
      queries = parseLine(line.split(/\s+/), defaults);
    } catch (error) {
      yield `!${(error as Error).message}`;
      continue;
    }
    for (const q of queries) yield `${q.name} ${q.type}`;
  }
}
