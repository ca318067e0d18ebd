/**
 * The message-text ignorer (build/stryker/ignore-messages.mjs) also skips the initialiser of a
 * `const` read only inside message text (`const what = …; throw new LinkToolsError(code, \`… ${what}\`)`),
 * and nothing else: a constant that is also used for behaviour, a `let`, or one never read is still
 * mutated. Checked on a TypeScript sample with Babel, which is what Stryker's instrumenter walks.
 */
import { parse } from '@babel/parser';
// @ts-expect-error -- no type declarations installed; @babel/traverse comes with Stryker's instrumenter
import traverseModule from '@babel/traverse';
import { describe, expect, it } from 'vitest';

// @ts-expect-error -- a plain .mjs build script without type declarations
import { strykerPlugins } from '../../../build/stryker/ignore-messages.mjs';

const traverse = ((traverseModule as unknown as { default?: unknown }).default ?? traverseModule) as (ast: unknown, visitors: object) => void;
const ignorer = (strykerPlugins[0] as { value: { shouldIgnore(p: unknown): string | undefined } }).value;

/** For every `const`/`let` initialiser of the sample: whether the ignorer skips it (by variable name). */
function ignoredInits(src: string): Map<string, boolean> {
  const ast = parse(src, { sourceType: 'module', plugins: ['typescript'] });
  const out = new Map<string, boolean>();
  traverse(ast, {
    VariableDeclarator(p: { node: { id: { name: string } }; get(k: string): unknown }) {
      out.set(p.node.id.name, ignorer.shouldIgnore(p.get('init')) !== undefined);
    },
  });
  return out;
}

describe('message-text ignorer: values used only in a message', () => {
  const src = `
    import { LinkToolsError } from './errors.js';
    export function f(s: { what: string; kind: string }, n: number) {
      const what = s.what === 'real' ? \`a real \${s.kind}\` : 'nothing';
      const both = s.what === 'link' ? 'a link' : 'other';
      const unused = s.what === 'x';
      let later = n > 1 ? 'many' : 'one';
      const reasonText = n > 2 ? 'big' : 'small';
      if (both === 'a link') return { reason: reasonText };
      throw new LinkToolsError('LT_TREE_CHANGED', \`found \${what} (\${both}, \${later})\`, 'p');
    }
  `;
  const got = ignoredInits(src);

  it.each(['what', 'reasonText'])('skips the initialiser of %s (read only by message text)', (name) => {
    expect(got.get(name)).toBe(true);
  });

  it.each([
    ['both', 'also compared in an if'],
    ['unused', 'never read'],
    ['later', 'a let'],
  ])('still mutates %s (%s)', (name) => {
    expect(got.get(name)).toBe(false);
  });
});

/** Every string/template literal of the sample: whether the ignorer skips it. */
function ignoredLiterals(src: string): Map<string, boolean> {
  const ast = parse(src, { sourceType: 'module', plugins: ['typescript'] });
  const out = new Map<string, boolean>();
  traverse(ast, {
    StringLiteral(p: { node: { value: string } }) {
      out.set(p.node.value, ignorer.shouldIgnore(p) !== undefined);
    },
  });
  return out;
}

describe('message-text ignorer: reason arguments', () => {
  const src = `
    import { none, other } from './change.js';
    export function f(ok: boolean) {
      const keep = (target: string, reason: string, check: boolean) => ({ target, reason, check });
      function note(kind: string, message = '') { return kind + message; }
      let reason = 'initial words';
      if (ok) reason = 'later words';
      return [
        keep('kept-target', 'a reason in words', true),
        note('a-kind', 'a note in words'),
        none('the-path', 'symlink', 'why nothing changes', 'the-target'),
        other('the-path', 'symlink', 'not a reason'),
        reason,
      ];
    }
  `;
  const got = ignoredLiterals(src);

  it.each(['a reason in words', 'a note in words', 'why nothing changes', 'initial words', 'later words'])('ignores %j', (lit) => {
    expect(got.get(lit)).toBe(true);
  });

  it.each(['kept-target', 'a-kind', 'the-path', 'symlink', 'the-target', 'not a reason', './change.js'])('still mutates %j', (lit) => {
    expect(got.get(lit)).toBe(false);
  });
});
