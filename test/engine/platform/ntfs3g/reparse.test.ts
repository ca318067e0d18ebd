/** How the ntfs3g backend classifies raw reparse data + attributes (pure, no mount needed). */
import { describe, expect, it } from 'vitest';
import { parseReparseBuffer } from '../../../../engine/src/ntfs/index.js';
import { junctionBuffer, linkDataFrom, symlinkBuffer } from '../../../../engine/src/platform/ntfs3g/reparse.js';
import { handJunction, handOpaque, handSymlink } from './image.js';

const DIR = 0x10 | 0x20 | 0x400;
const FILE = 0x20 | 0x400;

describe('linkDataFrom', () => {
  it('declares directory vs file symlinks from the DIRECTORY attribute; junctions are directories', () => {
    const s = handSymlink('\\??\\C:\\x', 'C:\\x', false);
    expect(linkDataFrom(s, DIR)).toMatchObject({ kind: 'symlink', declaredType: 'directory', target: 'C:\\x' });
    expect(linkDataFrom(s, FILE)).toMatchObject({ kind: 'symlink', declaredType: 'file' });
    expect(linkDataFrom(s, null)).toMatchObject({ kind: 'symlink', declaredType: null });
    expect(linkDataFrom(handJunction('\\??\\C:\\x', 'C:\\x'), DIR)).toMatchObject({ kind: 'junction', declaredType: 'directory' });
  });

  it('lists the attribute names in details', () => {
    const d = linkDataFrom(handJunction('\\??\\C:\\x', 'C:\\x'), DIR | 0x2);
    expect(d.reparse!.details).toEqual({ attributes: '0x00000432', attributeNames: ['HIDDEN', 'DIRECTORY', 'ARCHIVE', 'REPARSE_POINT'] });
  });

  it('keeps a malformed buffer readable as a reparse point that is never followed', () => {
    const bad = handSymlink('\\??\\C:\\x', 'C:\\x', false);
    bad.writeUInt16LE(0x7000, 10); // SubstituteNameLength far past the end
    const d = linkDataFrom(bad, FILE);
    expect(d).toMatchObject({ kind: 'reparsePoint', target: null, reparse: { tag: 0xa000000c, followSafe: false } });
    expect(d.reparse!.details).toHaveProperty('malformed');
  });

  it('never calls an unknown or placeholder tag a link', () => {
    for (const tag of [0x9000001a, 0x80000013, 0x80000017, 0x9000101a]) {
      const d = linkDataFrom(handOpaque(tag, Buffer.alloc(4)), FILE);
      expect(d.kind).toBe('reparsePoint');
      expect(d.reparse!.followSafe).toBe(false);
    }
  });
});

describe('buffers the backend writes', () => {
  it('junction: \\??\\ substitute name, DOS print name', () => {
    const r = parseReparseBuffer(junctionBuffer('C:\\data\\sub'));
    expect(r).toMatchObject({ kind: 'mountPoint', substituteName: '\\??\\C:\\data\\sub', printName: 'C:\\data\\sub', isVolumeMountPoint: false });
  });

  it('symlink: absolute, UNC and relative forms', () => {
    expect(parseReparseBuffer(symlinkBuffer('C:\\a\\b'))).toMatchObject({ substituteName: '\\??\\C:\\a\\b', printName: 'C:\\a\\b', relative: false, flags: 0 });
    expect(parseReparseBuffer(symlinkBuffer('\\\\srv\\share\\f'))).toMatchObject({ substituteName: '\\??\\UNC\\srv\\share\\f', printName: '\\\\srv\\share\\f', relative: false });
    expect(parseReparseBuffer(symlinkBuffer('..\\a'))).toMatchObject({ substituteName: '..\\a', printName: '..\\a', relative: true, flags: 1 });
  });
});
