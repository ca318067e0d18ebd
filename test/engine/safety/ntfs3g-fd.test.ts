/**
 * What the ntfs-3g FUSE mount allows on an opened descriptor (the facts docs/safety.md states):
 * fgetxattr/fsetxattr of system.ntfs_reparse_data work on an fd of a file or folder; an entry that
 * ntfs-3g shows as a symbolic link cannot be opened (ELOOP), and an O_PATH descriptor of it gives
 * EBADF for fgetxattr; renameat2 RENAME_EXCHANGE and RENAME_NOREPLACE are refused with EINVAL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openParent } from '../../../engine/src/platform/posix/anchored.js';
import { libc, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY, RENAME_EXCHANGE, RENAME_NOREPLACE, getLibc } from '../../../engine/src/platform/posix/libc.js';
import { handJunction, makeImage, ntfsUnavailable, plantReparse, type NtfsImage } from '../platform/ntfs3g/image.js';
import { announceSkip } from './harness.js';

const O_PATH = 0o10000000;
const reason = ntfsUnavailable() ?? (getLibc() ? null : 'the libc bindings are unavailable');
if (reason) announceSkip('test/engine/safety/ntfs3g-fd.test.ts', `NTFS image tests cannot run: ${reason}`);

const errno = (f: () => unknown) => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe.skipIf(reason !== null)('ntfs-3g: reparse data through descriptors', () => {
  let im: NtfsImage;
  const at = (rel: string) => path.join(im.mnt, rel);
  beforeAll(async () => {
    im = await makeImage();
    plantReparse(at('junction'), true, handJunction('\\??\\C:\\x', 'C:\\x'));
    fs.writeFileSync(at('a'), 'a');
    fs.writeFileSync(at('b'), 'b');
  });
  afterAll(async () => {
    await im?.cleanup();
  });

  const buf = Buffer.concat([Buffer.from([0x13, 0, 0, 0x80, 4, 0, 0, 0]), Buffer.from([1, 2, 3, 4])]); // dedup tag, 4 data bytes

  it('fsetxattr and fgetxattr work on the descriptor of a new file and of a folder', () => {
    const a = openParent(at('f'));
    try {
      const fd = libc.openat(a.dirfd, a.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
      try {
        libc.fsetxattr(fd, 'system.ntfs_reparse_data', buf);
        expect(libc.fgetxattr(fd, 'system.ntfs_reparse_data')!.equals(buf)).toBe(true);
      } finally {
        libc.close(fd);
      }
      fs.mkdirSync(at('d'));
      const dfd = libc.openat(a.dirfd, Buffer.from('d'), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      try {
        expect(libc.fgetxattr(dfd, 'system.ntfs_reparse_data')).toBeNull(); // ENODATA: not a reparse point
      } finally {
        libc.close(dfd);
      }
    } finally {
      a.close();
    }
  });

  it('an entry shown as a symbolic link cannot be opened, and an O_PATH descriptor has no xattr access', async () => {
    const a = openParent(at('junction'));
    try {
      let st = null;
      for (let i = 0; i < 50 && !st; i++) {
        try {
          st = libc.fstatat(a.dirfd, a.name);
        } catch {
          await new Promise((r) => setTimeout(r, 100)); // ntfs-3g's EIO window after setting the data
        }
      }
      expect(errno(() => libc.openat(a.dirfd, a.name, O_RDONLY | O_NOFOLLOW))).toBe('ELOOP');
      const pfd = libc.openat(a.dirfd, a.name, O_PATH | O_NOFOLLOW);
      try {
        expect(errno(() => libc.fgetxattr(pfd, 'system.ntfs_reparse_data'))).toBe('EBADF');
      } finally {
        libc.close(pfd);
      }
    } finally {
      a.close();
    }
  });

  it('renameat2 with RENAME_EXCHANGE or RENAME_NOREPLACE is refused (EINVAL)', () => {
    const a = openParent(at('a'));
    try {
      expect(errno(() => libc.renameat2(a.dirfd, Buffer.from('a'), a.dirfd, Buffer.from('b'), RENAME_EXCHANGE))).toBe('EINVAL');
      expect(errno(() => libc.renameat2(a.dirfd, Buffer.from('a'), a.dirfd, Buffer.from('c'), RENAME_NOREPLACE))).toBe('EINVAL');
      expect(fs.readFileSync(at('a'), 'utf8')).toBe('a');
    } finally {
      a.close();
    }
  });
});
