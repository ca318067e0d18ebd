/**
 * POSIX file names are bytes; JSON and JavaScript strings are UTF-16. LinkTools carries a name that is
 * not valid UTF-8 in a defined, reversible form: every byte that is not part of a valid UTF-8 sequence
 * becomes the lone low surrogate U+DC00+byte (byte 0x80..0xFF; the "surrogateescape" scheme of
 * PEP 383). Valid UTF-8 can never encode a surrogate, so the mapping is one-to-one. In JSON such a
 * code unit is written as the escape "\udcff" (JSON.stringify does this), and the module and the
 * --stdin protocol send it back the same way.
 *
 * Pure, no I/O: backends call bytesToName() on what readdir/readlink return (encoding 'buffer') and
 * nameToBytes() before every system call that takes a name.
 */

/** True when the string holds an escaped byte (so it must go to the OS as bytes, not as UTF-8). */
export function hasEscapedBytes(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && isHigh(s.charCodeAt(i - 1)))) return true;
  }
  return false;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Length of the valid UTF-8 sequence starting at b[i], or 0 when b[i] does not start one. */
function utf8SeqLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  let n: number;
  let min: number;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    min = 0x10000;
  } else return 0;
  if (i + n > b.length) return 0;
  let cp = c & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const d = b[i + k]!;
    if ((d & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/** Bytes of a name (as the OS gave them) -> string; invalid bytes become U+DC80..U+DCFF. */
export function bytesToName(b: Uint8Array): string {
  // Fast path: plain ASCII or valid UTF-8 decodes as usual.
  let valid = true;
  for (let i = 0; i < b.length;) {
    const n = utf8SeqLength(b, i);
    if (n === 0) {
      valid = false;
      break;
    }
    i += n;
  }
  if (valid) return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  let out = '';
  let start = 0;
  let i = 0;
  while (i < b.length) {
    const n = utf8SeqLength(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > start) out += Buffer.from(b.buffer, b.byteOffset + start, i - start).toString('utf8');
    out += String.fromCharCode(0xdc00 + b[i]!);
    i++;
    start = i;
  }
  if (i > start) out += Buffer.from(b.buffer, b.byteOffset + start, i - start).toString('utf8');
  return out;
}

/** String (possibly holding escaped bytes) -> the exact bytes of the name. */
export function nameToBytes(s: string): Buffer {
  if (!hasEscapedBytes(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && isHigh(s.charCodeAt(i - 1)))) {
      if (i > start) parts.push(Buffer.from(s.slice(start, i), 'utf8'));
      parts.push(Buffer.of(c - 0xdc00));
      start = i + 1;
    }
  }
  if (start < s.length) parts.push(Buffer.from(s.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

/**
 * A path for Node's fs calls: the string itself when it is plain, else a Buffer of its exact bytes
 * (Node's fs accepts Buffer paths and passes them to the OS unchanged).
 */
export function fsPath(s: string): string | Buffer {
  return hasEscapedBytes(s) ? nameToBytes(s) : s;
}
