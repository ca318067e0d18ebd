/**
 * Where a packaged engine puts its native addon (koffi.node) before loading it.
 *
 * An addon must be a real file for dlopen/LoadLibrary, but in the packaged executable it lives in the
 * read-only snapshot. pkg's own hook copies it to $PKG_NATIVE_CACHE_PATH or ~/.cache/pkg, which fails
 * for a service account whose home is absent or read-only, and would trust whatever another user left
 * in a shared path. Here, unless PKG_NATIVE_CACHE_PATH is set (an explicit choice we leave to pkg), the
 * addon goes into the first usable private directory of (see docs/packaging.md for why):
 *   1. <folder of the executable>/linktools-native-<uid>  (the module's own folder, when we may write it)
 *   2. $XDG_RUNTIME_DIR/linktools-native-<uid>            (per-user by definition, when set)
 *   3. <OS temp dir>/linktools-native-<uid>
 *   4. a fresh mkdtemp folder under the OS temp dir, removed again once the addon is loaded (POSIX)
 * A private directory is created 0700 and then verified before use: a real directory (not a link),
 * owned by us, mode exactly 0700, and its parent cannot be used by others to swap it (owned by us or
 * root and not group/other-writable, or sticky like /tmp). The file is named after its SHA-256 and is
 * re-checked against the snapshot's bytes before every load; a new copy is written to a temporary name
 * (O_EXCL, 0600) and renamed into place, so concurrent engines never see half a file. If loading from a
 * place fails (e.g. a noexec mount), the next place is tried; the error names every attempt.
 *
 * A leaf: node:fs/os/path/crypto only, no knowledge of koffi or the commands.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface AddonPlace {
  /** The private directory, or the mkdtemp parent for the ephemeral last resort. */
  dir: string;
  /** true: a fresh mkdtemp folder, removed again after loading (POSIX). */
  ephemeral: boolean;
}

export interface AddonEnv {
  execPath: string;
  tmpDir: string;
  xdgRuntimeDir?: string;
  uid: number; // -1 where there are no uids (Windows)
  platform: NodeJS.Platform;
}

function currentAddonEnv(): AddonEnv {
  return {
    execPath: process.execPath,
    tmpDir: os.tmpdir(),
    xdgRuntimeDir: process.env.XDG_RUNTIME_DIR || undefined,
    uid: typeof process.getuid === 'function' ? process.getuid() : -1,
    platform: process.platform,
  };
}

/** The places to try, in order. */
export function addonPlaces(env: AddonEnv): AddonPlace[] {
  const name = env.uid >= 0 ? `linktools-native-${env.uid}` : 'linktools-native';
  const bases = [path.dirname(env.execPath)];
  if (env.xdgRuntimeDir && path.isAbsolute(env.xdgRuntimeDir)) bases.push(env.xdgRuntimeDir);
  bases.push(env.tmpDir);
  const seen = new Set<string>();
  const places: AddonPlace[] = [];
  for (const b of bases) {
    const dir = path.join(path.resolve(b), name);
    if (seen.has(dir)) continue;
    seen.add(dir);
    places.push({ dir, ephemeral: false });
  }
  places.push({ dir: path.resolve(env.tmpDir), ephemeral: true });
  return places;
}

function octal(mode: number): string {
  return '0' + (mode & 0o7777).toString(8);
}

/** Throws unless the parent of a private directory keeps other users from replacing it. */
function checkParent(parent: string, env: AddonEnv): void {
  if (env.platform === 'win32') return;
  const st = fs.statSync(parent); // the parent may itself be reached through links (e.g. /tmp -> /private/tmp)
  if (!st.isDirectory()) throw new Error(`${parent} is not a directory`);
  const sticky = (st.mode & 0o1000) !== 0;
  const othersWrite = (st.mode & 0o022) !== 0;
  if (othersWrite && !sticky) throw new Error(`${parent} is writable by other users (mode ${octal(st.mode)}) and not sticky`);
  if (!sticky && st.uid !== env.uid && st.uid !== 0) throw new Error(`${parent} is owned by uid ${st.uid}, not by us or root`);
}

/**
 * Creates `dir` (mode 0700) if missing, then verifies it is a private directory of ours.
 * Throws an Error saying what is wrong; never changes a directory it did not create.
 */
export function ensurePrivateDir(dir: string, env: AddonEnv): void {
  checkParent(path.dirname(dir), env);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink()) throw new Error(`${dir} is a symbolic link`);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  if (env.platform === 'win32') return;
  if (st.uid !== env.uid) throw new Error(`${dir} is owned by uid ${st.uid}, not by us (uid ${env.uid})`);
  if ((st.mode & 0o7777) !== 0o700) throw new Error(`${dir} has mode ${octal(st.mode)}, not 0700`);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes (or re-uses, when it has the same bytes) `<dir>/<sha256>-<name>`; returns its path. */
export function placeAddon(dir: string, name: string, bytes: Buffer, env: AddonEnv): string {
  const hash = sha256(bytes);
  const file = path.join(dir, `${hash.slice(0, 32)}-${name}`);
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (st) {
    const ours = env.platform === 'win32' || st.uid === env.uid;
    // Byte for byte (a memcmp: cheaper than hashing the copy again, and no weaker).
    if (st.isFile() && ours && st.size === bytes.length && bytes.equals(fs.readFileSync(file))) return file;
    // Not what we wrote (a partial copy from a crash is impossible: copies are renamed in whole).
    fs.rmSync(file, { force: true });
  }
  const tmp = path.join(dir, `.${hash.slice(0, 16)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    fs.writeSync(fd, bytes, 0, bytes.length, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return file;
}

interface LoadResult<T> {
  value: T;
  /** Where the addon was loaded from (for an ephemeral place: where it was, now removed). */
  file: string;
}

/**
 * Puts the addon's bytes into the first usable place and calls `load(file)` there; tries the next
 * place when creating, verifying, writing or loading fails. Throws one Error naming every attempt.
 */
export function loadAddonFromPlaces<T>(name: string, bytes: Buffer, load: (file: string) => T, env: AddonEnv = currentAddonEnv(), places: AddonPlace[] = addonPlaces(env)): LoadResult<T> {
  const failures: string[] = [];
  for (const place of places) {
    let dir = place.dir;
    try {
      if (place.ephemeral) {
        checkParent(place.dir, env);
        dir = fs.mkdtempSync(path.join(place.dir, 'linktools-native-')); // created 0700 by mkdtemp
      } else {
        ensurePrivateDir(dir, env);
      }
      const file = placeAddon(dir, name, bytes, env);
      try {
        return { value: load(file), file };
      } finally {
        // Once loaded (or not) the mapping no longer needs the file on POSIX; Windows keeps it locked.
        if (place.ephemeral && env.platform !== 'win32') fs.rmSync(dir, { recursive: true, force: true });
      }
    } catch (e) {
      failures.push(`${place.ephemeral ? `a new folder under ${place.dir}` : dir}: ${(e as Error).message}`);
    }
  }
  throw new Error(`cannot place the native addon ${name} where it can be loaded safely (${failures.join('; ')})`);
}

/** Node hands dlopen a namespaced path on Windows (\\?\C:\...); the snapshot file system wants C:\... */
function withoutLongPrefix(file: string): string {
  return file.startsWith('\\\\?\\') ? file.slice(4) : file;
}

/** True for a path inside pkg's snapshot (the virtual file system of the packaged executable). */
export function insidePkgSnapshot(file: string, platform: NodeJS.Platform = process.platform): boolean {
  if (typeof file !== 'string') return false;
  if (file === '/snapshot' || file.startsWith('/snapshot/')) return true;
  if (platform !== 'win32') return false;
  return /^[A-Za-z]:[\\/]snapshot([\\/]|$)/.test(withoutLongPrefix(file));
}

type Dlopen = (module: { exports: unknown }, filename: string, ...rest: unknown[]) => void;

let hooked = false;

/**
 * Wraps process.dlopen so that an addon inside pkg's snapshot is placed by loadAddonFromPlaces and
 * loaded from there, through the previous dlopen (pkg's hook passes real paths straight through).
 * Does nothing when PKG_NATIVE_CACHE_PATH is set: the caller chose the place, pkg honours it.
 */
export function hookSnapshotAddons(): void {
  if (hooked || process.env.PKG_NATIVE_CACHE_PATH) return;
  hooked = true;
  const previous = process.dlopen as unknown as Dlopen;
  // `rest` (the optional flags) is passed on exactly as given: an explicit undefined would become 0.
  const hook: Dlopen = function (module, filename, ...rest) {
    if (!insidePkgSnapshot(filename)) return previous.call(process, module, filename, ...rest);
    const src = process.platform === 'win32' ? withoutLongPrefix(filename) : filename;
    const bytes = fs.readFileSync(src);
    loadAddonFromPlaces(path.basename(src), bytes, (real) => {
      previous.call(process, module, real, ...rest);
    });
  };
  (process as unknown as { dlopen: Dlopen }).dlopen = hook;
}
