/** `test`: is this a link whose target resolves? One record per path saying why. */
import type { LinkInfo, LinkTest } from '../contract/types.js';
import { LinkToolsError } from '../errors.js';
import type { Platform } from '../platform/types.js';
import { SCHEMA_VERSION } from '../version.js';
import { absolutePath, actualTargetType, inspect } from './info.js';

export function testLink(platform: Platform, p: string): LinkTest {
  let abs = p;
  let info: LinkInfo;
  try {
    abs = absolutePath(platform, p);
    info = inspect(platform, abs);
  } catch (e) {
    const err = e instanceof LinkToolsError ? e : new LinkToolsError('LT_INTERNAL', String(e), abs);
    if (err.code === 'LT_INVALID_ARGUMENT') throw err;
    const notFound = err.code === 'LT_NOT_FOUND';
    return rec(abs, false, notFound ? 'notFound' : 'error', notFound ? 'Nothing exists at this path.' : err.message, null, null, null);
  }
  const { kind, resolvedTarget, finalTarget } = info;
  const r = (ok: boolean, reason: LinkTest['reason'], message: string) => rec(info.path, ok, reason, message, kind, resolvedTarget, finalTarget ?? null);
  if (kind === 'file' || kind === 'directory' || kind === 'special') {
    return r(false, 'notALink', `This is a plain ${kind}, not a link.`);
  }
  if (kind === 'hardlink') return r(true, 'ok', `A hard link: this file has ${info.linkCount} names.`);
  if (info.loop) return r(false, 'loop', 'Following this link loops back on itself.');
  if (info.reparse && !info.reparse.followSafe) {
    return r(false, 'unsafeTag', `A ${info.reparse.tagName} reparse point is not followed: ${info.reparse.reason ?? 'unsafe to follow'}.`);
  }
  if (!info.targetExists) {
    return r(false, 'broken', info.resolvedTarget === null ? 'The target cannot be resolved here.' : `The target does not exist: ${info.chain.at(-1)?.resolvedTarget ?? info.resolvedTarget}`);
  }
  const actual = actualTargetType(platform, info);
  if (kind === 'symlink' && info.reparse && info.targetType && actual && info.targetType !== actual) {
    return r(false, 'typeMismatch', `This is a ${info.targetType} symbolic link but its target is a ${actual}: Windows cannot open it.`);
  }
  return r(true, 'ok', `Resolves to ${finalTarget}.`);
}

function rec(path: string, ok: boolean, reason: LinkTest['reason'], message: string, kind: LinkTest['kind'], resolvedTarget: string | null, finalTarget: string | null): LinkTest {
  return { recordType: 'linkTest', schemaVersion: SCHEMA_VERSION, path, ok, reason, message, kind, resolvedTarget, finalTarget };
}
