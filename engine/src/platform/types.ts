/**
 * The backend interface: everything the core needs from a file system, one implementation per
 * platform (posix, win32, ntfs3g, mock) with the same file names in each folder.
 *
 * All calls are synchronous: tree walks of a million entries are fastest that way in Node, and
 * native calls (FFI) are synchronous anyway. Every call throws LinkToolsError (never a raw OS error).
 */
import type path from 'node:path';
import type { Backend as BackendName, LinkKind, Reparse, TargetType } from '../contract/types.js';

export type PathApi = typeof path.posix | typeof path.win32;

export interface EntryStat {
  /** What the entry itself is, links not followed. 'link' = symlink, junction or any reparse point. */
  type: 'file' | 'directory' | 'link' | 'special';
  /** device:inode (POSIX) or volumeSerial:fileIndex (Windows), as a string: inodes exceed 2^53. */
  fileId: string;
  dev: bigint;
  nlink: number;
  size: number;
  mtimeMs: number;
}

export interface LinkData {
  kind: Extract<LinkKind, 'symlink' | 'junction' | 'mountPoint' | 'appExecLink' | 'lxSymlink' | 'reparsePoint'>;
  /** Target exactly as stored (for NTFS: the print name when sensible, else the DOS form of the substitute name). */
  target: string | null;
  /** Declared link type when the link records one (NTFS file vs directory symlink, junctions are directories). */
  declaredType: TargetType;
  /** Raw reparse facts when the backend reads NTFS reparse points. */
  reparse: Reparse | null;
}

/** A link to be made (Backend.replaceWithNewLink): what createSymlink/createJunction/createHardLink take. */
export type NewLink = { kind: 'symlink'; target: string; targetType: 'file' | 'directory' } | { kind: 'junction'; absoluteTarget: string } | { kind: 'hardlink'; existing: string };

export interface DirEntry {
  name: string;
  /** Type from the directory listing when the OS gives it cheaply; 'unknown' means lstat it. */
  type: EntryStat['type'] | 'unknown';
}

/** One row of the mount table, as the audit's remote-target rule needs it. */
export interface Mount {
  mountPoint: string;
  fsType: string;
  source: string;
}

export interface Backend {
  readonly name: BackendName;
  readonly path: PathApi;
  /** Stat the entry itself (links not followed). Throws LT_NOT_FOUND when missing. */
  lstat(p: string): EntryStat;
  /** Stat following links; null when the chain ends nowhere. Throws LT_LOOP on a loop. */
  stat(p: string): EntryStat | null;
  /** Link facts when the entry is a link or reparse point, else null. `st` is its lstat. */
  readLink(p: string, st: EntryStat): LinkData | null;
  /**
   * Turn a stored target into an absolute path on this machine's namespace, relative to the link's
   * folder (`linkDir`). Null when it cannot be expressed (e.g. an NTFS drive not mounted here).
   */
  resolveTarget(linkDir: string, target: string): string | null;
  /**
   * What a stored target reaches from `linkDir`, links followed, resolved the way this OS resolves it
   * (POSIX: component by component, so `lnk/..` is the parent of where `lnk` leads, not `.`). Null when
   * nothing is there. Absent: resolveTarget then stat (Windows normalises `..` before it resolves).
   */
  statTarget?(linkDir: string, target: string): EntryStat | null;
  /**
   * The real path of `p` as the OS resolves it in one call (POSIX realpath). Throws when a component is
   * missing or unreadable. Absent: the caller follows the path component by component itself.
   */
  realPath?(p: string): string;
  /** Can every user write in folder `dir` (POSIX mode o+w)? False when unknown. Absent: never known. */
  folderWorldWritable?(dir: string): boolean;
  /** The system's mount table, longest mount point first (empty when unreadable). Absent: no mount table. */
  mounts?(): Mount[];
  createSymlink(link: string, target: string, targetType: 'file' | 'directory'): void;
  createJunction(link: string, absoluteTarget: string): void;
  createHardLink(link: string, existing: string): void;
  /** Remove the link entry itself (never what it points to). */
  removeLink(p: string, data: LinkData | null, st: EntryStat): void;
  /** Atomically put `from` (a freshly made link) in place of `to` (an existing link). */
  replaceLink(from: string, to: string, old: LinkData | null, oldStat: EntryStat): void;
  /**
   * Optional: make the new link under a temporary name in the folder of `to` and put it in place of
   * the old link (still `oldStat`'s entry), all through one handle on that folder, so the temporary
   * name is made, swapped and cleaned up in the same folder whatever happens to the path meanwhile.
   * Absent: the core makes the link under a temporary path itself and calls replaceLink.
   */
  replaceWithNewLink?(to: string, make: NewLink, old: LinkData | null, oldStat: EntryStat): void;
  readdir(p: string): DirEntry[];
  /** Other names of a hard-linked file when the OS can list them; null when it cannot. */
  hardLinkNames?(p: string): string[] | null;
  /**
   * The Windows path of an entry (C:\dir\link) when this backend serves an NTFS volume, for the
   * remote-resolution model; absent or null on POSIX file systems.
   */
  windowsPath?(p: string): string | null;
  /** Whether this process may create symbolic links; null when unknown. */
  canCreateSymlinks?(): boolean | null;
  /**
   * Link counts of many regular files for a tree walk, cheaper than `lstat` (no identity, possibly
   * looked up on another thread). Absent: the walk calls `lstat` on each file.
   */
  linkCounter?(onCount: LinkCountSink): LinkCounter;
  /** Tree walking by directory handle (see DirWalker); absent or null: the walk uses the path calls above. */
  dirWalker?(): DirWalker | null;
}

/**
 * Called once per path given to LinkCounter.ask, in the order asked: its link count, or undefined
 * when it is gone, no longer a regular file, or unreadable (the caller then asks `lstat`, which
 * says which).
 */
export type LinkCountSink = (p: string, nlink: number | undefined) => void;

export interface LinkCounter {
  /** Queue a path. The answer may come now, during a later ask, or during flush. */
  ask(p: string): void;
  /** Answer every path asked so far (blocks until they are in). */
  flush(): void;
  /** flush, then release threads and buffers. */
  close(): void;
}

/** Chooses the backend that serves a path (e.g. ntfs3g for paths on an ntfs-3g mount). */
export interface Platform {
  readonly defaultBackend: Backend;
  forPath(p: string): Backend;
  /**
   * Where another file system may begin below `root` (mount points), so a tree walk re-routes only
   * there and lets every other folder inherit its parent's backend. Absent or null (e.g. `root` is
   * reached through a link, so mount paths would not match): re-route every folder.
   */
  mountPoints?(root: string): ReadonlySet<string> | null;
  /**
   * The one backend that serves every path right now (no mounted file system is claimed by another
   * backend: on Linux, no FUSE mount in the mount table, so no ntfs-3g volume), or null when routing
   * must look at each path. Asked once per tree walk for its link chains, as mountPoints is once per
   * root: a routing answer then costs no lstat.
   */
  soleBackend?(): Backend | null;
}

/**
 * What a walk will do below a folder's subfolders: it enters every subfolder (and entry of unknown
 * type that stats as a folder) above `maxDepth`, depth first, the last name first, and lists each
 * with `files`. Given only when nothing else decides (no exclude patterns, no one-file-system).
 */
export interface WalkChildren {
  names: string[];
  /** The subfolders' depth (the root is 0). */
  depth: number;
  maxDepth: number;
  files: boolean | 'linked';
}

/** A folder opened by a DirWalker (a directory handle). */
export interface WalkDir {
  readonly path: string;
}

export interface WalkListing {
  /** The entries asked for, in the order the path-based readdir gives (sorted by name bytes). */
  entries: DirEntry[];
  /** Every name in the folder (without . and ..), including those not returned. */
  total: number;
}

/**
 * Directory-handle tree walking (POSIX with openat/fstatat): each folder is opened relative to its
 * parent's handle without following links, entries are stat'ed and read relative to it, names are
 * exact bytes (shown in the reversible form of platform/pathbytes.ts), and depth is not limited by
 * PATH_MAX. Every call throws LinkToolsError. Handles are the walker's to manage: `done` tells it how
 * many subfolders of a listed folder will still be entered with openChild.
 */
export interface DirWalker {
  openRoot(p: string): WalkDir;
  /** Enter subfolder `name` of `parent` (path `p`); counts as one of the parent's subfolders entered. */
  openChild(parent: WalkDir, name: string, p: string): WalkDir;
  /**
   * List a folder. Regular files are returned when `files` is true, only those that may have more
   * than one name when it is 'linked' (link count above 1 or unreadable), never when false; every
   * name is counted in `total` either way.
   */
  list(d: WalkDir, files: boolean | 'linked'): WalkListing;
  lstatAt(d: WalkDir, name: string, p: string): EntryStat;
  readLinkAt(d: WalkDir, name: string, p: string, st: EntryStat): LinkData | null;
  /** The open folder's own stat (for its device number). */
  dirStat(d: WalkDir): EntryStat;
  /**
   * The folder is listed and `subfolders` of its subfolders will be entered later. `children`, when
   * the walk gives it, names them in the order they were pushed (entered last first) and says what
   * the walk will do below them, so the walker may read those subtrees ahead on another thread.
   */
  done(d: WalkDir, subfolders: number, children?: WalkChildren): void;
  /** Whether `done` has a use for `children` now (else the walk does not build them). */
  wantsChildren?(): boolean;
  /** Release every handle (end of a walk). */
  close(): void;
}
