/** ANSI styling for human output; every function is the identity when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** What decides colour: whether the stream is a terminal and the colour variables. */
export interface ColorEnvironment {
  readonly isTerminal: boolean;
  readonly noColor?: string;
  readonly forceColor?: string;
  readonly term?: string;
}

/**
 * Decides whether to colour output: never when `NO_COLOR` is set (non-empty) or the stream is not
 * a terminal or `TERM=dumb`; `FORCE_COLOR` (non-empty, not "0") turns it on anyway.
 */
export function colorEnabled(env: ColorEnvironment): boolean {
  if (env.noColor) return false;
  if (env.forceColor && env.forceColor !== "0") return true;
  return env.isTerminal && env.term !== "dumb";
}

/** Creates a {@link Style}; with `enabled` false it adds no escape codes. */
export function createStyle(enabled: boolean): Style {
  const sgr = (open: number, close: number) => (text: string) =>
    enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

/** A style with colour off, for tests and non-terminal output. */
export const plainStyle: Style = createStyle(false);
