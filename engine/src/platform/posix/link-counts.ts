/**
 * Link counts of regular files for tree walks (Backend.linkCounter on POSIX).
 *
 * A scan lstat's every regular file only to read st_nlink (a hard-linked file has more than one
 * name); on a large tree that lstat is most of the run. The counter answers the first files on the
 * calling thread and, once a walk has shown itself to be large (SYNC_FIRST files), hands paths to one
 * worker thread in batches, so the syscalls run on a second core while the caller keeps listing
 * folders. The caller stays synchronous: results are read with receiveMessageOnPort and, when the
 * bounded queue is full or on flush, waited for with Atomics.wait on a counter the worker bumps.
 *
 * Order: answers are delivered in exactly the order the paths were asked, whichever thread did the
 * lstat. Memory: at most MAX_IN_FLIGHT batches of BATCH paths are outstanding.
 * If the worker cannot start, or stops answering, the remaining paths are lstat'ed here.
 */
import fs from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { LinkCounter, LinkCountSink } from '../types.js';

/**
 * pkg's single executable mounts its virtual file system over node:fs: every synchronous call with
 * a string path is first normalised twice and compared with /snapshot, which in a tree walk costs
 * more than the syscall itself. A Buffer path goes straight to Node's own call (the hook looks at
 * strings only) and names the same bytes. Outside pkg: the string as it is.
 */
export const osPath: (p: string) => string | Buffer =
  (process as { pkg?: unknown }).pkg !== undefined ? (p) => Buffer.from(p, 'utf8') : (p) => p;

const OPTS = { throwIfNoEntry: false } as const;

/** st_nlink of a regular file; undefined when it is gone, not a regular file, or unreadable. */
export function linkCountSync(p: string): number | undefined {
  try {
    const s = fs.lstatSync(osPath(p), OPTS);
    return s !== undefined && s.isFile() ? s.nlink : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Files answered on the calling thread before a worker is started: starting one blocks this thread
 * ~7 ms and takes the other core 50-100 ms until it answers, which only pays on large walks.
 * LINKTOOLS_SCAN_THREAD_AFTER overrides it (0: from the first file; a huge number: never).
 */
const SYNC_FIRST = envInt('LINKTOOLS_SCAN_THREAD_AFTER', 4096);
const BATCH = 2048;
const MAX_IN_FLIGHT = 8;
/** No answer from the worker for this long: stop using it and lstat the rest here. */
const STALL_MS = 60_000;

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : dflt;
}

// The worker: lstat each path of a batch (NUL-separated, NUL cannot occur in a path), answer one
// Float64Array of link counts (-1: gone, not a regular file, or unreadable), then bump the counter.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { port, flags } = workerData;
const opts = { throwIfNoEntry: false };
port.on('message', (batch) => {
  const paths = batch.split('\\0');
  const out = new Float64Array(paths.length);
  for (let i = 0; i < paths.length; i++) {
    let n = -1;
    try {
      const s = fs.lstatSync(Buffer.from(paths[i], 'utf8'), opts);
      if (s !== undefined && s.isFile()) n = s.nlink;
    } catch {}
    out[i] = n;
  }
  port.postMessage(out, [out.buffer]);
  Atomics.add(flags, 1, 1);
  Atomics.notify(flags, 1);
});
Atomics.store(flags, 0, 1);
Atomics.notify(flags, 0);
`;

/** Modes: answering here; worker starting (answering here meanwhile); worker answering. */
const SYNC = 0;
const STARTING = 1;
const THREADED = 2;

export class PosixLinkCounter implements LinkCounter {
  private mode: number = SYNC;
  private asked = 0;
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  /** [0] worker ready, [1] batches answered. */
  private flags: Int32Array | null = null;
  private cur: string[] = [];
  private readonly inFlight: string[][] = [];

  constructor(
    private readonly onCount: LinkCountSink,
    private readonly syncFirst = SYNC_FIRST,
  ) {}

  ask(p: string): void {
    if (this.mode === THREADED) {
      this.cur.push(p);
      if (this.cur.length >= BATCH) this.post();
      return;
    }
    if (this.mode === STARTING && Atomics.load(this.flags!, 0) === 1) {
      this.mode = THREADED;
      this.ask(p);
      return;
    }
    this.onCount(p, linkCountSync(p));
    if (++this.asked >= this.syncFirst && this.mode === SYNC) this.start();
  }

  /** Paths answered by the worker thread so far (the rest were lstat'ed on the calling thread). */
  answeredByWorker = 0;

  /**
   * Start the worker now instead of after `syncFirst` files, and block until it is ready or
   * `timeoutMs` has passed (for tests). True when it is ready.
   */
  startNow(timeoutMs = 5000): boolean {
    if (this.mode === SYNC && this.asked >= 0) this.start();
    const t0 = Date.now();
    while (this.mode === STARTING && Atomics.load(this.flags!, 0) !== 1 && Date.now() - t0 < timeoutMs) Atomics.wait(this.flags!, 0, 0, 10);
    if (this.mode === STARTING && Atomics.load(this.flags!, 0) === 1) this.mode = THREADED;
    return this.mode === THREADED;
  }

  flush(): void {
    if (this.cur.length > 0) this.post(false);
    while (this.inFlight.length > 0) this.waitOne();
  }

  close(): void {
    this.flush();
    this.stop();
  }

  private start(): void {
    try {
      const { port1, port2 } = new MessageChannel();
      const flags = new Int32Array(new SharedArrayBuffer(8));
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flags }, transferList: [port2] });
      w.unref();
      w.on('error', () => {}); // a dead worker is noticed by its silence (see waitOne)
      this.worker = w;
      this.port = port1;
      this.flags = flags;
      this.mode = STARTING;
    } catch {
      this.mode = SYNC; // no threads here: stay on this one, and do not try again
      this.asked = Number.NEGATIVE_INFINITY;
    }
  }

  private stop(): void {
    this.port?.close();
    void this.worker?.terminate();
    this.worker = null;
    this.port = null;
    this.mode = SYNC;
  }

  private post(bounded = true): void {
    const batch = this.cur;
    this.cur = [];
    this.inFlight.push(batch);
    this.port!.postMessage(batch.join('\0'));
    this.deliverReady();
    if (bounded) while (this.inFlight.length >= MAX_IN_FLIGHT) this.waitOne();
  }

  /** Deliver every answer already in, oldest first. */
  private deliverReady(): void {
    for (let m = this.port && receiveMessageOnPort(this.port); m; m = this.port && receiveMessageOnPort(this.port)) {
      this.deliver(m.message as Float64Array);
    }
  }

  private deliver(counts: Float64Array): void {
    const paths = this.inFlight.shift()!;
    this.answeredByWorker += paths.length;
    for (let i = 0; i < paths.length; i++) {
      const n = counts[i]!;
      this.onCount(paths[i]!, n < 0 ? undefined : n);
    }
  }

  /** Block until the oldest batch in flight is answered (or answer it here if the worker is gone). */
  private waitOne(): void {
    const before = this.inFlight.length;
    const t0 = Date.now();
    while (this.inFlight.length === before) {
      const posted = Atomics.load(this.flags!, 1);
      this.deliverReady();
      if (this.inFlight.length !== before) return;
      if (Date.now() - t0 > STALL_MS) {
        this.abandonWorker();
        return;
      }
      Atomics.wait(this.flags!, 1, posted, 100);
    }
  }

  private abandonWorker(): void {
    const rest = this.inFlight.splice(0);
    const cur = this.cur;
    this.cur = [];
    this.stop();
    this.asked = Number.NEGATIVE_INFINITY; // never start another (asked >= syncFirst never holds again)
    for (const batch of rest) for (const p of batch) this.onCount(p, linkCountSync(p));
    for (const p of cur) this.onCount(p, linkCountSync(p));
  }
}
