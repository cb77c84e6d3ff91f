/**
 * Splitting text input (stdin, a names file) into lines, for commands that take many names.
 * @module
 */

/**
 * Yields the lines of a byte stream as they arrive (UTF-8, `\n` or `\r\n`), trimmed, skipping
 * blank lines and `#` comments.
 */
export async function* inputLines(
  stream: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    const parts = rest.split("\n");
    rest = parts.pop() ?? "";
    for (const line of parts) {
      const item = cleanLine(line);
      if (item) yield item;
    }
  }
  const last = cleanLine(rest + decoder.decode());
  if (last) yield last;
}

/** The lines of a text, trimmed, without blank lines and `#` comments. */
export function textLines(text: string): string[] {
  return text.split("\n").map(cleanLine).filter((l): l is string => l !== undefined);
}

function cleanLine(line: string): string | undefined {
  const trimmed = line.trim();
  return trimmed && !trimmed.startsWith("#") ? trimmed : undefined;
}
