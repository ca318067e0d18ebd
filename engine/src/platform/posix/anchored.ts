/**
 * Handle-anchored link operations (Linux): what coreutils `rm`, glibc `fts` and Rust's fix for
 * CVE-2022-21658 do. A path is never resolved twice:
 *
 *  1. `openParent` walks to the folder that holds the entry with openat(O_DIRECTORY|O_NOFOLLOW),
 *     one component at a time from "/", and keeps that folder open (a dirfd). Swapping a folder on
 *     the path for a link afterwards changes nothing for us: every later call names the entry
 *     relative to the dirfd. A component that is itself a symbolic link is followed only when
 *     nobody else could have put it there (see `trustedLink`), else the walk stops with an error.
 *  2. The entry is checked with statx(dirfd, name, AT_SYMLINK_NOFOLLOW) against what the caller
 *     checked before (same device and inode, still a link).
 *  3. It is acted on through the same dirfd: removal first renames the entry to a random name in
 *     the same folder and checks what it moved (so a real file swapped in at the last moment is put
 *     back, never deleted); replacement exchanges the new link with the old one (renameat2
 *     RENAME_EXCHANGE) and checks what came out, exchanging back when it is not the checked link.
 *
 * What remains (docs/safety.md): between the check of the moved-aside entry and the unlinkat of its
 * random name, someone who can write the folder, sees the random name and swaps it within that
 * window could make us unlink what they swapped in — which they could have deleted themselves.
 * File systems without RENAME_NOREPLACE / RENAME_EXCHANGE (FUSE file systems such as ntfs-3g)
 * get the same checks with plain renameat and a moment in which the name is absent.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fromOsError, LinkToolsError } from '../../errors.js';
import { bytesToName, nameToBytes } from '../pathbytes.js';
import type { EntryStat } from '../types.js';
import { AT_FDCWD, AT_REMOVEDIR, getLibc, isDir, isLnk, isReg, libc, O_DIRECTORY, O_NOFOLLOW, O_RDONLY, RENAME_EXCHANGE, RENAME_NOREPLACE, type Stx } from './libc.js';

/**
 * Runs one system call; a backend can pass one that retries (ntfs-3g answers EIO for a moment after
 * a reparse point is set). Each call it wraps is idempotent.
 */
type Io = <T>(f: () => T) => T;
const direct: Io = (f) => f();

/** Whether the anchored calls can be used in this process. */
export function anchoredAvailable(): boolean {
  return getLibc() !== null;
}

const MAX_SYMLINK_HOPS = 40;
/** How often one walk reopens a folder that turned from a link (or non-folder) into a folder under it. */
const MAX_COMPONENT_CHANGES = 16;
const SLASH = 0x2f;

function splitBytes(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= b.length; i++) {
    if (i === b.length || b[i] === SLASH) {
      if (i > start) out.push(b.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

const DOT = (c: Uint8Array) => c.length === 1 && c[0] === 0x2e;
const DOTDOT = (c: Uint8Array) => c.length === 2 && c[0] === 0x2e && c[1] === 0x2e;

/**
 * May the walk follow the symbolic link `link` found in the open folder `dirSt`? Only when nobody
 * but root or this user could have put it there or swapped it: the folder is not writable by group
 * or others and is owned by root or us, or it is sticky (like /tmp) and the link is owned by root or
 * us. Anything else could be exchanged by another user while we work.
 */
function trustedLink(dirSt: Stx, link: Stx): boolean {
  const me = process.geteuid?.() ?? -1;
  const ours = (uid: number) => uid === 0 || uid === me;
  if ((dirSt.mode & 0o022) === 0) return ours(dirSt.uid);
  return (dirSt.mode & 0o1000) !== 0 && ours(link.uid) && ours(dirSt.uid);
}

/** An open folder and the name of an entry in it. Close it when done. */
export interface Anchor {
  dirfd: number;
  /** The entry's name, exact bytes. */
  name: Buffer;
  close(): void;
}

/**
 * Open the folder holding `p` (absolute) without following links in the folder part (except
 * trusted ones), and return it with the last component's name. Errors name `p`.
 */
export function openParent(p: string, io: Io = direct): Anchor {
  if (!path.posix.isAbsolute(p)) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'An anchored operation needs an absolute path.', p);
  const parts = splitBytes(nameToBytes(p));
  const leaf = parts.pop();
  if (!leaf || DOT(leaf) || DOTDOT(leaf)) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'The path names no entry in a folder.', p);
  const dirfd = walkDir(parts, p, io);
  let open = true;
  return {
    dirfd,
    name: Buffer.from(leaf),
    close() {
      if (open) libc.close(dirfd);
      open = false;
    },
  };
}

function walkDir(components: Uint8Array[], userPath: string, io: Io): number {
  let fd = libc.openat(AT_FDCWD, Buffer.from('/'), O_RDONLY | O_DIRECTORY);
  const todo = components.slice().reverse(); // a stack: next component last
  let hops = 0;
  let changes = 0;
  try {
    while (todo.length > 0) {
      const c = todo.pop()!;
      if (DOT(c)) continue;
      let next: number;
      try {
        const at = fd;
        next = io(() => libc.openat(at, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'ELOOP' && code !== 'ENOTDIR') throw e;
        const at = fd;
        const st = io(() => libc.fstatat(at, c));
        if (!isLnk(st)) {
          if (!isDir(st)) throw e; // a file where a folder should be: ENOTDIR
          // It was a link (ELOOP) or not a folder (ENOTDIR) a moment ago and is a real folder now: the
          // entry is being swapped. Open it again (the open itself is the check), a bounded number of times.
          if (++changes > MAX_COMPONENT_CHANGES) {
            throw new LinkToolsError('LT_BUSY', `The folder '${bytesToName(c)}' keeps changing while LinkTools opens it: nothing was changed.`, userPath);
          }
          todo.push(c);
          continue;
        }
        if (++hops > MAX_SYMLINK_HOPS) throw new LinkToolsError('LT_LOOP', undefined, userPath);
        if (!trustedLink(libc.fstatat(fd, new Uint8Array(0)), st)) {
          throw new LinkToolsError(
            'LT_ACCESS_DENIED',
            `The folder path goes through the symbolic link '${bytesToName(c)}' in a folder that other users can write: it could be swapped while LinkTools works, so it is not followed. Give the path with that link resolved.`,
            userPath,
            { unsafeComponent: bytesToName(c) },
          );
        }
        const target = libc.readlinkat(fd, c);
        const parts = splitBytes(target);
        for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i]!);
        if (target[0] === SLASH) {
          libc.close(fd);
          fd = libc.openat(AT_FDCWD, Buffer.from('/'), O_RDONLY | O_DIRECTORY);
        }
        continue;
      }
      libc.close(fd);
      fd = next;
    }
    return fd;
  } catch (e) {
    libc.close(fd);
    throw fromOsError(e, userPath, 'cannot open the folder that holds it');
  }
}

/** statx of a name in the anchor's folder, or null when there is no such entry. */
export function statAt(dirfd: number, name: Uint8Array, io: Io = direct): Stx | null {
  try {
    return io(() => libc.fstatat(dirfd, name));
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
    throw e;
  }
}

/** A random name for a temporary entry beside `name` in the same folder (never shown to the user). */
function tempName(name: Uint8Array, tag: string): Buffer {
  const base = Buffer.from(name.subarray(0, Math.min(name.length, 120)));
  return Buffer.concat([Buffer.from('.'), base, Buffer.from(`.lt-${tag}-${process.pid}-${randomBytes(6).toString('hex')}`)]);
}

/** What the caller checked: the entry's identity and what it was. */
type Expect = Pick<EntryStat, 'fileId' | 'type'>;

/** Is `s` still the entry that was checked (`want`)? */
function isChecked(s: Stx | null, want: Expect): s is Stx {
  if (!s || s.fileId !== want.fileId) return false;
  if (want.type === 'link') return isLnk(s);
  if (want.type === 'file') return isReg(s);
  if (want.type === 'directory') return isDir(s);
  return false;
}

function describe(s: Stx | null): string {
  if (!s) return 'nothing';
  if (isLnk(s)) return 'another link';
  if (isReg(s)) return 'a real file';
  if (isDir(s)) return 'a real directory';
  return 'a special file';
}

/** The error when the entry is not (or no longer) what was checked. Nothing was changed. */
function changedError(p: string, found: Stx | null, what: string): LinkToolsError {
  if (!found) return new LinkToolsError('LT_NOT_FOUND', `The entry vanished while LinkTools was about to ${what} it: nothing was changed.`, p);
  const real = !isLnk(found);
  return new LinkToolsError(real ? 'LT_NOT_A_LINK' : 'LT_BUSY', `The entry changed while LinkTools was about to ${what} it (it is now ${describe(found)}): nothing was changed.`, p);
}

/**
 * renameat2 with `flags` (RENAME_NOREPLACE or RENAME_EXCHANGE); returns false when the file system
 * does not support the flag (EINVAL — FUSE file systems such as ntfs-3g; ENOSYS — kernels before 3.15).
 */
function renameFlags(fd: number, from: Uint8Array, to: Uint8Array, flags: number, io: Io = direct): boolean {
  try {
    io(() => libc.renameat2(fd, from, fd, to, flags));
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EINVAL' || code === 'ENOSYS') return false;
    throw e;
  }
}

/** Rename within one folder without replacing anything (RENAME_NOREPLACE, else a check then renameat). */
function renameNoReplace(fd: number, from: Uint8Array, to: Uint8Array, io: Io = direct): void {
  if (renameFlags(fd, from, to, RENAME_NOREPLACE, io)) return;
  if (statAt(fd, to, io) !== null) throw Object.assign(new Error('EEXIST'), { code: 'EEXIST' });
  io(() => libc.renameat2(fd, from, fd, to, 0));
}

/**
 * Move the entry aside to a random name, check that what moved is `want`, and hand the random name
 * to `act` (which deletes it). When it is not what was checked, it goes back under its name and
 * nothing else happens. Errors name `p`.
 */
export function moveAsideAndAct(a: Anchor, p: string, want: Expect, what: string, act: (tmp: Buffer) => void, io: Io = direct): Buffer {
  const before = statAt(a.dirfd, a.name, io);
  if (!isChecked(before, want)) throw changedError(p, before, what);
  const tmp = tempName(a.name, 'rm');
  try {
    renameNoReplace(a.dirfd, a.name, tmp, io);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw changedError(p, null, what);
    throw fromOsError(e, p, `cannot ${what} link`);
  }
  const moved = statAt(a.dirfd, tmp, io);
  if (!isChecked(moved, want)) {
    putBack(a, p, tmp, io);
    throw changedError(p, moved, what);
  }
  try {
    act(tmp);
  } catch (e) {
    putBack(a, p, tmp, io);
    throw e;
  }
  return tmp;
}

/** Undo a move aside; when the name is taken meanwhile, say where the entry is. */
function putBack(a: Anchor, p: string, tmp: Uint8Array, io: Io = direct): void {
  try {
    renameNoReplace(a.dirfd, tmp, a.name, io);
  } catch (e) {
    throw new LinkToolsError('LT_IO', `The entry was moved aside to check it and cannot be put back (${(e as Error).message}): it is at '${bytesToName(tmp)}' in the same folder.`, p, {
      movedTo: path.posix.join(path.posix.dirname(p), bytesToName(tmp)),
    });
  }
}

/** Anchored removal of a link (or of one name of a hard-linked file): see the file comment. */
export function removeAnchored(p: string, want: Expect): void {
  const a = openParent(p);
  try {
    moveAsideAndAct(a, p, want, 'remove', (tmp) => {
      try {
        libc.unlinkat(a.dirfd, tmp, 0);
      } catch (e) {
        throw fromOsError(e, p, 'cannot remove link');
      }
    });
  } finally {
    a.close();
  }
}

/**
 * Put the new link `from` (a name in the same folder as `to`) in place of the old link `to`, which
 * must still be `want`. RENAME_EXCHANGE swaps them atomically; what came out (now under `from`'s
 * name) is checked, exchanged back when it is not the old link, and else unlinked. Without
 * RENAME_EXCHANGE: the old one is moved aside and checked, the new one renamed in, the old one
 * unlinked (`removeOld` can replace that last step, e.g. for an NTFS folder-like reparse point).
 */
export function replaceAnchored(from: string, to: string, want: Expect, removeOld?: (a: Anchor, tmp: Buffer) => void, io: Io = direct): void {
  const P = path.posix;
  if (P.dirname(from) !== P.dirname(to)) throw new LinkToolsError('LT_INTERNAL', 'The new link must be made in the folder of the old one.', to);
  const a = openParent(to, io);
  try {
    replaceAt(a, nameToBytes(P.basename(from)), to, want, removeOld ?? unlinkPlain(io), io);
  } finally {
    a.close();
  }
}

const unlinkPlain = (io: Io) => (an: Anchor, tmp: Buffer) => io(() => libc.unlinkat(an.dirfd, tmp, 0));

/**
 * Make the new link with `makeAt` under a random name in the anchored folder of `to`, then put it in
 * place of the old link as replaceAnchored does — one folder handle for the whole operation. On any
 * failure the temporary link is deleted again (when it is still the entry that was made), so the
 * temporary name never outlives the call and never reaches an error record.
 */
export function replaceWithNewAnchored(to: string, want: Expect, makeAt: (a: Anchor, tmp: Buffer) => void, removeOld?: (a: Anchor, tmp: Buffer) => void, io: Io = direct): void {
  const a = openParent(to, io);
  const remove = removeOld ?? unlinkPlain(io);
  try {
    const tmp = tempName(a.name, 'new');
    makeAt(a, tmp);
    let made: Stx | null = null;
    try {
      made = statAt(a.dirfd, tmp, io);
      replaceAt(a, tmp, to, want, remove, io);
    } catch (e) {
      try {
        const now = statAt(a.dirfd, tmp, io);
        if (made && now && now.fileId === made.fileId) remove(a, tmp);
      } catch {
        /* report the first error */
      }
      throw e;
    }
  } finally {
    a.close();
  }
}

function replaceAt(a: Anchor, fromName: Buffer, to: string, want: Expect, unlinkOld: (a: Anchor, tmp: Buffer) => void, io: Io): void {
  if (statAt(a.dirfd, fromName, io) === null) throw new LinkToolsError('LT_NOT_FOUND', 'The new link vanished before it could be put in place: nothing was changed.', to);
  const before = statAt(a.dirfd, a.name, io);
  if (!isChecked(before, want)) throw changedError(to, before, 'replace');
  let exchanged: boolean;
  try {
    exchanged = renameFlags(a.dirfd, fromName, a.name, RENAME_EXCHANGE, io);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw changedError(to, null, 'replace');
    throw fromOsError(e, to, 'cannot replace link');
  }
  if (exchanged) {
    const out = statAt(a.dirfd, fromName, io);
    if (!isChecked(out, want)) {
      try {
        libc.renameat2(a.dirfd, fromName, a.dirfd, a.name, RENAME_EXCHANGE);
      } catch (e) {
        throw new LinkToolsError(
          'LT_IO',
          `Something else was swapped in while the link was replaced, and it cannot be swapped back (${(e as Error).message}): it is at '${bytesToName(fromName)}' in the same folder.`,
          to,
        );
      }
      throw changedError(to, out, 'replace');
    }
    try {
      unlinkOld(a, fromName);
    } catch (e) {
      throw new LinkToolsError('LT_IO', `The new link is in place, but the old one could not be removed: ${(e as Error).message}`, to);
    }
    return;
  }
  // No RENAME_EXCHANGE on this file system: move the old one aside, check it, rename the new one in.
  const tmp = moveAsideAndAct(
    a,
    to,
    want,
    'replace',
    () => {
      try {
        renameNoReplace(a.dirfd, fromName, a.name, io);
      } catch (e) {
        throw fromOsError(e, to, 'cannot put the new link in place');
      }
    },
    io,
  );
  try {
    unlinkOld(a, tmp);
  } catch (e) {
    throw new LinkToolsError('LT_IO', `The new link is in place, but the old one could not be removed and is left at '${bytesToName(tmp)}': ${(e as Error).message}`, to);
  }
}

/** symlinkat in the anchored folder of `link`. */
export function symlinkAnchored(link: string, target: string): void {
  const a = openParent(link);
  try {
    libc.symlinkat(nameToBytes(target), a.dirfd, a.name);
  } catch (e) {
    throw fromOsError(e, link, 'cannot create symbolic link');
  } finally {
    a.close();
  }
}

/** linkat from the anchored folder of `existing` to the anchored folder of `link`. */
export function hardLinkAnchored(link: string, existing: string): void {
  const src = openParent(existing);
  try {
    const dst = openParent(link);
    try {
      libc.linkat(src.dirfd, src.name, dst.dirfd, dst.name);
    } catch (e) {
      throw fromOsError(e, link, 'cannot create hard link');
    } finally {
      dst.close();
    }
  } finally {
    src.close();
  }
}

export { AT_REMOVEDIR };
