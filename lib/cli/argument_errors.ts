/**
 * The messages of the errors Stricli's argument scanner throws, in netdiag's form ("what failed:
 * why", values quoted). Stricli's own messages put the raw argument between plain quotes, so a
 * newline or an escape sequence in an argument would reach the terminal as it is; here every
 * argument goes through {@link quote}.
 * @module
 */
import {
  AliasNotFoundError,
  ArgumentParseError,
  ArgumentScannerError,
  EnumValidationError,
  FlagNotFoundError,
  InvalidNegatedFlagSyntaxError,
  UnexpectedFlagError,
  UnexpectedPositionalError,
  UnsatisfiedFlagError,
  UnsatisfiedPositionalError,
} from "@stricli/core";
import { NetdiagError, quote } from "../core/errors.ts";
import { escapeTerminal } from "../core/terminal_text.ts";

/** `a`, `a or b`, `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * `unknown flag "--jsn": did you mean --json?` — for Stricli's unknown flags and for the
 * inherited names lib/cli/name_guard.ts turns away.
 */
export function unknownFlagMessage(flag: string, corrections: readonly string[] = []): string {
  const names = corrections.map((c) => `--${escapeTerminal(c)}`);
  return `unknown flag ${quote(flag)}` + (names.length ? `: did you mean ${orList(names)}?` : "");
}

/** The message of a value a parse function refused. */
function parseErrorMessage(error: ArgumentParseError): string {
  const { exception, input, externalFlagNameOrPlaceholder: name } = error;
  if (exception instanceof NetdiagError) return exception.message;
  const why = exception instanceof Error ? exception.message : String(exception);
  // Stricli's boolean parser (flags only) repeats the raw value ("Cannot convert x to a boolean").
  if (/to a boolean$/.test(why)) {
    return `invalid value ${quote(input)} for --${name}: expected true or false`;
  }
  return `invalid value ${quote(input)} for ${name}: ${escapeTerminal(lowerFirst(why))}`;
}

/** The message of a value outside an enum flag's choices. */
function enumErrorMessage(error: EnumValidationError, corrections: readonly string[]): string {
  const values = error.values.map((v) => quote(v));
  const hint = corrections.length ? `; did you mean ${orList(corrections.map(quote))}?` : "";
  return `invalid value ${quote(error.input)} for --${error.externalFlagName}: ` +
    `expected ${orList(values)}${hint}`;
}

/** The corrections an {@link EnumValidationError}'s message proposes (Stricli keeps no list). */
function enumCorrections(error: EnumValidationError): string[] {
  // The message ends `(a|b|c), did you mean "a" or "b"?`: read only what follows the list, which
  // the user's input (earlier in the message) cannot reach.
  const list = `(${error.values.join("|")})`;
  const tail = error.message.slice(error.message.lastIndexOf(list) + list.length);
  return error.values.filter((v) => tail.includes(`"${v}"`));
}

/**
 * The message of a positional argument that is missing: `missing argument <addr>`; an array of
 * several kinds (`file... target`) names each: `missing arguments <file...> <target>`.
 */
function missingArgumentMessage(error: UnsatisfiedPositionalError): string {
  const parts = error.placeholder.trim().split(/\s+/);
  const what = parts.length > 1
    ? `missing arguments ${parts.map((p) => `<${escapeTerminal(p)}>`).join(" ")}`
    : `missing argument <${escapeTerminal(error.placeholder)}>`;
  if (!error.limit) return what;
  const [least, found] = error.limit;
  return `${what}: expected at least ${least}, got ${found === 0 ? "none" : found}`;
}

/**
 * The message (without `netdiag: `) of an error Stricli's argument scanner threw, every argument
 * quoted; undefined for any other error.
 */
export function scannerErrorMessage(error: unknown): string | undefined {
  if (!(error instanceof ArgumentScannerError)) return undefined;
  if (error instanceof ArgumentParseError) return parseErrorMessage(error);
  if (error instanceof FlagNotFoundError) {
    const flag = unknownFlagMessage(`--${error.input}`, error.corrections);
    return error.aliasName ? `${flag} (from -${escapeTerminal(error.aliasName)})` : flag;
  }
  if (error instanceof AliasNotFoundError) return unknownFlagMessage(`-${error.input}`);
  if (error instanceof EnumValidationError) {
    return enumErrorMessage(error, enumCorrections(error));
  }
  if (error instanceof UnsatisfiedFlagError) {
    return `missing value for --${error.externalFlagName}` +
      (error.nextFlagName ? `: found --${error.nextFlagName} instead` : "");
  }
  if (error instanceof UnexpectedFlagError) {
    return `--${error.externalFlagName} given twice: ${quote(error.previousInput)} and ` +
      quote(error.input);
  }
  if (error instanceof UnexpectedPositionalError) {
    const n = error.expectedCount;
    return `unexpected argument ${quote(error.input)}: expected at most ${n} ` +
      (n === 1 ? "argument" : "arguments");
  }
  if (error instanceof UnsatisfiedPositionalError) return missingArgumentMessage(error);
  if (error instanceof InvalidNegatedFlagSyntaxError) {
    return `--${error.externalFlagName} takes no value, got ${quote(error.valueText)}`;
  }
  return escapeTerminal(lowerFirst(error.message));
}
