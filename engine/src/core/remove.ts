/** `remove`: delete the link entry itself, never anything inside or behind its target. */
import type { LinkRemoved } from '../contract/types.js';
import { LinkToolsError } from '../errors.js';
import type { Platform } from '../platform/types.js';
import { SCHEMA_VERSION } from '../version.js';
import { absolutePath } from './info.js';

export function removeLink(platform: Platform, p: string): LinkRemoved {
  const abs = absolutePath(platform, p);
  const b = platform.forPath(abs);
  const st = b.lstat(abs);
  const data = b.readLink(abs, st);
  const hardLinked = !data && st.type === 'file' && st.nlink > 1;
  if (!data && !hardLinked) {
    throw new LinkToolsError('LT_NOT_A_LINK', `This is a plain ${st.type === 'directory' ? 'directory' : st.type}, not a link: nothing was removed.`, abs);
  }
  b.removeLink(abs, data, st);
  return {
    recordType: 'linkRemoved',
    schemaVersion: SCHEMA_VERSION,
    path: abs,
    kind: data ? data.kind : 'hardlink',
    target: data ? data.target : null,
    remainingLinkCount: hardLinked ? st.nlink - 1 : null,
  };
}
