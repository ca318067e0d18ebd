/**
 * Parsed reparse data → what the engine reports (LinkData + the contract's `reparse` record), the
 * way Windows classifies the entry. One implementation for every backend that reads NTFS reparse
 * points (win32, ntfs3g, mock), so the same on-disk link is reported the same everywhere.
 */
import type { Reparse, TargetType } from '../contract/types.js';
import type { LinkData } from './types.js';
import { dosToNt, ntToDos } from '../ntfs/ntpath.js';
import { type ReparseData } from '../ntfs/codec.js';
import { describeTag, formatTag } from '../ntfs/tags.js';

/** Attributes that mark a placeholder whose content is not local (opening it recalls data). */
const FILE_ATTRIBUTE_OFFLINE = 0x1000;
const FILE_ATTRIBUTE_RECALL_ON_OPEN = 0x40000;
const FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS = 0x400000;
const NOT_LOCAL = FILE_ATTRIBUTE_OFFLINE | FILE_ATTRIBUTE_RECALL_ON_OPEN | FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS;

/**
 * A reparse point that carries the file's own data: a normal file (not a directory) whose tag is not
 * a name surrogate and holds data (dedup, WOF, SIS, any unknown non-surrogate tag), or a placeholder
 * whose attributes show the content is local (hydrated: none of OFFLINE, RECALL_ON_OPEN,
 * RECALL_ON_DATA_ACCESS; unknown attributes count as not hydrated). Such an entry is a file with a
 * reparse tag: it is not a link, hard links to it work, link rules do not apply. `reparse.isLink`
 * keeps its meaning (true only for real links) and is false for all of these.
 */
export function isDataFile(data: LinkData): boolean {
  const rp = data.reparse;
  if (!rp || rp.isLink || data.declaredType !== 'file') return false;
  const held = describeTag(rp.tag).holdsData;
  if (held === 'yes') return true;
  if (held === 'no') return false;
  const attrs = (rp.details as Record<string, unknown> | undefined)?.attributes;
  if (typeof attrs !== 'string' && typeof attrs !== 'number') return false;
  const n = typeof attrs === 'number' ? attrs : parseInt(attrs, 16);
  return Number.isFinite(n) && (n & NOT_LOCAL) === 0;
}

/** The contract's reparse record for parsed reparse data; `extraDetails` (e.g. attributes) go first in `details`. */
export function reparseRecord(r: ReparseData, extraDetails: Record<string, unknown> = {}): Reparse {
  const t = r.tagInfo;
  const rec: Reparse = {
    tag: r.tag >>> 0,
    tagHex: formatTag(r.tag),
    tagName: t.name,
    label: t.label,
    isLink: t.isLink,
    followSafe: t.followSafe,
    reason: t.reason,
  };
  let details: Record<string, unknown> = {};
  switch (r.kind) {
    case 'symlink':
      Object.assign(rec, { substituteName: r.substituteName, printName: r.printName, relative: r.relative, flags: r.flags });
      break;
    case 'mountPoint':
      Object.assign(rec, { substituteName: r.substituteName, printName: r.printName, isVolumeMountPoint: r.isVolumeMountPoint });
      if (!r.isVolumeMountPoint) rec.label = 'junction';
      break;
    case 'appExecLink':
      details = { packageId: r.packageId, appUserModelId: r.appUserModelId, targetPath: r.targetPath, appType: r.appType ?? null };
      break;
    case 'lxSymlink':
      details = { version: r.version, target: r.target };
      break;
    case 'nfs':
      details = { nfsType: r.nfsType, typeCode: r.typeCode, target: r.target ?? null, major: r.major ?? null, minor: r.minor ?? null };
      break;
    case 'opaque':
      details = { dataLength: r.dataLength, ...(r.guid ? { guid: r.guid } : {}) };
      break;
  }
  const all = { ...extraDetails, ...details };
  if (Object.keys(all).length) rec.details = all;
  return rec;
}

/**
 * The target to report for a symlink or mount point: the print name when it agrees with the
 * substitute name (what the user typed), else the Win32 form of the substitute name, which is what
 * the system actually follows. A relative symlink stores the same relative text in both.
 */
export function storedTarget(substituteName: string, printName: string): string {
  if (printName !== '' && (printName === substituteName || dosToNt(printName) === substituteName)) return printName;
  return ntToDos(substituteName).path;
}

/**
 * LinkData for parsed reparse data. `isDirectory` is the entry's FILE_ATTRIBUTE_DIRECTORY (null when
 * it could not be read): it is what makes an NTFS symbolic link a directory link (a mismatch with
 * the target makes the link fail to open), and what a placeholder is underneath.
 */
export function linkDataFromReparse(r: ReparseData, isDirectory: boolean | null, extraDetails: Record<string, unknown> = {}): LinkData {
  const reparse = reparseRecord(r, extraDetails);
  const own: TargetType = isDirectory === null ? null : isDirectory ? 'directory' : 'file';
  switch (r.kind) {
    case 'symlink':
      return { kind: 'symlink', target: storedTarget(r.substituteName, r.printName), declaredType: own, reparse };
    case 'mountPoint':
      return {
        kind: r.isVolumeMountPoint ? 'mountPoint' : 'junction',
        target: r.isVolumeMountPoint ? ntToDos(r.substituteName).path : storedTarget(r.substituteName, r.printName),
        declaredType: 'directory',
        reparse,
      };
    case 'appExecLink':
      return { kind: 'appExecLink', target: r.targetPath, declaredType: own, reparse };
    case 'lxSymlink':
      return { kind: 'lxSymlink', target: r.target, declaredType: null, reparse };
    case 'nfs':
      return { kind: 'reparsePoint', target: r.target ?? null, declaredType: null, reparse };
    case 'opaque':
      return { kind: 'reparsePoint', target: null, declaredType: own, reparse };
  }
}
