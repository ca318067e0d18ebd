/** The creation rules of the remote model: a link Windows would refuse is refused before anything touches the disk. */
import type { RemoteResolution } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import { parseTarget, type ParsedTarget } from './paths.js';

/** The link kinds the model covers (the contract's remoteResolution.kind). */
export type RemoteLinkKind = RemoteResolution['kind'];

/**
 * Refuse a link Windows would refuse, before anything touches the disk.
 *
 * - Any kind: an empty target, a drive-relative target ("C:dir"), or "\\host" without a share →
 *   LT_INVALID_ARGUMENT.
 * - Junction / mount point to a UNC path → LT_JUNCTION_TARGET_NOT_LOCAL (the chart's "Must point
 *   local" and "Must create link using target device": make it on the target's own machine).
 * - Junction / mount point to a relative or rooted path → LT_INVALID_ARGUMENT.
 * - Junction / mount point whose own path (linkPath) is a UNC path → LT_UNSUPPORTED_KIND: a junction
 *   can be set only on a local NTFS volume, so it must be created on the server itself, pointing to
 *   a path local to the server (the chart's "Must create and point local").
 *
 * Volume GUID paths (\\?\Volume{…}\) are local absolute paths and are allowed for junctions.
 */
export function validateLinkCreation(kind: RemoteLinkKind, target: string, linkPath?: string): void {
  if (kind !== 'symlink' && kind !== 'junction' && kind !== 'mountPoint') {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `Unknown link kind "${String(kind)}": use symlink or junction.`);
  }
  if (typeof target !== 'string' || target.length === 0) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', 'The link target is empty.');
  }
  const t = parseTarget(target);
  if (t.form === 'invalid') {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `The link target "${target}" is not a valid path (a UNC path needs \\\\host\\share).`);
  }
  if (t.form === 'driveRelative') {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `The link target "${target}" is relative to a drive's current folder; give it as an absolute path or a plain relative path.`);
  }
  if (kind === 'symlink') {
    if (linkPath !== undefined) checkLinkPath(linkPath);
    return;
  }
  if (t.form === 'unc') {
    throw new LinkToolsError(
      'LT_JUNCTION_TARGET_NOT_LOCAL',
      `A junction must target a local absolute path, not the network path ${target}; create it on ${t.host} itself, pointing to a folder local to ${t.host}, or use a symbolic link.`,
      linkPath,
      { target, host: t.host },
    );
  }
  if (t.form === 'relative' || t.form === 'rooted') {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `A junction's target must be an absolute local path such as C:\\dir or \\\\?\\Volume{…}\\dir, not the relative path "${target}".`, linkPath, {
      target,
    });
  }
  if (linkPath !== undefined) {
    const l = checkLinkPath(linkPath);
    if (l.form === 'unc') {
      throw new LinkToolsError(
        'LT_UNSUPPORTED_KIND',
        `A junction can only be created on a local NTFS volume, not through ${linkPath}; create it on ${l.host} itself, pointing to a path local to ${l.host}.`,
        linkPath,
        { target, host: l.host },
      );
    }
  }
}

function checkLinkPath(linkPath: string): ParsedTarget {
  const l = typeof linkPath === 'string' ? parseTarget(linkPath) : ({ form: 'invalid', path: '' } as ParsedTarget);
  if (l.form !== 'drive' && l.form !== 'device' && l.form !== 'unc') {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `The link path "${String(linkPath)}" must be absolute: C:\\dir\\link, \\\\?\\Volume{…}\\link or \\\\host\\share\\link.`);
  }
  return l;
}
