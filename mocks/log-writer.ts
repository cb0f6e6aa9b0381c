// Buffered log output, written off the request path. On Linux a write to a pipe or a file through
// process.stdout is a synchronous system call, so one `console.log` per request costs a syscall (and a
// stream's bookkeeping) on the request path. Lines are gathered here and written as one chunk per 16 KB
// or per 20 ms, whichever comes first, and whatever is left is written on exit, so nothing is lost
// when the process stops.
// (pino's sonic-boom does the same; it is not a direct dependency, and this is all we need of it.)
import fs from 'node:fs';

export interface LineWriter {
  /** Queues one line (without its newline). */
  line(text: string): void;
  /** Pino-style stream interface, for Fastify's JSON logger: `chunk` already ends with a newline. */
  write(chunk: string): boolean;
  /** Writes what is queued now, synchronously. */
  flushSync(): void;
  /** Flushes and stops flushing on exit (the server closed). */
  close(): void;
}

/** Writers still open, flushed by one exit listener (not one listener per server). */
const open = new Set<LineWriter>();
let exitHooked = false;

export interface LineWriterOptions {
  /** File descriptor to write to; default 1 (stdout). */
  fd?: number;
  /** Bytes gathered before a write is started at once; default 16 KB. */
  highWaterMark?: number;
  /** Longest a line waits, ms; default 20. */
  maxDelayMs?: number;
}

/**
 * @example
 * const out = createLineWriter();
 * out.line('GET /v1/collection_cases → 200 0.4ms req_1'); // written within 20 ms, or on exit
 */
export function createLineWriter({ fd = 1, highWaterMark = 16 * 1024, maxDelayMs = 20 }: LineWriterOptions = {}): LineWriter {
  let pending = '';
  let timer: NodeJS.Timeout | null = null;

  // One write(2) per batch, off the request path (from a timer, or once 16 KB have gathered). It is a
  // synchronous call so lines keep their order and the exit flush cannot overtake a write in progress.
  const flushSync = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    while (pending !== '') {
      try {
        const written = fs.writeSync(fd, pending);
        // writeSync counts bytes; most lines are ASCII, and the rare partial write of other text is re-encoded.
        pending = written >= Buffer.byteLength(pending) ? '' : Buffer.from(pending).subarray(written).toString();
      } catch (error) {
        // A full non-blocking pipe (a slow terminal or reader): keep the lines and try again shortly.
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') schedule();
        else pending = ''; // nowhere left to report a failing log; dropping it beats crashing the mock
        return;
      }
    }
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(flushSync, maxDelayMs);
    timer.unref();
  };

  const append = (text: string) => {
    pending += text;
    if (pending.length >= highWaterMark) flushSync();
    else schedule();
  };

  const writer: LineWriter = {
    line: (text) => append(`${text}\n`),
    write: (chunk) => {
      append(chunk);
      return true;
    },
    flushSync,
    close: () => {
      flushSync();
      open.delete(writer);
    },
  };
  open.add(writer);
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', () => {
      for (const w of open) w.flushSync();
    });
  }
  return writer;
}
