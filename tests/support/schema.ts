/**
 * Validates netdiag's machine output against the published JSON Schemas in docs/schema/ with
 * a kept validator (ajv, draft 2020-12), for tests: every command's `--json` document and
 * `--ndjson` lines must match its schema.
 */
import { readdirSync, readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { ROOT } from "./cli.ts";
import { join } from "./paths.ts";

const SCHEMA_DIR = join(ROOT, "docs", "schema");
const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".schema.json"))) {
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8")));
}

/** The compiled schema of `docs/schema/<name>.schema.json`. */
function validator(name: string) {
  const validate = ajv.getSchema(`https://netdiag.invalid/schema/${name}.schema.json`);
  if (!validate) throw new Error(`no schema docs/schema/${name}.schema.json`);
  return validate;
}

/**
 * Throws an error listing every violation when `value` does not match the schema `name`
 * (`docs/schema/<name>.schema.json`; a command's schema is named for the command, with a space
 * written as `-`: `echo-test`).
 */
export function assertMatchesSchema(name: string, value: unknown): void {
  const validate = validator(name);
  if (!validate(value)) {
    throw new Error(
      `output does not match docs/schema/${name}.schema.json: ${
        ajv.errorsText(validate.errors)
      }\n` +
        JSON.stringify(value, null, 2).slice(0, 2000),
    );
  }
}

/** Checks every line of `--ndjson` output against the schema `name` (its `ndjson` form). */
export function assertNdjsonMatchesSchema(name: string, text: string): void {
  for (const line of text.trimEnd().split("\n")) {
    assertMatchesSchema(`${name}.ndjson`, JSON.parse(line));
  }
}
