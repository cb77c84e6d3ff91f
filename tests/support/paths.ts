/** Path helpers for tests that run under both Deno and Bun. */
export { dirname, join } from "node:path";
export { fileURLToPath as fromFileUrl } from "node:url";
