// Buffered log output, written off the request path. On Linux a write to a pipe or a file through
// process.stdout is a synchronous system call, so one `console.log` per request costs a syscall (and a
// stream's bookkeeping) on the request path. Lines are gathered here and written in batches of up to
// 16 KB, at once when 16 KB have gathered or after 20 ms, and whatever is left is written on exit.
//
// Bounded, and never blocking: the lines wait in a queue of chunks (no string re-flattened per line)
// of at most `maxQueuedBytes` (default 1 MB). A reader that stops reading (a full pipe answers EAGAIN:
// stdout is put in non-blocking mode) makes the queue fill; beyond the bound new lines are dropped and
// counted, and once writing works again one line says how many were lost. A write that fails for
// good (EPIPE: the reader is gone; ENOSPC: /dev/full or a full disk; EBADF) drops what is queued,
// counted the same way: a log that cannot be written never stops or crashes the mock.
// (pino's sonic-boom does much the same; it is not a direct dependency, and this is all we need of it.)
import fs from 'node:fs';

export interface LineWriter {
  /** Queues one line (without its newline). */
  line(text: string): void;
  /** Pino-style stream interface, for Fastify's JSON logger: `chunk` already ends with a newline. */
  write(chunk: string): boolean;
  /** Writes what is queued now, synchronously (as far as the reader takes it). */
  flushSync(): void;
  /** Flushes and stops flushing on exit (the server closed). */
  close(): void;
  /** Lines dropped and not yet reported by a "dropped" line. */
  readonly dropped: number;
  /** Characters waiting to be written. */
  readonly queued: number;
}

/** Writers still open, flushed by one exit listener (not one listener per server). */
const open = new Set<LineWriter>();
let exitHooked = false;

export const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;

export interface LineWriterOptions {
  /** File descriptor to write to; default 1 (stdout). */
  fd?: number;
  /** Bytes gathered before a write is started at once, and the most one write(2) carries; default 16 KB. */
  highWaterMark?: number;
  /** Longest a line waits, ms; default 20. */
  maxDelayMs?: number;
  /** Characters queued at most; beyond it lines are dropped and counted. Default 1 MB. */
  maxQueuedBytes?: number;
  /** The line that reports `count` dropped lines (without its newline); default plain text. */
  droppedLine?(count: number): string;
}

const defaultDroppedLine = (count: number) =>
  `casapay-mock: ${count} log line${count === 1 ? '' : 's'} dropped (the log output was not keeping up or failed)`;

/**
 * @example
 * const out = createLineWriter();
 * out.line('GET /api/things → 200 0.4ms req_1'); // written within 20 ms, or on exit
 */
export function createLineWriter({
  fd = 1,
  highWaterMark = 16 * 1024,
  maxDelayMs = 20,
  maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES,
  droppedLine = defaultDroppedLine,
}: LineWriterOptions = {}): LineWriter {
  // Make Node open stdout as it does for console.log: a pipe then becomes non-blocking, so a full pipe
  // answers EAGAIN instead of blocking the event loop in write(2).
  if (fd === 1) void process.stdout;
  if (fd === 2) void process.stderr;
  /** Lines not yet batched, each ending with its newline. */
  let chunks: string[] = [];
  /** The batch being written (the rest of it, after a partial write) and how many lines it holds. */
  let head: Buffer | null = null;
  let headLines = 0;
  let queued = 0;
  let queuedLines = 0;
  let dropped = 0;
  /** The count a queued "dropped" line reports (0 when none is queued): it is the head batch alone. */
  let notice = 0;
  /** The reader answered EAGAIN: no write is tried before the timer's, so a stall costs no syscall per line. */
  let blocked = false;
  let timer: NodeJS.Timeout | null = null;

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      blocked = false;
      flushSync();
    }, maxDelayMs);
    timer.unref();
  };

  /** The next batch: queued lines up to highWaterMark (at least one), or the dropped notice. */
  const nextBatch = (): boolean => {
    if (chunks.length === 0) {
      if (dropped === 0) return false;
      // The queue is empty and writing works: say what was lost, in place of the lost lines.
      chunks.push(`${droppedLine(dropped)}\n`);
      queued += chunks[0]!.length;
      queuedLines++;
      notice = dropped;
      dropped = 0;
    }
    let size = 0;
    let count = 0;
    while (count < chunks.length && (count === 0 || size + chunks[count]!.length <= highWaterMark))
      size += chunks[count++]!.length;
    const text = count === chunks.length ? chunks.join('') : chunks.slice(0, count).join('');
    chunks = count === chunks.length ? [] : chunks.slice(count);
    head = Buffer.from(text);
    headLines = count;
    // `queued` counts characters; the batch now counts in bytes.
    queued += head.length - text.length;
    return true;
  };

  /** Gives up on everything queued (the output failed for good), counting it as dropped. */
  const dropAll = () => {
    // A queued notice is not a log line of its own: what it would have reported is dropped again.
    dropped += queuedLines - (notice ? 1 : 0) + notice;
    notice = 0;
    chunks = [];
    head = null;
    headLines = 0;
    queued = 0;
    queuedLines = 0;
  };

  // One write(2) per batch, off the request path (from a timer, or once 16 KB have gathered). It is a
  // synchronous call so lines keep their order and the exit flush cannot overtake a write in progress.
  function flushSync(): void {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    for (;;) {
      if (head === null && !nextBatch()) return;
      const batch = head!;
      let written: number;
      try {
        written = fs.writeSync(fd, batch);
      } catch (error) {
        // A full non-blocking pipe (a slow or stalled reader): keep the lines and try again shortly.
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          blocked = true;
          schedule();
        } else dropAll(); // EPIPE, ENOSPC, EBADF, …: nowhere to write; dropping beats crashing the mock
        return;
      }
      queued -= written;
      if (written >= batch.length) {
        head = null;
        queuedLines -= headLines;
        headLines = 0;
        notice = 0;
      } else {
        head = batch.subarray(written);
      }
    }
  }

  const append = (text: string, lines: number) => {
    if (queued + text.length > maxQueuedBytes) {
      dropped += lines;
      schedule();
      return;
    }
    chunks.push(text);
    queued += text.length;
    queuedLines += lines;
    if (queued >= highWaterMark && !blocked) flushSync();
    else schedule();
  };

  const writer: LineWriter = {
    line: (text) => append(`${text}\n`, 1),
    write: (chunk) => {
      append(chunk, 1);
      return true;
    },
    flushSync,
    close: () => {
      flushSync();
      open.delete(writer);
    },
    get dropped() {
      return dropped;
    },
    get queued() {
      return queued;
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
