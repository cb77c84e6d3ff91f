import { isTerminalFd } from "./bun_fd.ts";
import { BunOut } from "./bun_out.ts";
import { bunGlobal, runtimeName } from "./runtime.ts";

/** A standard stream netdiag writes to. */
export type OutStream = "stdout" | "stderr";

/**
 * The process's standard streams and environment, as the CLI and output layer see them.
 * Runtime specifics stay here: Deno writes synchronously (stdout text once a turn of the event
 * loop), Bun through `Bun.write` (its first `process.stdout.write` costs ~10 ms of start-up;
 * `Bun.write` does not). Either way, `flush` before the process exits.
 */
export interface Io {
  /** Writes text to a stream, in order with every other write to that stream. */
  write(stream: OutStream, text: string): void;
  /** Writes bytes to a stream, in order with every other write to that stream. */
  writeBytes(stream: OutStream, bytes: Uint8Array): Promise<void>;
  /** Resolves when every write so far has reached the operating system. */
  flush(): Promise<void>;
  /** Whether a stream is attached to a terminal. */
  isTerminal(stream: OutStream | "stdin"): boolean;
  /** An environment variable, or undefined. Only the variables netdiag reads are visible. */
  env(name: string): string | undefined;
  /** Standard input as a byte stream. */
  stdin(): ReadableStream<Uint8Array>;
}

const VISIBLE_ENV = ["NO_COLOR", "FORCE_COLOR", "TERM", "NETDIAG_DEBUG", "COLUMNS"] as const;

/** Creates the {@link Io} of the running process. */
export function processIo(): Io {
  return runtimeName === "deno" ? denoIo() : bunIo();
}

/** Text held for one write on Deno (see denoIo): at most this many UTF-16 units. */
const HELD_TEXT_UNITS = 64 * 1024;

function denoIo(): Io {
  const encoder = new TextEncoder();
  const target = (s: OutStream) => (s === "stdout" ? Deno.stdout : Deno.stderr);
  const broken = { stdout: false, stderr: false };
  const writeAllSync = (stream: OutStream, bytes: Uint8Array) => {
    if (broken[stream]) return;
    try {
      let off = 0;
      while (off < bytes.length) off += target(stream).writeSync(bytes.subarray(off));
    } catch (error) {
      // A reader that went away (`netdiag … | head -1`) is not an error worth a stack trace.
      if (error instanceof Deno.errors.BrokenPipe) broken[stream] = true;
      else throw error;
    }
  };
  // Text for stdout written during one turn of the event loop goes out in one write at the
  // start of the next (a batch prints a result per reply: one write each cost a quarter of a
  // 100k-name batch); anything else written first flushes it, so the order holds.
  let held = "";
  let scheduled = false;
  const flushHeld = () => {
    scheduled = false;
    if (held === "") return;
    const text = held;
    held = "";
    writeAllSync("stdout", encoder.encode(text));
  };
  return {
    write: (stream, text) => {
      if (stream === "stderr") {
        flushHeld();
        writeAllSync(stream, encoder.encode(text));
        return;
      }
      held += text;
      if (held.length >= HELD_TEXT_UNITS) flushHeld();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flushHeld);
      }
    },
    writeBytes: (stream, bytes) => {
      flushHeld();
      return Promise.resolve(writeAllSync(stream, bytes));
    },
    flush: () => Promise.resolve(flushHeld()),
    isTerminal: (s) => (s === "stdin" ? Deno.stdin : target(s)).isTerminal(),
    env: (name) => envAllowed(name) ? Deno.env.get(name) : undefined,
    stdin: () => Deno.stdin.readable,
  };
}

function envAllowed(name: string): boolean {
  return (VISIBLE_ENV as readonly string[]).includes(name);
}

function bunIo(): Io {
  const bun = bunGlobal()!;
  const out: Record<OutStream, BunOut> = {
    stdout: new BunOut(bun, bun.stdout, 1),
    stderr: new BunOut(bun, bun.stderr, 2),
  };
  // deno-lint-ignore no-process-global
  const proc = globalThis.process;
  return {
    write: (stream, text) => void out[stream].write(text),
    writeBytes: (stream, bytes) => out[stream].write(bytes),
    flush: async () => {
      await Promise.all([out.stdout.flush(), out.stderr.flush()]);
    },
    // isatty, not process.stdout.isTTY: touching process.stdout costs Bun ~10 ms of start-up.
    isTerminal: (s) => isTerminalFd(s === "stdin" ? 0 : s === "stdout" ? 1 : 2),
    env: (name) => envAllowed(name) ? proc.env[name] : undefined,
    stdin: () => {
      const bunStdin =
        (globalThis as { Bun?: { stdin?: { stream(): ReadableStream<Uint8Array> } } })
          .Bun?.stdin;
      return bunStdin!.stream();
    },
  };
}
