// The "write or check" step of the generators (gen-contract.mjs, gen-module.mjs): write each
// generated file whose text changed, or with --check write nothing and count the files that drifted.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * files: [path, text] pairs. check: only compare. why(path): the sentence printed for a drifted file.
 * Returns how many files differ from what was generated (written, or reported when checking).
 */
export function writeOrCheck(files, check, why) {
  let drift = 0;
  for (const [p, text] of files) {
    let old = null;
    try {
      old = readFileSync(p, 'utf8');
    } catch {}
    if (old === text) continue;
    drift++;
    if (check) {
      console.error(why(p));
    } else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      console.log(`wrote ${p}`);
    }
  }
  return drift;
}

/** End a --check run: exit 1 when anything drifted, else print `ok`. */
export function finishCheck(check, drift, ok) {
  if (!check) return;
  if (drift) process.exit(1);
  console.log(ok);
}
