/**
 * Which of the words typed after a command are its positional operands, for proposers that
 * depend on the position (`dns NAME TYPE…`). Stricli does not tell a proposer its position.
 * @module
 */
/** What is needed of a Stricli command's parameters. */
interface CommandParameters {
  readonly flags?: Readonly<Record<string, { readonly kind: string }>>;
  readonly aliases?: Readonly<Record<string, string | undefined>>;
}

type Flags = NonNullable<CommandParameters["flags"]>;

/** What is needed of Stricli's route maps and commands. */
type Target = { readonly getRoutingTargetForInput: (input: string) => Target | undefined } | {
  readonly parameters: CommandParameters;
};

/** The command that `prefix` (route names, as Stricli reports them) leads to, if any. */
function commandAt(root: Target, prefix: readonly string[]): CommandParameters | undefined {
  let target: Target | undefined = root;
  for (const name of prefix) {
    if (!target || !("getRoutingTargetForInput" in target)) return undefined;
    target = target.getRoutingTargetForInput(name);
  }
  return target && "parameters" in target ? target.parameters : undefined;
}

const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Whether the flag word `word` (`--name`, `-abc`) is followed by its value as the next word. */
function takesValue(
  word: string,
  flags: Flags,
  aliases: Readonly<Record<string, string | undefined>>,
): boolean {
  let name: string | undefined;
  if (word.startsWith("--")) {
    if (word.includes("=")) return false;
    name = camel(word.slice(2));
  } else {
    name = aliases[word.slice(-1)];
  }
  const flag = name === undefined ? undefined : flags[name];
  return flag !== undefined && flag.kind !== "boolean" && flag.kind !== "counter";
}

/**
 * The positional operands among `words` (everything after `netdiag`, the last one the word being
 * completed, which is left out), once the route names of `prefix` are skipped.
 */
export function operandsBefore(
  root: Target,
  prefix: readonly string[],
  words: readonly string[],
): string[] {
  const parameters = commandAt(root, prefix);
  if (!parameters) return [];
  const flags = parameters.flags ?? {};
  const aliases = parameters.aliases ?? {};
  const operands: string[] = [];
  const typed = words.slice(prefix.length, -1);
  let escaped = false;
  for (let i = 0; i < typed.length; i++) {
    const word = typed[i];
    if (escaped || word === "-" || !word.startsWith("-")) operands.push(word);
    else if (word === "--") escaped = true;
    else if (takesValue(word, flags, aliases)) i++;
  }
  return operands;
}
