/** Atomic file output for reports, graphs and baselines: write a temporary file beside it, then rename. */
import fs from 'node:fs';
import path from 'node:path';
import { fromOsError } from '../errors.js';

export function writeFileAtomic(file: string, text: string): string {
  const abs = path.resolve(file);
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { encoding: 'utf8', flag: 'wx' });
    fs.renameSync(tmp, abs);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* nothing to clean up */
    }
    throw fromOsError(e, abs, 'cannot write the report');
  }
  return abs;
}
