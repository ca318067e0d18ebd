/**
 * `create`: make a symbolic link, junction or hard link.
 *
 * With `force`, an existing *link* is replaced, never a real file or directory, and only once the new
 * link exists beside it (create under a temporary name, then swap), so any failure — a missing
 * privilege included — leaves the old link exactly as it was. "A link" means what the backend reads
 * as one and, for an NTFS reparse point, what its tag classifies as a link (`reparse.isLink`): a
 * data-carrying reparse point (dedup, WOF compression, cloud placeholder, HSM …) is never replaced,
 * and one whose data is malformed is refused with LT_BAD_REPARSE_DATA. The backend re-checks, at the
 * moment of the swap, that what it replaces is still the entry checked here (docs/safety.md).
 *
 * The temporary name never reaches the user: every error names the link path.
 */
import { randomBytes } from 'node:crypto';
import type { LinkInfo, Manifest, TargetType } from '../contract/types.js';
import { LinkToolsError } from '../errors.js';
import type { Backend, EntryStat, LinkData, NewLink, Platform } from '../platform/types.js';
import { absolutePath, inspect, typeOf } from './info.js';
import { isDataFile } from '../platform/classify.js';
import { isDriveAbsolute } from '../ntfs/ntpath.js';

/** The kinds `create` makes (the contract's manifest link kinds). */
export type CreateKind = Manifest['links'][number]['kind'];
export const CREATE_KINDS: readonly CreateKind[] = ['symlink', 'junction', 'hardlink'];

export interface CreateRequest {
  link: string;
  target: string;
  kind: CreateKind;
  targetType?: 'file' | 'directory';
  force?: boolean;
}

function tryLstat(b: Backend, p: string): EntryStat | null {
  try {
    return b.lstat(p);
  } catch (e) {
    if (e instanceof LinkToolsError && e.code === 'LT_NOT_FOUND') return null;
    throw e;
  }
}

function tryStat(b: Backend, p: string): EntryStat | null {
  try {
    return b.stat(p);
  } catch (e) {
    if (e instanceof LinkToolsError && e.code === 'LT_LOOP') return null;
    throw e;
  }
}

export function isUncPath(p: string): boolean {
  return /^[\\/]{2}[^\\/?.]/.test(p) || /^[\\/]{2}[?.][\\/]UNC[\\/]/i.test(p) || /^\\\?\?\\UNC\\/i.test(p);
}

function checkArgs(req: CreateRequest): void {
  if (!CREATE_KINDS.includes(req.kind)) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `Unknown link kind '${String(req.kind)}': use symlink, junction or hardlink.`);
  }
  for (const [name, v] of [
    ['link', req.link],
    ['target', req.target],
  ] as const) {
    if (typeof v !== 'string' || v.length === 0) throw new LinkToolsError('LT_INVALID_ARGUMENT', `The ${name} path is empty.`);
    if (v.includes('\0')) throw new LinkToolsError('LT_INVALID_ARGUMENT', `The ${name} path contains a NUL character.`, v);
  }
  if (req.targetType !== undefined && req.targetType !== 'file' && req.targetType !== 'directory') {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `Unknown target type '${String(req.targetType)}': use file or directory.`);
  }
}

/** An error about the temporary name, restated for the path the user gave. */
function asUserPath(e: unknown, tmp: string, user: string): unknown {
  if (!(e instanceof LinkToolsError)) return e;
  if (e.path !== tmp && !e.message.includes(tmp)) return e;
  return new LinkToolsError(e.code, e.message.split(tmp).join(user), user, e.details);
}

export function createLink(platform: Platform, req: CreateRequest): LinkInfo {
  checkArgs(req);
  const linkAbs = absolutePath(platform, req.link);
  const b = platform.forPath(linkAbs);
  const P = b.path;
  const parent = P.dirname(linkAbs);
  const parentSt = tryLstat(b, parent);
  if (!parentSt) throw new LinkToolsError('LT_NOT_FOUND', `The folder that should hold the link does not exist: ${parent}`, linkAbs);

  const existing = tryLstat(b, linkAbs);
  let existingData: LinkData | null = null;
  if (existing) {
    existingData = b.readLink(linkAbs, existing);
    const r = existingData?.reparse ?? null;
    const malformed = (r?.details as Record<string, unknown> | null | undefined)?.['malformed'];
    if (req.force && r && typeof malformed === 'string') {
      throw new LinkToolsError(
        'LT_BAD_REPARSE_DATA',
        `The reparse data at the link path is malformed (${malformed}), so what it is cannot be known: --force replaces only links. Nothing was changed.`,
        linkAbs,
        { tag: r.tagHex },
      );
    }
    const dataCarrying = r !== null && !r.isLink;
    const isLink = (existingData !== null && !dataCarrying) || (existing.type === 'file' && existing.nlink > 1);
    if (!req.force) {
      throw new LinkToolsError('LT_EXISTS', `Something already exists at the link path${isLink ? ' (a link: use --force to replace it)' : ''}.`, linkAbs);
    }
    if (dataCarrying) {
      throw new LinkToolsError(
        'LT_EXISTS',
        `The link path is a ${r.label} reparse point (${r.tagHex}) that carries the entry's own data, not a link: --force only replaces links and never deletes data.`,
        linkAbs,
        { tag: r.tagHex },
      );
    }
    if (!isLink) {
      throw new LinkToolsError('LT_EXISTS', `The link path is a real ${existing.type}, not a link: --force only replaces links and never deletes data.`, linkAbs);
    }
  }

  let make: (at: string) => void;
  let spec: NewLink;
  switch (req.kind) {
    case 'symlink': {
      const targetAbs = b.resolveTarget(parent, req.target);
      const actual: TargetType = targetAbs === null ? null : typeOf(tryStat(b, targetAbs));
      if (req.targetType && actual && req.targetType !== actual) {
        throw new LinkToolsError('LT_TARGET_TYPE_MISMATCH', `The target is a ${actual} but --target-type says ${req.targetType}: such a link would not open.`, linkAbs, {
          target: req.target,
          actual,
        });
      }
      const tt = req.targetType ?? actual;
      if (!tt) throw new LinkToolsError('LT_TARGET_TYPE_REQUIRED', undefined, linkAbs, { target: req.target });
      make = (at) => b.createSymlink(at, req.target, tt);
      spec = { kind: 'symlink', target: req.target, targetType: tt };
      break;
    }
    case 'junction': {
      if (isUncPath(req.target)) throw new LinkToolsError('LT_JUNCTION_TARGET_NOT_LOCAL', undefined, linkAbs, { target: req.target });
      if (req.targetType === 'file') throw new LinkToolsError('LT_INVALID_ARGUMENT', 'A junction always links to a directory: --target-type file does not apply.', linkAbs);
      // like mklink /J a relative target is made absolute; a Windows drive path given to a backend
      // that is not Windows itself (ntfs-3g) is mapped through the backend's drive mapping.
      const winAbs = isDriveAbsolute(req.target) && b.path.sep === '/';
      const mapped = winAbs ? b.resolveTarget(parent, req.target) : b.path.resolve(req.target);
      if (mapped === null) {
        throw new LinkToolsError('LT_INVALID_ARGUMENT', `The junction target ${req.target} is not on a volume this machine can reach.`, linkAbs, { target: req.target });
      }
      const targetAbs = mapped;
      const tst = tryStat(b, targetAbs);
      if (tst && tst.type !== 'directory') throw new LinkToolsError('LT_NOT_A_DIRECTORY', `A junction must target a directory; ${targetAbs} is a ${tst.type}.`, linkAbs);
      make = (at) => b.createJunction(at, targetAbs);
      spec = { kind: 'junction', absoluteTarget: targetAbs };
      break;
    }
    case 'hardlink': {
      if (req.targetType === 'directory') throw new LinkToolsError('LT_NOT_A_FILE', 'Hard links can only be made to files, not directories.', linkAbs);
      const targetAbs = b.path.resolve(req.target);
      const tst = tryLstat(b, targetAbs);
      if (!tst) throw new LinkToolsError('LT_NOT_FOUND', `A hard link needs an existing file: ${targetAbs} does not exist.`, linkAbs, { target: req.target });
      if (tst.type === 'directory') throw new LinkToolsError('LT_NOT_A_FILE', `Hard links can only be made to files; ${targetAbs} is a directory.`, linkAbs);
      // A dedup, WOF or hydrated cloud file is a file that carries a reparse tag, not a link: it can be hard-linked.
      const dataFile =
        tst.type === 'link' &&
        (() => {
          const d = b.readLink(targetAbs, tst);
          return d !== null && isDataFile(d);
        })();
      if (tst.type !== 'file' && !dataFile)
        throw new LinkToolsError(
          'LT_NOT_A_FILE',
          `Hard links can only be made to regular files; ${targetAbs} is a ${tst.type === 'link' ? 'link (hard link its target instead)' : 'special file'}.`,
          linkAbs,
        );
      if (tst.dev !== parentSt.dev) throw new LinkToolsError('LT_CROSS_DEVICE', `A hard link must be on the same volume as its target: ${targetAbs} is on another volume.`, linkAbs);
      // --force onto a name of the same file: it already is that hard link (rename(2) of two names of
      // one file does nothing, which would leave the temporary name behind).
      if (existing && existing.fileId === tst.fileId) return inspect(platform, linkAbs);
      make = (at) => b.createHardLink(at, targetAbs);
      spec = { kind: 'hardlink', existing: targetAbs };
      break;
    }
  }

  if (existing && b.replaceWithNewLink) {
    // made, swapped and cleaned up through one handle on the folder (platform/posix/anchored.ts)
    b.replaceWithNewLink(linkAbs, spec, existingData, existing);
  } else if (existing) {
    const tmp = P.join(parent, `.${P.basename(linkAbs)}.lt-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      make(tmp); // a failure here leaves the old link untouched
    } catch (e) {
      throw asUserPath(e, tmp, linkAbs);
    }
    try {
      b.replaceLink(tmp, linkAbs, existingData, existing);
    } catch (e) {
      try {
        const st = b.lstat(tmp);
        b.removeLink(tmp, b.readLink(tmp, st), st);
      } catch {
        /* the temporary link is already gone */
      }
      throw asUserPath(e, tmp, linkAbs);
    }
  } else {
    make(linkAbs);
  }
  return inspect(platform, linkAbs);
}
