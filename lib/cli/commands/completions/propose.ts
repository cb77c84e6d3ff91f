/**
 * Proposers for flags' and positionals' `proposeCompletions` in command definitions. Light: loaded
 * at start-up with the definitions (the services table loads only when ports are proposed).
 *
 * File names are not listed here: a proposer asks the shell to complete them (a directive, as
 * cobra does), which `__complete` prints as its last line, `:files` or `:dirs`.
 * @module
 */
import { RECORD_TYPES } from "../../../core/dns_types.ts";

/** What the shell should complete besides the proposals: file names or directory names. */
export type Directive = ":files" | ":dirs";

/** What `__complete` knows about the command line being completed. */
interface CompletionState {
  /** The positional operands before the word being completed. */
  readonly positionals: readonly string[];
  directive?: Directive;
}

const states = new WeakMap<object, CompletionState>();

/** Marks `context` as the one `__complete` hands to proposers, with the operands typed so far. */
export function beginCompletion(context: object, positionals: readonly string[]): void {
  states.set(context, { positionals });
}

/** The directive a proposer left on `context`, if any. */
export function completionDirective(context: object): Directive | undefined {
  return states.get(context)?.directive;
}

/** The positional operands typed before the word being completed (none outside `__complete`). */
export function positionalsBefore(context: object): readonly string[] {
  return states.get(context)?.positionals ?? [];
}

function ask(context: object, directive: Directive): readonly string[] {
  const state = states.get(context);
  if (state && state.directive !== ":files") state.directive = directive;
  return [];
}

/** `proposeCompletions` of a flag or operand that takes a file (or socket) path. */
export function proposeFiles(this: object): readonly string[] {
  return ask(this, ":files");
}

/** `proposeCompletions` of a flag that takes a directory. */
export function proposeDirectories(this: object): readonly string[] {
  return ask(this, ":dirs");
}

/** `HOST:` then what follows it, for a word that names a host and a partial port. */
const HOST_PORT = /^((?:\[[^\]]*\]|[^:/\[\]]+):)([^:/]*)$/;

/**
 * Ports from the services table after `HOST:`: numbers (`localhost:80`), and with `names`
 * service names too (`localhost:http`), for targets whose grammar accepts them (`probe`).
 * Nothing for a word without `HOST:`.
 */
export async function proposePorts(partial: string, names: boolean): Promise<readonly string[]> {
  const m = HOST_PORT.exec(partial);
  if (!m) return [];
  const [, host, port] = m;
  const { SERVICES } = await import("../../../data/services.ts");
  const numbers = [...new Set(SERVICES.map((s) => s.port))].sort((a, b) => a - b);
  const words = /^[0-9]/.test(port) || !names
    ? numbers.map(String)
    : [...new Set(SERVICES.map((s) => s.name))];
  return words.filter((w) => w.startsWith(port)).map((w) => host + w);
}

/** `proposeCompletions` of a target in the endpoint grammar: `HOST:` then port numbers. */
export function proposeEndpoint(this: object, partial: string): Promise<readonly string[]> {
  return proposePorts(partial, false);
}

/** `proposeCompletions` of a probe target: `HOST:` then service names or port numbers. */
export function proposeProbeTarget(this: object, partial: string): Promise<readonly string[]> {
  return proposePorts(partial, true);
}

/** `proposeCompletions` of `send`'s operands: files, or ports after `HOST:` (the target). */
export function proposeSendOperand(this: object, partial: string): Promise<readonly string[]> {
  if (HOST_PORT.test(partial)) return proposePorts(partial, false);
  return Promise.resolve(ask(this, ":files"));
}

/**
 * `proposeCompletions` of `dns`'s operands: nothing for NAME (free text), then record types, in
 * lower case when the word being typed is.
 */
export function proposeDnsOperand(this: object, partial: string): readonly string[] {
  if (positionalsBefore(this).length === 0) return [];
  const lower = partial !== "" && partial === partial.toLowerCase();
  return RECORD_TYPES.map((t) => lower ? t.toLowerCase() : t);
}

/** `proposeCompletions` of a comma-separated port list (`probe -p`): the element being typed. */
export async function proposePortList(this: object, partial: string): Promise<readonly string[]> {
  const comma = partial.lastIndexOf(",");
  const head = partial.slice(0, comma + 1);
  return (await proposePorts(`x:${partial.slice(comma + 1)}`, true)).map((w) => head + w.slice(2));
}
