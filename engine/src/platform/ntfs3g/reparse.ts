/**
 * Turns the raw facts ntfs-3g exposes (reparse data buffer + Windows attributes) into LinkData the
 * way Windows would classify the entry, and builds the buffers `create` writes.
 */
import { LinkToolsError } from '../../errors.js';
import { buildMountPointBuffer, buildSymlinkBuffer, describeTag, dosToNt, formatTag, parseReparseBuffer, type ReparseData } from '../../ntfs/index.js';
import { linkDataFromReparse } from '../classify.js';
import type { LinkData } from '../types.js';
import { attributeNames, FILE_ATTRIBUTE } from './xattr.js';

function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

function toHex(b: Uint8Array, max = 256): string {
  return Buffer.from(b.subarray(0, max)).toString('hex') + (b.length > max ? '…' : '');
}

/** LinkData for an entry with reparse data `buf` and Windows attributes `attrib` (null when unreadable). */
export function linkDataFrom(buf: Uint8Array, attrib: number | null): LinkData {
  const isDir = attrib === null ? null : (attrib & FILE_ATTRIBUTE.DIRECTORY) !== 0;
  const attrDetails = attrib === null ? {} : { attributes: hex32(attrib), attributeNames: attributeNames(attrib) };
  let r: ReparseData;
  try {
    r = parseReparseBuffer(buf);
  } catch (e) {
    if (!(e instanceof LinkToolsError) || buf.length < 4) throw e;
    // Malformed data: still say what the tag is, and never follow it.
    const tag = (buf[0]! | (buf[1]! << 8) | (buf[2]! << 16) | (buf[3]! << 24)) >>> 0;
    const t = describeTag(tag);
    return {
      kind: 'reparsePoint',
      target: null,
      declaredType: isDir === null ? null : isDir ? 'directory' : 'file',
      reparse: {
        tag,
        tagHex: formatTag(tag),
        tagName: t.name,
        label: t.label,
        isLink: t.isLink,
        followSafe: false,
        reason: `The reparse data is malformed (${e.message}); it is not followed.`,
        details: { ...attrDetails, malformed: e.message, dataHex: toHex(buf) },
      },
    };
  }
  return linkDataFromReparse(r, isDir, attrDetails);
}

/** The buffer of a junction to the Windows path `winTarget` (`X:\dir`). */
export function junctionBuffer(winTarget: string): Uint8Array {
  return buildMountPointBuffer({ substituteName: dosToNt(winTarget), printName: winTarget });
}

/**
 * The buffer of a symbolic link. `target` is in Windows form already: `X:\a` (absolute),
 * `\\server\share\a` (UNC) or `..\a` (relative, flag set).
 */
export function symlinkBuffer(target: string): Uint8Array {
  const absolute = /^[A-Za-z]:\\/.test(target) || target.startsWith('\\\\');
  return buildSymlinkBuffer({ substituteName: absolute ? dosToNt(target) : target, printName: target, relative: !absolute });
}
