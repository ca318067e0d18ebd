import { describe, expect, it } from 'vitest';
import { bytesToName, fsPath, hasEscapedBytes, nameToBytes } from '../../../engine/src/platform/pathbytes.js';

describe('pathbytes: non-UTF-8 names as surrogate escapes', () => {
  it('valid UTF-8 names are unchanged both ways', () => {
    for (const s of ['plain', 'caf\u00e9', '\u65e5\u672c', 'emoji-\u{1f600}', '']) {
      expect(bytesToName(Buffer.from(s, 'utf8'))).toBe(s);
      expect(nameToBytes(s).equals(Buffer.from(s, 'utf8'))).toBe(true);
      expect(hasEscapedBytes(s)).toBe(false);
      expect(fsPath(s)).toBe(s);
    }
  });

  it('invalid bytes become U+DC80..U+DCFF and come back exactly', () => {
    const cases = [
      Buffer.from([0x65, 0x76, 0x69, 0x6c, 0xff]), // evil\xff
      Buffer.from([0xc3]), // truncated sequence
      Buffer.from([0xc0, 0xaf]), // overlong '/'
      Buffer.from([0xed, 0xa0, 0x80]), // encoded surrogate (CESU)
      Buffer.from([0xf4, 0x90, 0x80, 0x80]), // past U+10FFFF
      Buffer.from([0x80, 0x61, 0xe2, 0x82, 0xac, 0xfe]), // stray continuation, a, euro, 0xfe
    ];
    for (const b of cases) {
      const s = bytesToName(b);
      expect(hasEscapedBytes(s)).toBe(true);
      expect(nameToBytes(s).equals(b)).toBe(true);
      expect(Buffer.isBuffer(fsPath(s))).toBe(true);
    }
    expect(bytesToName(Buffer.from([0x74, 0xff]))).toBe('t\udcff');
    expect(bytesToName(Buffer.from([0x80, 0x61, 0xe2, 0x82, 0xac, 0xfe]))).toBe('\udc80a\u20ac\udcfe');
  });

  it('the escaped form survives JSON as \\udcXX escapes', () => {
    const s = bytesToName(Buffer.from([0x74, 0x67, 0x74, 0xff]));
    const json = JSON.stringify({ path: s });
    expect(json).toBe('{"path":"tgt\\udcff"}');
    expect(nameToBytes(JSON.parse(json).path).equals(Buffer.from([0x74, 0x67, 0x74, 0xff]))).toBe(true);
  });

  it('a surrogate pair is a character, not escaped bytes', () => {
    const s = '\ud83d\ude00';
    expect(hasEscapedBytes(s)).toBe(false);
    expect(nameToBytes(s).equals(Buffer.from(s, 'utf8'))).toBe(true);
  });
});
