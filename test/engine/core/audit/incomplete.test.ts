/** An audit that could not list a folder is incomplete: exit code 3, whatever --fail-on says (issue 11 item 2). */
import { describe, expect, it } from 'vitest';
import { LinkToolsError } from '../../../../engine/src/errors.js';
import { MockPlatform } from '../../../../engine/src/platform/mock/backend.js';
import { audit } from './run.js';

function tree(): MockPlatform {
  const m = new MockPlatform({ mode: 'posix' });
  m.fs.addDir('/t/open').addFile('/t/open/f', 'f').addDir('/t/locked').addFile('/t/locked/g', 'g');
  m.fs.addSymlink('/t/open/l', 'f', 'file');
  return m;
}

describe('audit of a tree with a folder it cannot list', () => {
  it('reports the folder (unreadable) and exits 3 even with --fail-on error or never', () => {
    const m = tree();
    const b = m.defaultBackend;
    const readdir = b.readdir.bind(b);
    b.readdir = (p: string) => {
      if (p === '/t/locked') throw new LinkToolsError('LT_ACCESS_DENIED', 'Access is denied.', p);
      return readdir(p);
    };
    for (const failOn of ['error', 'never'] as const) {
      const r = audit(['/t'], { failOn }, { platform: m });
      expect(r.streamed.filter((f) => f.rule === 'unreadable').map((f) => f.path)).toEqual(['/t/locked']);
      expect(r.summary.exitCode).toBe(3);
    }
  });

  it('a complete audit of the same tree exits by its findings only', () => {
    const r = audit(['/t'], { failOn: 'error' }, { platform: tree() });
    expect(r.streamed.filter((f) => f.rule === 'unreadable')).toEqual([]);
    expect(r.summary.exitCode).toBe(0);
  });
});
