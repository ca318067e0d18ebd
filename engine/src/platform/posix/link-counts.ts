/**
 * Link counts of regular files for tree walks (Backend.linkCounter on POSIX).
 *
 * A scan lstat's every regular file only to read st_nlink (a hard-linked file has more than one
 * name); on a large tree that lstat is most of the run. The counter answers the first files on the
 * calling thread and, once a walk has shown itself to be large (SYNC_FIRST files), hands paths to one
 * worker thread in batches, so the syscalls run on a second core while the caller keeps listing
 * folders. The caller stays synchronous: results are read with receiveMessageOnPort. The worker
 * only ever helps: when it is behind (MAX_IN_FLIGHT batches unanswered, e.g. its core is busy with
 * another process) the calling thread answers the next batch itself, and on flush it takes the
 * unanswered batches from the back while the worker works from the front; it waits (Atomics.wait on
 * a counter the worker bumps) only for the one batch the worker is on.
 *
 * Order: answers are delivered in exactly the order the paths were asked, whichever thread did the
 * lstat. Memory: at most MAX_IN_FLIGHT batches of BATCH paths are with the worker.
 * If the worker cannot start, or stops answering for STALL_MS, the rest is lstat'ed here.
 */
import fs from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { fsPath, nameToBytes } from '../pathbytes.js';
import type { LinkCounter, LinkCountSink } from '../types.js';

/**
 * pkg's single executable mounts its virtual file system over node:fs: every synchronous call with
 * a string path is first normalised twice and compared with /snapshot, which in a tree walk costs
 * more than the syscall itself. A Buffer path goes straight to Node's own call (the hook looks at
 * strings only) and names the same bytes. Outside pkg: the string as it is. Either way a name
 * carrying escaped bytes (../pathbytes.ts) goes to the OS as its exact bytes.
 */
export const osPath: (p: string) => string | Buffer = (process as { pkg?: unknown }).pkg !== undefined ? (p) => nameToBytes(p) : (p) => fsPath(p);

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
  /** Batches in the order asked, answered or not. */
  private readonly queue: Batch[] = [];
  /** Batches posted to the worker and not answered by it yet, in the order posted (its answers come in that order). */
  private readonly posted: Batch[] = [];

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
    if (this.cur.length > 0) {
      if (this.mode === THREADED) this.post();
      else for (const p of this.cur.splice(0)) this.onCount(p, linkCountSync(p));
    }
    this.drain();
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
      w.on('error', () => {}); // a dead worker is noticed by its silence (see waitForWorker)
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

  /** Send the current batch to the worker, or answer it here when the worker is behind. */
  private post(): void {
    const batch: Batch = { paths: this.cur, counts: null, byWorker: false };
    this.cur = [];
    if (this.posted.length >= MAX_IN_FLIGHT) batch.counts = countHere(batch.paths);
    else {
      this.posted.push(batch);
      this.port!.postMessage(batch.paths.join('\0'));
    }
    this.queue.push(batch);
    this.deliverReady();
  }

  /** Take in the worker's answers (in the order posted), then deliver every batch answered at the head. */
  private deliverReady(): void {
    for (let m = this.port && receiveMessageOnPort(this.port); m; m = this.port && receiveMessageOnPort(this.port)) {
      const b = this.posted.shift()!;
      if (b.counts === null) {
        b.counts = m.message as Float64Array;
        b.byWorker = true;
      } // else this thread answered it meanwhile: the worker's answer is dropped
    }
    while (this.queue.length > 0 && this.queue[0]!.counts !== null) {
      const b = this.queue.shift()!;
      const counts = b.counts!;
      if (b.byWorker) this.answeredByWorker += b.paths.length;
      for (let i = 0; i < b.paths.length; i++) {
        const n = counts[i]!;
        this.onCount(b.paths[i]!, n < 0 ? undefined : n);
      }
    }
  }

  /** Deliver everything: the worker works from the front, this thread takes batches from the back. */
  private drain(): void {
    for (;;) {
      this.deliverReady();
      if (this.queue.length === 0) return;
      let last = -1;
      for (let i = this.queue.length - 1; i > 0; i--) {
        if (this.queue[i]!.counts === null) {
          last = i;
          break;
        }
      }
      if (last > 0) this.queue[last]!.counts = countHere(this.queue[last]!.paths);
      else this.waitForWorker(); // only the head is left, and the worker is on it
    }
  }

  /** Block until the worker answers one more batch (or answer everything here if it went silent). */
  private waitForWorker(): void {
    const t0 = Date.now();
    const seen = Atomics.load(this.flags!, 1);
    while (Atomics.load(this.flags!, 1) === seen) {
      if (Date.now() - t0 > STALL_MS) {
        for (const b of this.queue) if (b.counts === null) b.counts = countHere(b.paths);
        this.stop();
        this.asked = Number.NEGATIVE_INFINITY; // never start another (asked >= syncFirst never holds again)
        return;
      }
      Atomics.wait(this.flags!, 1, seen, 100);
    }
  }
}

interface Batch {
  paths: string[];
  /** Null while the worker has it. */
  counts: Float64Array | null;
  byWorker: boolean;
}

function countHere(paths: string[]): Float64Array {
  const out = new Float64Array(paths.length);
  for (let i = 0; i < paths.length; i++) out[i] = linkCountSync(paths[i]!) ?? -1;
  return out;
}
