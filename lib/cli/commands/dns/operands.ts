/**
 * `dns`'s operands, `NAME [TYPE...] [NAME [TYPE...]]...`, as query lines: each NAME takes the
 * record types that follow it, as with dig and as a `-f` line does.
 * @module
 */
import { isRecordType } from "../../../core/dns_types.ts";
import { inputLines } from "../../../core/text_lines.ts";
import { dnsQuestions } from "../../../resolve/mod.ts";
import type { NetdiagContext } from "../../context.ts";

/** One NAME of the command line and the types that follow it (none: the default, A). */
export interface OperandQuery {
  readonly name: string;
  readonly types: readonly string[];
}

/**
 * Whether an operand after the first is a record type rather than a new name: a supported type
 * in any case, or a word in capitals without a dot (`HTTPS`, `TYPE65`), which then fails as an
 * unknown type instead of being asked as a name. `mx.` (a trailing dot) is always a name.
 */
export function isTypeOperand(text: string): boolean {
  return isRecordType(text) || /^[A-Z][A-Z0-9-]*$/.test(text);
}

/**
 * Groups the operands into queries: the first is a NAME, each later operand a type of the
 * NAME before it ({@link isTypeOperand}) or the next NAME. Throws an InputError for a bad name
 * or an unknown type on the command line (exit 2 before anything is asked); `-` (names from
 * stdin) is checked line by line later.
 */
export function groupOperands(args: readonly string[]): OperandQuery[] {
  const groups: { name: string; types: string[] }[] = [];
  for (const [i, arg] of args.entries()) {
    if (i > 0 && isTypeOperand(arg)) groups[groups.length - 1].types.push(arg);
    else groups.push({ name: arg, types: [] });
  }
  for (const g of groups) if (g.name !== "-") dnsQuestions(g.name, g.types);
  return groups;
}

/**
 * The query lines of the groups, in order: `NAME TYPE...` for each, and for a `-` the lines of
 * stdin as they arrive (blank lines and `#` comments skipped), the group's types added to a line
 * that names none.
 */
export async function* operandLines(
  context: NetdiagContext,
  groups: readonly OperandQuery[],
): AsyncGenerator<string> {
  for (const { name, types } of groups) {
    if (name !== "-") {
      yield [name, ...types].join(" ");
      continue;
    }
    for await (const line of inputLines(context.io.stdin())) {
      yield types.length && line.trim().split(/\s+/).length === 1
        ? `${line} ${types.join(" ")}`
        : line;
    }
  }
}
