/** Runs python3 snippets for reference answers from CPython's socket module. */
import { execFile } from "node:child_process";

/** Runs `code` with python3 and parses its stdout as JSON. */
export function python<T = unknown>(code: string): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile("python3", ["-c", code], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python3 failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

/** Runs a command and returns its stdout. */
export function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}
