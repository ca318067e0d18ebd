/**
 * The Stryker ignorer (build/stryker/ignore-messages.mjs) skips message text and nothing else: error
 * messages, `message`/`reason` sentences and message-helper arguments are ignored; codes, rule ids,
 * tags and other literals are still mutated. Checked on a small TypeScript sample with Babel, which
 * is what Stryker's instrumenter walks.
 */
import { parse } from '@babel/parser';
// @ts-expect-error -- no type declarations installed; @babel/traverse comes with Stryker's instrumenter
import traverseModule from '@babel/traverse';
import { describe, expect, it } from 'vitest';

// @ts-expect-error -- a plain .mjs build script without type declarations
import { strykerPlugins } from '../../../build/stryker/ignore-messages.mjs';

// @babel/traverse is CommonJS: its default export may be wrapped once more.
const traverse = ((traverseModule as unknown as { default?: unknown }).default ?? traverseModule) as (ast: unknown, visitors: object) => void;
const ignorer = (strykerPlugins[0] as { factory?: unknown; value?: { shouldIgnore(p: unknown): string | undefined } }).value!;

function ignoredLiterals(src: string): Map<string, boolean> {
  const ast = parse(src, { sourceType: 'module', plugins: ['typescript'] });
  const out = new Map<string, boolean>();
  traverse(ast, {
    StringLiteral(p: { node: { value: string } }) {
      out.set(p.node.value, ignorer.shouldIgnore(p) !== undefined);
    },
    TemplateLiteral(p: { node: { quasis: { value: { raw: string } }[] } }) {
      out.set(`\`${p.node.quasis.map((q) => q.value.raw).join('${}')}\``, ignorer.shouldIgnore(p) !== undefined);
    },
  });
  return out;
}

describe('message-text ignorer', () => {
  const src = `
    import { LinkToolsError } from './errors.js';
    function bad(message: string): LinkToolsError { return new LinkToolsError('LT_BAD', 'prefix ' + message); }
    function helper(x: string): string { return x; }
    export function f(n: number) {
      if (n < 0) throw new LinkToolsError('LT_INVALID_ARGUMENT', \`negative \${n}\`, 'the-path');
      if (n === 1) throw bad('one is bad');
      const r = { code: 'LT_CODE', message: n > 2 ? 'big' : 'small', reason: 'because', rule: 'rule-id' };
      let reason = 'initial';
      reason = 'assigned';
      return [helper('not a message'), r, reason, 'kind-literal'];
    }
  `;
  const got = ignoredLiterals(src);

  it.each(['prefix ', '`negative ${}`', 'one is bad', 'big', 'small', 'because', 'assigned'])('ignores %j', (lit) => {
    expect(got.get(lit)).toBe(true);
  });

  it.each(['LT_BAD', 'LT_INVALID_ARGUMENT', 'the-path', 'LT_CODE', 'rule-id', 'not a message', 'kind-literal', './errors.js'])('still mutates %j', (lit) => {
    expect(got.get(lit)).toBe(false);
  });
});
