/**
 * The message-text ignorer (build/stryker/ignore-messages.mjs) also skips the test of a conditional
 * that only picks between two sentences of a message (`message: hops > 1 ? `…` : `…``), and nothing
 * else: a conditional in a details field or a code, one whose test assigns or calls, and one with a
 * branch that is not a sentence are still mutated. Walked the way Stryker's instrumenter walks
 * (IgnorerBookkeeper: once a node is ignored, so is everything below it), on a Babel AST.
 */
import { parse } from '@babel/parser';
// @ts-expect-error -- no type declarations installed; @babel/traverse comes with Stryker's instrumenter
import traverseModule from '@babel/traverse';
import { describe, expect, it } from 'vitest';

// @ts-expect-error -- a plain .mjs build script without type declarations
import { strykerPlugins } from '../../../build/stryker/ignore-messages.mjs';

const traverse = ((traverseModule as unknown as { default?: unknown }).default ?? traverseModule) as (ast: unknown, visitors: object) => void;
const ignorer = (strykerPlugins[0] as { value: { shouldIgnore(p: unknown): string | undefined } }).value;

interface NodePath {
  node: { type: string; start: number; end: number };
}

/** Source text of every comparison, call and update expression, and whether it lies in an ignored subtree. */
function ignoredExpressions(src: string): Map<string, boolean> {
  const ast = parse(src, { sourceType: 'module', plugins: ['typescript'] });
  const out = new Map<string, boolean>();
  let active: unknown = null;
  traverse(ast, {
    enter(p: NodePath) {
      if (active === null && ignorer.shouldIgnore(p) !== undefined) active = p.node;
      if (['BinaryExpression', 'CallExpression', 'UpdateExpression', 'StringLiteral'].includes(p.node.type)) out.set(src.slice(p.node.start, p.node.end), active !== null);
    },
    exit(p: NodePath) {
      if (active === p.node) active = null;
    },
  });
  return out;
}

describe('message-text ignorer: a condition that only picks the sentence', () => {
  const src = `
    export function f(n: number, s: { ok: boolean; kind: string }, g: () => boolean) {
      const a = { rule: 'rule-a', message: n > 1 ? \`many \${n}\` : 'one', details: { hops: n > 2 ? n : 0 } };
      const b = { message: s.ok ? 'fine' : s.kind === 'x' ? 'x-ish' : \`other \${s.kind}\` };
      const message = n > 3 ? \`self \${n}\` : \`ring \${n}\`;
      const c = { message: g() ? 'called' : 'not called' };
      const d = { message: n++ > 4 ? 'bumped' : 'not bumped' };
      const e = { message: n > 5 ? s.kind : 'a word' };
      const code = n > 6 ? 'LT_A' : 'LT_B';
      const why = { reason: n > 7 ? 'r1' : 'r2' };
      const mixed = { message: n > 8 ? 'eight' : n === 9 ? s.kind : 'nine' };
      return [a, b, message, c, d, e, code, why, mixed];
    }
  `;
  const got = ignoredExpressions(src);

  it.each([
    ['n > 1', 'a message property'],
    ["s.kind === 'x'", 'a nested choice between sentences'],
    ['n > 3', 'a const named message'],
    ['n > 7', 'a reason property'],
  ])('ignores the test %j (%s)', (expr) => {
    expect(got.get(expr)).toBe(true);
  });

  it.each([
    ['n > 2', 'a details field'],
    ['g()', 'a call in the test (it could act)'],
    ['n++', 'an update in the test'],
    ['n > 5', 'a branch that is a value, not a sentence'],
    ['n > 6', 'a code'],
    ['n > 8', 'a nested branch that is a value'],
    ['n === 9', 'the nested test with a value branch'],
    ["'LT_A'", 'a code literal'],
    ["'rule-a'", 'a rule id'],
  ])('still mutates %j (%s)', (expr) => {
    expect(got.get(expr)).toBe(false);
  });
});

describe('message-text ignorer: a table of words read only inside a message template', () => {
  const src = `
    export function g(reasons: string[]) {
      const words = { a: 'word-a', b: 'word-b' };
      const codes = { a: 'code-a' };
      const inBlock = { a: 'block-a' };
      return {
        message: \`has \${reasons.map((r) => words[r as 'a']).join(', ')} \${reasons.map((r) => { return inBlock[r as 'a']; })}\`,
        details: { codes, first: reasons.map((r) => codes[r as 'a']) },
      };
    }
  `;
  const got = ignoredExpressions(src);

  it('ignores the words (read only inside the message)', () => {
    expect(got.get("'word-a'")).toBe(true);
    expect(got.get("'word-b'")).toBe(true);
  });

  it.each([
    ["'code-a'", 'also in details'],
    ["'block-a'", 'read in a statement of a function inside the text'],
  ])('still mutates %j (%s)', (lit) => {
    expect(got.get(lit)).toBe(false);
  });
});
