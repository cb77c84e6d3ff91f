/**
 * A minimal HTTP/1.1 client over a byte stream: writes one request and reads one response
 * (status line, headers up to a size bound, then a chunked, content-length or close-delimited
 * body, up to a byte cap), timing the first byte and the end.
 * @module
 */

/** The stream an HTTP exchange runs on (a Connection or a TlsConnection). */
export interface ByteStream {
  readChunk(): Promise<Uint8Array | null>;
  write(data: Uint8Array): Promise<void>;
}

/** A request. */
export interface HttpRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  /** The Host header's value. */
  readonly host: string;
  /** Extra headers, `Name: value`. */
  readonly headers?: readonly string[];
  /** A body, sent with a Content-Length unless the headers give one. */
  readonly body?: Uint8Array;
}

/** A response, as read. */
export interface HttpResponse {
  readonly httpVersion: string;
  readonly statusCode: number;
  readonly statusText: string;
  /** Header names lower case; repeated headers joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  /** Body bytes read (at most the cap; the first of them kept in `body`). */
  readonly bodyBytes: number;
  readonly body: Uint8Array;
  readonly bodyTruncated: boolean;
  /** performance.now() as the request was handed to the socket, at the first byte, at the end. */
  readonly sentAt: number;
  readonly firstByteAt: number;
  readonly endAt: number;
}

/** The response broke HTTP/1.1 (or the header block was over its bound). */
export class HttpProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HttpProtocolError";
  }
}

/** Largest header block read. */
export const MAX_HEADER_BYTES = 64 * 1024;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The request's bytes. */
export function formatRequest(req: HttpRequest): Uint8Array {
  const lines = [`${req.method} ${req.path || "/"} HTTP/1.1`];
  const given = new Set(
    (req.headers ?? []).map((h) => h.slice(0, h.indexOf(":")).trim().toLowerCase()),
  );
  if (!given.has("host")) lines.push(`Host: ${req.host}`);
  if (!given.has("user-agent")) lines.push("User-Agent: netdiag-check");
  if (!given.has("accept")) lines.push("Accept: */*");
  if (req.body && !given.has("content-length")) lines.push(`Content-Length: ${req.body.length}`);
  lines.push("Connection: close");
  for (const h of req.headers ?? []) {
    if (/[\r\n]/.test(h) || !h.includes(":")) {
      throw new TypeError(`invalid header ${JSON.stringify(h)}`);
    }
    lines.push(h);
  }
  const head = enc.encode(lines.join("\r\n") + "\r\n\r\n");
  if (!req.body?.length) return head;
  const out = new Uint8Array(head.length + req.body.length);
  out.set(head);
  out.set(req.body, head.length);
  return out;
}

/** Reads the stream with a small look-ahead buffer. */
class Reader {
  private buf = new Uint8Array(0);
  firstByteAt = 0;
  constructor(private readonly stream: ByteStream) {}

  /** Appends the next chunk; false at end of stream. */
  async more(): Promise<boolean> {
    const chunk = await this.stream.readChunk();
    if (chunk === null) return false;
    if (!this.firstByteAt) this.firstByteAt = performance.now();
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf);
    next.set(chunk, this.buf.length);
    this.buf = next;
    return true;
  }

  get buffered(): Uint8Array {
    return this.buf;
  }

  take(n: number): Uint8Array {
    const out = this.buf.slice(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** A CRLF-terminated line (without it), at most `max` bytes. */
  async line(max: number): Promise<string> {
    while (true) {
      const i = indexOfCrlf(this.buf);
      if (i >= 0) {
        const text = dec.decode(this.take(i));
        this.take(2);
        return text;
      }
      if (this.buf.length > max) throw new HttpProtocolError("line too long");
      if (!(await this.more())) throw new HttpProtocolError("connection closed mid-response");
    }
  }
}

function indexOfCrlf(b: Uint8Array, from = 0): number {
  for (let i = from; i + 1 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10) return i;
  return -1;
}

/** A response's status line and headers. */
interface ResponseHead {
  readonly httpVersion: string;
  readonly statusCode: number;
  readonly statusText: string;
  readonly headers: Map<string, string>;
}

/** Writes `req` and reads the response, keeping at most `maxBodyBytes` of body. */
export async function exchange(
  stream: ByteStream,
  req: HttpRequest,
  maxBodyBytes: number,
): Promise<HttpResponse> {
  const request = formatRequest(req);
  // curl's pretransfer: "just about to begin" the transfer, so the request's write is the server's.
  const sentAt = performance.now();
  await stream.write(request);
  const r = new Reader(stream);
  const head = await readHead(r);
  const sink = new BodySink(maxBodyBytes);
  const { statusCode, headers } = head;
  const noBody = req.method === "HEAD" || statusCode === 204 || statusCode === 304 ||
    statusCode === 101;
  const te = headers.get("transfer-encoding")?.toLowerCase();
  const cl = headers.get("content-length");
  if (noBody) {
    // nothing
  } else if (te && te.split(",").map((s) => s.trim()).includes("chunked")) {
    await readChunked(r, sink);
  } else if (cl !== undefined) {
    await readLength(r, sink, cl);
  } else {
    await readToEnd(r, sink);
  }
  return {
    ...head,
    bodyBytes: sink.bytes,
    body: sink.joined(),
    bodyTruncated: sink.truncated,
    sentAt,
    firstByteAt: r.firstByteAt,
    endAt: performance.now(),
  };
}

/** The status line and headers of the final response (1xx interim responses skipped). */
async function readHead(r: Reader): Promise<ResponseHead> {
  while (true) {
    const statusLine = await r.line(MAX_HEADER_BYTES);
    const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine);
    if (!m) {
      throw new HttpProtocolError(
        `not an HTTP response: ${JSON.stringify(statusLine.slice(0, 80))}`,
      );
    }
    const statusCode = Number(m[2]);
    const headers = await readHeaders(r);
    // Skip 1xx interim responses (100 Continue, 103 Early Hints).
    if (statusCode >= 200 || statusCode === 101) {
      return { httpVersion: m[1], statusCode, statusText: m[3] ?? "", headers };
    }
  }
}

/** Header lines up to the empty line: names lower case, repeats joined with ", ". */
async function readHeaders(r: Reader): Promise<Map<string, string>> {
  const headers = new Map<string, string>();
  let headerBytes = 0;
  while (true) {
    const line = await r.line(MAX_HEADER_BYTES - headerBytes);
    headerBytes += line.length + 2;
    if (headerBytes > MAX_HEADER_BYTES) throw new HttpProtocolError("header block over 64 KiB");
    if (line === "") return headers;
    const colon = line.indexOf(":");
    if (colon <= 0) {
      throw new HttpProtocolError(`bad header line ${JSON.stringify(line.slice(0, 80))}`);
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
}

/** Keeps body bytes up to a cap. */
class BodySink {
  private readonly kept: Uint8Array[] = [];
  bytes = 0;
  truncated = false;
  constructor(private readonly max: number) {}

  /** Keeps `b` (or what fits); false once the cap is reached (stop reading). */
  keep(b: Uint8Array): boolean {
    const room = this.max - this.bytes;
    if (b.length > room) {
      this.truncated = true;
      if (room > 0) this.kept.push(b.subarray(0, room));
      this.bytes = this.max;
      return false;
    }
    this.kept.push(b);
    this.bytes += b.length;
    return true;
  }

  /** The kept bytes in one array. */
  joined(): Uint8Array {
    const body = new Uint8Array(this.kept.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of this.kept) {
      body.set(b, at);
      at += b.length;
    }
    return body;
  }
}

/** A chunked body, then its trailers. */
async function readChunked(r: Reader, sink: BodySink): Promise<void> {
  while (true) {
    const sizeLine = await r.line(1024);
    const size = parseInt(sizeLine.split(";")[0].trim(), 16);
    if (!Number.isFinite(size) || size < 0) {
      throw new HttpProtocolError(`bad chunk size ${JSON.stringify(sizeLine)}`);
    }
    if (size === 0) {
      // Trailers until the empty line.
      for (let i = 0; i < 100; i++) if ((await r.line(MAX_HEADER_BYTES)) === "") return;
      return;
    }
    let left = size;
    while (left > 0) {
      if (!r.buffered.length && !(await r.more())) {
        throw new HttpProtocolError("connection closed mid-chunk");
      }
      const part = r.take(Math.min(left, r.buffered.length));
      left -= part.length;
      if (!sink.keep(part)) return;
    }
    await r.line(2);
  }
}

/** A body of `Content-Length` bytes. */
async function readLength(r: Reader, sink: BodySink, cl: string): Promise<void> {
  const total = Number(cl.split(",")[0].trim());
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new HttpProtocolError(`bad content-length ${JSON.stringify(cl)}`);
  }
  let left = total;
  while (left > 0) {
    if (!r.buffered.length && !(await r.more())) {
      throw new HttpProtocolError(`connection closed after ${total - left} of ${total} body bytes`);
    }
    const part = r.take(Math.min(left, r.buffered.length));
    left -= part.length;
    if (!sink.keep(part)) return;
  }
}

/** A body delimited by the end of the connection. */
async function readToEnd(r: Reader, sink: BodySink): Promise<void> {
  while (true) {
    if (r.buffered.length && !sink.keep(r.take(r.buffered.length))) return;
    if (!(await r.more())) return;
  }
}
