// The Windows counterpart of the POSIX exchange helper: Windows has no renameat2(RENAME_EXCHANGE),
// so it swaps two entries under one name with MoveFileExW (Node's fs.renameSync) in a loop:
//   name -> aside, other -> name, name -> other, aside -> name
// so `name` is the link half the time and the real entry the other half.
//   node swapper.mjs STOPFILE NAME OTHER [NAME OTHER ...]
// Runs until STOPFILE exists (or 120 s, a hang guard). Rename failures (the engine holding an
// entry without delete sharing: EBUSY/EPERM) are counted, not fatal: they are the point.
import fs from 'node:fs';

const [stop, ...pairs] = process.argv.slice(2);
const list = [];
for (let i = 0; i + 1 < pairs.length; i += 2) list.push([pairs[i], pairs[i + 1]]);
const until = Date.now() + 120_000;
let swaps = 0;
let refused = 0;
const mv = (a, b) => {
  try {
    fs.renameSync(a, b);
    return true;
  } catch {
    refused++;
    return false;
  }
};
while (!fs.existsSync(stop) && Date.now() < until) {
  for (const [name, other] of list) {
    const aside = `${name}.swap`;
    if (!mv(name, aside)) continue;
    if (!mv(other, name)) {
      mv(aside, name);
      continue;
    }
    mv(name, other);
    mv(aside, name);
    swaps++;
  }
}
process.stdout.write(JSON.stringify({ swaps, refused }) + '\n');
