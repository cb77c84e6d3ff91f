/**
 * Lines from a byte stream as Go's bufio.Scanner gives them to blackbox_exporter's tcp prober:
 * split at `\n`, a trailing `\r` dropped, a last line without `\n` still a line, and a line over
 * 64 KiB an error.
 * @module
 */

/** The stream lines are read from. */
export interface ChunkSource {
  readChunk(): Promise<Uint8Array | null>;
}

/** The longest line read (bufio.MaxScanTokenSize). */
export const MAX_LINE_BYTES = 64 * 1024;

/** Reads lines (see the module). */
export class LineReader {
  #buf = "";
  #ended = false;
  readonly #decoder = new TextDecoder();

  /** @param source The stream. */
  constructor(readonly source: ChunkSource) {}

  /** The next line, or null at end of stream; rejects with the stream's error or for a line too long. */
  async line(): Promise<string | null> {
    while (true) {
      const i = this.#buf.indexOf("\n");
      if (i >= 0) {
        const line = this.#buf.slice(0, i);
        this.#buf = this.#buf.slice(i + 1);
        return line.endsWith("\r") ? line.slice(0, -1) : line;
      }
      if (this.#buf.length > MAX_LINE_BYTES) throw new Error("bufio.Scanner: token too long");
      if (this.#ended) {
        if (!this.#buf) return null;
        const last = this.#buf;
        this.#buf = "";
        return last.endsWith("\r") ? last.slice(0, -1) : last;
      }
      const chunk = await this.source.readChunk();
      if (chunk === null) {
        this.#ended = true;
        this.#buf += this.#decoder.decode();
      } else {
        this.#buf += this.#decoder.decode(chunk, { stream: true });
      }
    }
  }
}
