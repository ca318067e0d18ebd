/**
 * A small glob matcher for scan --include / --exclude, compiled to a RegExp.
 *
 * Patterns are matched against the path relative to the scan root, with `/` separators
 * (`docs/a.txt`, never `./docs/a.txt` and never a leading `/`):
 *
 *   *        any run of characters except `/` (also the empty run)
 *   **       any run of whole path elements: `a/**` matches everything below a, `**\/x` matches x at
 *            any depth, `a/**\/b` matches a/b, a/x/b, a/x/y/b
 *   ?        exactly one character except `/`
 *   [abc]    one character from the set; ranges `[a-z]`; `[!a]` or `[^a]` negates; `]` first is literal
 *   \c       the character c itself
 *
 * A pattern without a `/` is matched against the entry's name (the last element) as well, like
 * .gitignore and `find -name`: `--exclude node_modules` prunes node_modules at every depth, and
 * `--include '*.lnk'` picks every .lnk. A pattern with a `/` (a leading `/` is dropped) must match
 * the whole relative path. Matching is case-sensitive unless `caseInsensitive` is set (win32).
 */

export interface GlobMatcher {
  readonly pattern: string;
  /** `rel`: the path relative to the root with `/` separators; `name`: its last element. */
  matches(rel: string, name: string): boolean;
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** Translate a glob to the source of an anchored RegExp. Throws on an unterminated `[`. */
export function globToRegExpSource(glob: string): string {
  let re = '';
  let i = 0;
  const n = glob.length;
  while (i < n) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**` — only special as a whole element; elsewhere it behaves like `*`.
        const atStart = i === 0 || glob[i - 1] === '/';
        let j = i + 2;
        while (glob[j] === '*') j++;
        const atEnd = j === n || glob[j] === '/';
        if (atStart && atEnd) {
          if (j === n) {
            re += '.*';
            i = j;
          } else {
            // `**/` matches zero or more whole elements.
            re += '(?:[^/]*/)*';
            i = j + 1;
          }
          continue;
        }
        re += '[^/]*';
        i = j;
        continue;
      }
      re += '[^/]*';
      i++;
      continue;
    }
    if (c === '?') {
      re += '[^/]';
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < n) {
      re += escapeRe(glob[i + 1]!);
      i += 2;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      let negate = false;
      if (glob[j] === '!' || glob[j] === '^') {
        negate = true;
        j++;
      }
      let body = '';
      let first = true;
      while (j < n && (glob[j] !== ']' || first)) {
        const ch = glob[j]!;
        if (ch === '\\' && j + 1 < n) {
          body += `\\${glob[j + 1]}`;
          j += 2;
        } else {
          body += ch === '-' && !first && glob[j + 1] !== ']' ? '-' : ch === '^' || ch === ']' || ch === '[' || ch === '-' ? `\\${ch}` : ch;
          j++;
        }
        first = false;
      }
      if (j >= n) throw new Error(`unterminated character class in glob "${glob}"`);
      re += negate ? `(?!/)[^${body}]` : `[${body}]`;
      i = j + 1;
      continue;
    }
    re += escapeRe(c);
    i++;
  }
  return `^${re}$`;
}

export function compileGlob(pattern: string, caseInsensitive = false): GlobMatcher {
  if (pattern.length === 0) throw new Error('empty glob');
  const p = pattern;
  const anchored = p.includes('/');
  const body = anchored ? p.replace(/^\/+/, '').replace(/\/+$/, '') : p;
  const re = new RegExp(globToRegExpSource(body), caseInsensitive ? 'i' : '');
  return {
    pattern,
    matches: anchored ? (rel) => re.test(rel) : (rel, name) => re.test(name) || re.test(rel),
  };
}

/** True when any matcher matches. */
export function anyMatch(ms: readonly GlobMatcher[], rel: string, name: string): boolean {
  for (const m of ms) if (m.matches(rel, name)) return true;
  return false;
}
