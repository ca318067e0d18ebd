/**
 * The second core for directory-handle walks (issue 12 item 2): a worker thread that walks the
 * subtrees a LinuxDirWalker hands it, by handle, and streams back what the walk will ask about them.
 *
 * What the worker does per folder, exactly as dirfd-walk.ts would on the calling thread: openat the
 * folder relative to its parent's handle (O_DIRECTORY | O_NOFOLLOW), getdents64 until the end, drop
 * "." and ".." and (when only hard-linked files are wanted) every regular file with one name, sort by
 * name bytes, statx what the walk will stat (links, regular files kept, entries of unknown type),
 * readlinkat what is a link, then enter the subfolders in the order the walk pops them (depth first,
 * the last name first). Handles are its own: a folder is closed once its subfolders are opened; at
 * most MAX_OPEN are open and the oldest is closed and reopened by name from its parent, checked to
 * be the same folder (device, inode), as dirfd-walk.ts does. A handed-off subtree's root is opened
 * relative to the calling thread's handle of its parent, which the walker keeps open (pinned) until
 * the worker says that subtree is finished.
 *
 * Race-free as before: every call names one entry relative to a handle held open; nothing is
 * re-resolved by path. The calling thread consumes the records in walk order, so output, order and
 * errors are the same as a walk on one thread (each error is raised where the walk asks, with the
 * path it knows). Memory: records travel in chunks of about CHUNK_BYTES; at most MAX_AHEAD chunks are
 * unread before the worker waits, so the worker is never more than ~2 MB ahead.
 *
 * Record layout (little-endian, each record 4-byte aligned), in walk order:
 *   u32 length | u8 kind | u8 flags | u16 nameLength | i32 errno | i32 seq | i32 parentSeq | i32 task
 *   | u32 depth | u32 total | u32 count | the folder's name bytes (padded to 4) | count entries
 * kind: 1 folder listed, 2 open failed, 3 listing failed, 4 end of a task. flags bit 0: the parent
 * had to be reopened and was no longer the same folder. An entry: u8 type | u8 info | u16 nameLength
 * | name | [info bit 0 or 1: i32 errno, then 144 bytes of statx when errno is 0] | [info bit 2:
 * i32 errno, then u32 length + the link's target bytes when errno is 0]. Types: 0 file, 1 folder,
 * 2 link, 3 unknown, 4 special.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import fs from 'node:fs';

export const REC = { FOLDER: 1, OPEN_FAILED: 2, LIST_FAILED: 3, END_TASK: 4 } as const;
export const ENTRY_TYPES = ['file', 'directory', 'link', 'unknown', 'special'] as const;
/** Bytes of statx copied per stat'ed entry (up to and including stx_dev_minor). */
export const STATX_COPY = 144;
const HEADER = 40;

let foldersFromWorkers = 0;

/** Folder records this process took from prefetch workers so far (for tests: was the worker used?). */
export function prefetchedFolders(): number {
  return foldersFromWorkers;
}

/** Control words shared with the worker (Int32Array indexes). */
const IX = { READY: 0, POSTED: 1, TAKEN: 2, TASKS: 3, STOP: 4, STOPPED: 5, BUSY: 6 } as const;
const CHUNK_BYTES = 64 * 1024;
const CHUNK_FOLDERS = 64;
const MAX_AHEAD = 32;
const MAX_OPEN = 128;
/**
 * No answer from the worker, and no sign of it reading a folder, for this long while the walk waits
 * on it: give up on it (LINKTOOLS_PREFETCH_STALL_MS, for tests; read when a worker is started).
 */
function stallMs(): number {
  const n = Number(process.env.LINKTOOLS_PREFETCH_STALL_MS);
  return Number.isInteger(n) && n > 0 ? n : 60_000;
}
const YOUNG_MB = Number(process.env.LT_YOUNG ?? 1);
const DEBUG = process.env.LINKTOOLS_PREFETCH_DEBUG === '1';

export interface PrefetchTask {
  id: number;
  /** The calling thread's handle of the subtree root's parent (kept open until the task ends). */
  parentFd: number;
  /** The subtree root's name in that parent, NUL-terminated. */
  cname: Buffer;
  /** Depth of the subtree root (the walk's numbering), the walk's depth limit, what files are wanted. */
  depth: number;
  maxDepth: number;
  linked: boolean;
}

/** One record of the stream (a view into its chunk). */
export interface PrefetchRecord {
  kind: number;
  flags: number;
  errno: number;
  seq: number;
  parentSeq: number;
  task: number;
  depth: number;
  total: number;
  count: number;
  name: Buffer;
  /** The chunk and where this record's entries start and the record ends. */
  buf: Buffer;
  entriesAt: number;
  end: number;
}

/**
 * The address where the process mapped koffi's native addon, for the worker to load the same file
 * (a packaged engine places it in a private folder first; see ../native-addon.ts). Null when not found.
 */
function koffiAddonPath(): string | null {
  try {
    for (const line of fs.readFileSync('/proc/self/maps', 'latin1').split('\n')) {
      const at = line.indexOf('/');
      if (at < 0) continue;
      let file = line.slice(at);
      if (file.endsWith(' (deleted)')) file = file.slice(0, -10);
      if (/koffi[^/]*\.node$/.test(file)) return file;
    }
  } catch {
    /* no /proc: no worker */
  }
  return null;
}

/** The worker thread's program (run from its source text: it may use nothing from this module). */
function prefetchWorker(): void {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const wt = require('node:worker_threads');
  const { ctlBuf, port, addon, ix, chunkBytes, chunkFolders, maxAhead, maxOpen, statxCopy } = wt.workerData;
  const ctl = new Int32Array(ctlBuf);
  // Counted up while a folder is being read: the walk waiting on a long listing sees the worker is busy, not stuck.
  const beat = (): void => void Atomics.add(ctl, ix.BUSY, 1);
  const O_FLAGS = 0o200000 | 0o400000 | 0o2000000; // O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
  const SX_FLAGS = 0x100 | 0x4000; // AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC
  const SX_MASK = 0x1 | 0x2 | 0x4 | 0x100 | 0x200 | 0x40;
  const AT_EMPTY_PATH = 0x1000;
  const S_IFMT = 0o170000;
  const S_IFDIR = 0o040000;
  const S_IFREG = 0o100000;
  const S_IFLNK = 0o120000;
  let c: any;
  const dents = Buffer.alloc(64 * 1024);
  const sx = Buffer.alloc(256);
  const sx32 = new Uint32Array(sx.buffer, sx.byteOffset, 64);
  const sx16 = new Uint16Array(sx.buffer, sx.byteOffset, 128);
  let linkBuf = Buffer.alloc(4096);
  const EMPTY = Buffer.from([0]);
  let dentsAddr = 0;
  let sxAddr = 0;
  try {
    const m = { exports: {} as any };
    process.dlopen(m, addon);
    const lib = m.exports.load('libc.so.6');
    const memset = lib.func('intptr_t memset(void *, int, size_t)');
    c = {
      openat: lib.func('int openat(int, const void *, int)'),
      getdents: lib.func('long getdents64(int, intptr_t, size_t)'),
      statx: lib.func('int statx(int, intptr_t, int, unsigned int, intptr_t)'),
      statxB: lib.func('int statx(int, const void *, int, unsigned int, void *)'),
      readlinkat: lib.func('long readlinkat(int, const void *, void *, size_t)'),
      close: lib.func('int close(int)'),
      errno: () => m.exports.errno() as number,
    };
    dentsAddr = Number(memset(dents, 0, 0));
    sxAddr = Number(memset(sx, 0, 0));
    if (!(dentsAddr > 0 && sxAddr > 0)) throw new Error('no buffer addresses');
  } catch {
    Atomics.store(ctl, ix.READY, -1);
    Atomics.notify(ctl, ix.READY);
    return;
  }
  Atomics.store(ctl, ix.READY, 1);
  Atomics.notify(ctl, ix.READY);

  // ---- the outgoing chunk ----
  let out = Buffer.alloc(chunkBytes);
  let used = 0;
  let folders = 0;
  let posted = 0;
  const room = (n: number): void => {
    if (used + n <= out.length) return;
    const bigger = Buffer.alloc(Math.max(out.length * 2, used + n));
    out.copy(bigger, 0, 0, used);
    out = bigger;
  };
  const flush = (): void => {
    if (used === 0) return;
    // Wait while the walk has MAX_AHEAD chunks unread (it reads them in order, so memory stays bounded).
    for (;;) {
      if (Atomics.load(ctl, ix.STOP) !== 0) return;
      const taken = Atomics.load(ctl, ix.TAKEN);
      if (posted - taken < maxAhead) break;
      Atomics.wait(ctl, ix.TAKEN, taken, 1000);
    }
    const ab = out.buffer.slice(out.byteOffset, out.byteOffset + used);
    port.postMessage(ab, [ab]);
    posted++;
    Atomics.store(ctl, ix.POSTED, posted);
    Atomics.notify(ctl, ix.POSTED);
    out = Buffer.alloc(chunkBytes);
    used = 0;
    folders = 0;
  };
  const header = (kind: number, flags: number, errno: number, seq: number, parentSeq: number, task: number, depth: number, name: Buffer): number => {
    const nameLen = name.length - 1; // without the NUL
    room(40 + nameLen + 4);
    const at = used;
    out.writeUInt8(kind, at + 4);
    out.writeUInt8(flags, at + 5);
    out.writeUInt16LE(nameLen, at + 6);
    out.writeInt32LE(errno, at + 8);
    out.writeInt32LE(seq, at + 12);
    out.writeInt32LE(parentSeq, at + 16);
    out.writeInt32LE(task, at + 20);
    out.writeUInt32LE(depth, at + 24);
    out.writeUInt32LE(0, at + 28);
    out.writeUInt32LE(0, at + 32);
    name.copy(out, at + 40, 0, nameLen);
    used = at + 40 + ((nameLen + 3) & ~3);
    return at;
  };
  const finish = (at: number): void => {
    used = (used + 3) & ~3;
    out.writeUInt32LE(used - at, at);
    folders++;
    if (used >= chunkBytes || folders >= chunkFolders) flush();
  };

  // ---- folders and their handles ----
  interface WDir {
    fd: number;
    parent: WDir | null;
    parentFd: number; // for a task root: the walk's handle of its parent
    cname: Buffer;
    pending: number;
    listed: boolean;
    dev: bigint;
    ino: bigint;
    // Opened and not finished; a folder stays open (or evicted with its identity) while a subfolder is live.
    live: boolean;
    liveKids: number;
  }
  const open = new Set<WDir>();
  const idOf = (): [bigint, bigint] => [(BigInt(sx.readUInt32LE(136)) << 32n) | BigInt(sx.readUInt32LE(140)), sx.readBigUInt64LE(32)];
  const closeFd = (d: WDir): void => {
    if (d.fd >= 0) {
      c.close(d.fd);
      d.fd = -1;
      open.delete(d);
    }
  };
  // A loop, not a call per level: a chain may be deeper than the stack.
  const finishIfDone = (d: WDir | null): void => {
    while (d && d.live && d.pending <= 0 && d.listed && d.liveKids <= 0) {
      d.live = false;
      closeFd(d);
      d = d.parent;
      if (d) d.liveKids--;
    }
  };
  const release = (d: WDir | null): void => {
    if (!d) return;
    d.pending--;
    finishIfDone(d);
  };
  /** Open `d` (again): 0, an errno, or -1 when it is no longer the folder that was closed. */
  const reopen = (d: WDir, first: boolean): number => {
    if (d.parent && d.parent.fd < 0) {
      const r = reopen(d.parent, false);
      if (r !== 0) return r;
    }
    while (open.size >= maxOpen) {
      let victim: WDir | null = null;
      for (const o of open) {
        if (o !== d.parent) {
          victim = o;
          break;
        }
      }
      if (!victim) break;
      if (c.statxB(victim.fd, EMPTY, AT_EMPTY_PATH | SX_FLAGS, SX_MASK, sx) === 0) [victim.dev, victim.ino] = idOf();
      closeFd(victim);
    }
    const fd = c.openat(d.parent ? d.parent.fd : d.parentFd, d.cname, O_FLAGS);
    if (fd < 0) return c.errno();
    if (!first) {
      let same = c.statxB(fd, EMPTY, AT_EMPTY_PATH | SX_FLAGS, SX_MASK, sx) === 0;
      if (same) {
        const [dev, ino] = idOf();
        same = dev === d.dev && ino === d.ino;
      }
      if (!same) {
        c.close(fd);
        return -1;
      }
    }
    d.fd = fd;
    open.add(d);
    if (first) {
      d.live = true;
      if (d.parent) d.parent.liveKids++;
    }
    return 0;
  };

  // ---- one folder: list, stat, read links, write its record ----
  interface Ent {
    name: string;
    raw: Buffer | null; // exact bytes when not ASCII
    dt: number;
    type: number;
    statErr: number; // -1: not stat'ed
    stat: Buffer | null;
    linkErr: number; // -1: not read
    link: Buffer | null;
  }
  const fullStat = (fd: number, e: Ent, nameAt: number): void => {
    // nameAt >= 0: the name is still NUL-terminated in `dents` at that offset.
    const rc = nameAt >= 0 ? c.statx(fd, dentsAddr + nameAt, SX_FLAGS, SX_MASK, sxAddr) : c.statxB(fd, nameBytes(e), SX_FLAGS, SX_MASK, sx);
    if (rc !== 0) {
      e.statErr = c.errno();
      return;
    }
    e.statErr = 0;
    e.stat = Buffer.from(sx.subarray(0, statxCopy));
  };
  const nameBytes = (e: Ent): Buffer => {
    const b = e.raw ?? Buffer.from(e.name, 'latin1');
    const z = Buffer.alloc(b.length + 1);
    b.copy(z);
    return z;
  };
  const readLink = (fd: number, e: Ent): void => {
    const n = nameBytes(e);
    for (;;) {
      const len = c.readlinkat(fd, n, linkBuf, linkBuf.length);
      if (len < 0) {
        e.linkErr = c.errno();
        return;
      }
      if (len < linkBuf.length) {
        e.linkErr = 0;
        e.link = Buffer.from(linkBuf.subarray(0, len));
        return;
      }
      linkBuf = Buffer.alloc(linkBuf.length * 2);
    }
  };

  let seq = 0;
  const runTask = (t: any): void => {
    const stack: { parent: WDir | null; cname: Buffer; depth: number; parentSeq: number }[] = [{ parent: null, cname: Buffer.from(t.cname), depth: t.depth, parentSeq: -1 }];
    while (stack.length > 0) {
      if (Atomics.load(ctl, ix.STOP) !== 0) return;
      const item = stack.pop()!;
      const mySeq = seq++;
      const d: WDir = { fd: -1, parent: item.parent, parentFd: t.parentFd, cname: item.cname, pending: 0, listed: false, dev: 0n, ino: 0n, live: false, liveKids: 0 };
      const r = reopen(d, true);
      release(item.parent);
      if (r !== 0) {
        const at = header(2, r === -1 ? 1 : 0, r === -1 ? 0 : r, mySeq, item.parentSeq, t.id, item.depth, item.cname);
        finish(at);
        continue;
      }
      // The listing.
      const ents: Ent[] = [];
      let total = 0;
      let listErr = 0;
      let raw8 = false;
      for (;;) {
        const n = c.getdents(d.fd, dentsAddr, dents.length);
        beat();
        // Asked to stop inside a large folder: leave now (the handles are closed on the way out).
        if (Atomics.load(ctl, ix.STOP) !== 0) return;
        if (n < 0) {
          listErr = c.errno();
          break;
        }
        if (n === 0) break;
        for (let off = 0; off < n;) {
          const reclen = dents[off + 16]! | (dents[off + 17]! << 8);
          const dt = dents[off + 18]!;
          const start = off + 19;
          off += reclen;
          if (dents[start] === 0x2e && (dents[start + 1] === 0 || (dents[start + 1] === 0x2e && dents[start + 2] === 0))) continue;
          total++;
          let keepStat: Buffer | null = null;
          let firstErr = false;
          if (dt === 8) {
            if (!t.linked) continue;
            const rc = c.statx(d.fd, dentsAddr + start, SX_FLAGS, SX_MASK, sxAddr);
            if (rc === 0) {
              if ((sx16[14]! & S_IFMT) === S_IFREG && sx32[4] === 1) continue;
              keepStat = Buffer.from(sx.subarray(0, statxCopy));
            } else firstErr = true;
          }
          let end = start;
          while (dents[end] !== 0) end++;
          let ascii = true;
          for (let i = start; i < end; i++) {
            if (dents[i]! >= 0x80) {
              ascii = false;
              break;
            }
          }
          const e: Ent = {
            name: ascii ? dents.toString('latin1', start, end) : '',
            raw: ascii ? null : Buffer.from(dents.subarray(start, end)),
            dt,
            type: dt === 8 ? 0 : dt === 4 ? 1 : dt === 10 ? 2 : dt === 0 ? 3 : 4,
            statErr: -1,
            stat: null,
            linkErr: -1,
            link: null,
          };
          if (!ascii) raw8 = true;
          // What the walk will stat: links, unknown types, regular files kept; the first stat of a
          // kept file is its stat (the walk asks again only when that first one failed).
          if (keepStat) {
            e.statErr = 0;
            e.stat = keepStat;
          } else if (dt === 10 || dt === 0 || firstErr) fullStat(d.fd, e, start);
          ents.push(e);
        }
      }
      d.listed = true;
      if (listErr !== 0) {
        const at = header(3, 0, listErr, mySeq, item.parentSeq, t.id, item.depth, item.cname);
        finish(at);
        finishIfDone(d);
        continue;
      }
      beat();
      if (raw8) {
        const key = (e: Ent) => e.raw ?? Buffer.from(e.name, 'latin1');
        ents.sort((a, b) => Buffer.compare(key(a), key(b)));
      } else ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const at = header(1, 0, 0, mySeq, item.parentSeq, t.id, item.depth, item.cname);
      out.writeUInt32LE(total, at + 28);
      out.writeUInt32LE(ents.length, at + 32);
      const childDepth = item.depth + 1;
      const subs: Buffer[] = [];
      beat();
      for (let i = 0; i < ents.length; i++) {
        const e = ents[i]!;
        if ((i & 1023) === 1023) beat();
        if (e.statErr === 0 && (e.stat!.readUInt16LE(28) & S_IFMT) === S_IFLNK) readLink(d.fd, e);
        const len = e.raw ? e.raw.length : e.name.length;
        room(4 + len + 4 + statxCopy + 8 + (e.link ? e.link.length : 0) + 4);
        let info = 0;
        if (e.statErr >= 0) info |= 1;
        if (e.linkErr >= 0) info |= 4;
        out[used] = e.type;
        out[used + 1] = info;
        out[used + 2] = len & 0xff;
        out[used + 3] = len >> 8;
        const nameAt = used + 4;
        if (e.raw) e.raw.copy(out, nameAt);
        else out.write(e.name, nameAt, len, 'latin1');
        used = nameAt + len;
        if (e.statErr >= 0) {
          out.writeInt32LE(e.statErr, used);
          used += 4;
          if (e.statErr === 0) {
            e.stat!.copy(out, used);
            used += statxCopy;
          }
        }
        if (e.linkErr >= 0) {
          out.writeInt32LE(e.linkErr, used);
          used += 4;
          if (e.linkErr === 0) {
            out.writeUInt32LE(e.link!.length, used);
            e.link!.copy(out, used + 4);
            used += 4 + e.link!.length;
          }
        }
        // The walk enters folders, and entries of unknown type that stat as folders, above its depth limit.
        const isDir = e.type === 1 || (e.type === 3 && e.statErr === 0 && (e.stat!.readUInt16LE(28) & S_IFMT) === S_IFDIR);
        if (isDir && childDepth < t.maxDepth) {
          const z = Buffer.alloc(len + 1);
          out.copy(z, 0, nameAt, nameAt + len);
          subs.push(z);
        }
      }
      finish(at);
      d.pending = subs.length;
      for (const z of subs) stack.push({ parent: d, cname: z, depth: childDepth, parentSeq: mySeq });
      finishIfDone(d);
    }
  };

  // ---- the task loop ----
  const tasks: any[] = [];
  try {
    for (;;) {
      if (Atomics.load(ctl, ix.STOP) !== 0) break;
      if (tasks.length === 0) {
        flush();
        const seen = Atomics.load(ctl, ix.TASKS);
        const m = wt.receiveMessageOnPort(port);
        if (m) {
          for (const t of m.message) tasks.push(t);
          continue;
        }
        Atomics.wait(ctl, ix.TASKS, seen, 1000);
        continue;
      }
      const t = tasks.shift();
      runTask(t);
      const at = header(4, 0, 0, -1, -1, t.id, 0, EMPTY);
      finish(at);
    }
  } finally {
    for (const d of [...open]) closeFd(d);
    Atomics.store(ctl, ix.STOPPED, 1);
    Atomics.notify(ctl, ix.STOPPED);
  }
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

const WORKER_SOURCE = `(${prefetchWorker.toString()})();`;

/**
 * The walk's side of the worker: start it (asynchronously: ready() says when it can take tasks),
 * hand it subtrees, read its records in order, stop it.
 */
export class Prefetcher {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(64));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private chunk: Buffer | null = null;
  private at = 0;
  private taken = 0;
  private tasksSent = 0;
  private peeked: PrefetchRecord | null = null;
  failed = false;
  private waitMs = 0;
  private waits = 0;
  private readonly stallMs = stallMs();

  private constructor(addon: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ctlBuf: this.ctl.buffer, port: port2, addon, ix: IX, chunkBytes: CHUNK_BYTES, chunkFolders: CHUNK_FOLDERS, maxAhead: MAX_AHEAD, maxOpen: MAX_OPEN, statxCopy: STATX_COPY },
      transferList: [port2],
      // A small young generation (the worker keeps one folder and one chunk at a time), and no cap on
      // the old one: one folder is held whole, and a folder of 100,000 links needs more than 32 MB (a
      // worker stopped by its heap limit ends without a word: the walk waited 60 s, then lost the folder).
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, stackSizeMb: 4 },
    });
    this.worker.unref();
    this.worker.on('error', () => {
      this.failed = true;
    });
  }

  /** A started worker, or null when it cannot be (no koffi addon to load, no threads). */
  static start(): Prefetcher | null {
    const addon = koffiAddonPath();
    if (!addon) return null;
    try {
      return new Prefetcher(addon);
    } catch {
      return null;
    }
  }

  /** 1 ready, 0 still starting, -1 it could not load its native calls. */
  readyState(): number {
    return Atomics.load(this.ctl, IX.READY);
  }

  /** Wait up to `ms` for the worker to be ready; true when it is. */
  waitReady(ms: number): boolean {
    if (this.readyState() === 0) Atomics.wait(this.ctl, IX.READY, 0, ms);
    return this.readyState() === 1;
  }

  send(tasks: PrefetchTask[]): void {
    this.port.postMessage(tasks);
    this.tasksSent++;
    Atomics.store(this.ctl, IX.TASKS, this.tasksSent);
    Atomics.notify(this.ctl, IX.TASKS);
  }

  /** The next record without taking it (waits for the worker); null when the worker failed. */
  peek(): PrefetchRecord | null {
    if (this.peeked) return this.peeked;
    if (!this.chunk || this.at >= this.chunk.length) {
      if (!this.nextChunk()) return null;
    }
    const b = this.chunk!;
    const at = this.at;
    const len = b.readUInt32LE(at);
    const nameLen = b.readUInt16LE(at + 6);
    this.peeked = {
      kind: b[at + 4]!,
      flags: b[at + 5]!,
      errno: b.readInt32LE(at + 8),
      seq: b.readInt32LE(at + 12),
      parentSeq: b.readInt32LE(at + 16),
      task: b.readInt32LE(at + 20),
      depth: b.readUInt32LE(at + 24),
      total: b.readUInt32LE(at + 28),
      count: b.readUInt32LE(at + 32),
      name: b.subarray(at + HEADER, at + HEADER + nameLen),
      buf: b,
      entriesAt: at + HEADER + ((nameLen + 3) & ~3),
      end: at + len,
    };
    return this.peeked;
  }

  /** Take the record peek() gave. */
  take(): void {
    if (!this.peeked) return;
    if (this.peeked.kind !== REC.END_TASK) foldersFromWorkers++;
    this.at = this.peeked.end;
    this.peeked = null;
  }

  private nextChunk(): boolean {
    if (this.failed) return false;
    let waitedSince = 0;
    let busy = Atomics.load(this.ctl, IX.BUSY);
    for (;;) {
      const posted = Atomics.load(this.ctl, IX.POSTED);
      const m = receiveMessageOnPort(this.port);
      if (m) {
        this.chunk = Buffer.from(m.message as ArrayBuffer);
        this.at = 0;
        this.taken++;
        Atomics.store(this.ctl, IX.TAKEN, this.taken);
        Atomics.notify(this.ctl, IX.TAKEN);
        return true;
      }
      // The thread ended without being asked to (an exception in it): nothing more will come.
      if (this.failed || Atomics.load(this.ctl, IX.STOPPED) === 1) {
        this.failed = true;
        return false;
      }
      const now = Date.now();
      const b = Atomics.load(this.ctl, IX.BUSY);
      // No answer yet, but working (the counter moved): the wait starts again.
      if (waitedSince === 0 || b !== busy) waitedSince = now;
      else if (now - waitedSince > this.stallMs) {
        this.failed = true;
        return false;
      }
      busy = b;
      const w0 = DEBUG ? Date.now() : 0;
      Atomics.wait(this.ctl, IX.POSTED, posted, 200);
      if (DEBUG) {
        this.waitMs += Date.now() - w0;
        this.waits++;
      }
    }
  }

  /** Stop the worker: it closes its handles first (waited for, briefly), then the thread ends. */
  stop(): void {
    Atomics.store(this.ctl, IX.STOP, 1);
    Atomics.notify(this.ctl, IX.TASKS);
    Atomics.notify(this.ctl, IX.TAKEN);
    if (this.readyState() === 1 && !this.failed) Atomics.wait(this.ctl, IX.STOPPED, 0, 5000);
    if (DEBUG) {
      const threads: string[] = [];
      for (const tid of fs.readdirSync('/proc/self/task')) {
        let st = '';
        try {
          st = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
        } catch {
          continue;
        }
        const close = st.lastIndexOf(')');
        const f = st.slice(close + 2).split(' ');
        const cpu = (Number(f[11]) + Number(f[12])) * 10;
        if (cpu > 0) threads.push(`${Number(f[11]) * 10}u+${Number(f[12]) * 10}s`);
      }
      process.stderr.write(`prefetch: ${this.taken} chunks, waited ${this.waits} times ${this.waitMs.toFixed(0)} ms; threads ${threads.join(' ')}\n`);
    }
    void this.worker.terminate();
    this.port.close();
  }
}
