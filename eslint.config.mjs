// ESLint (flat config): a few type-aware rules that catch real bugs, nothing stylistic (Prettier
// formats). `npm run lint` runs this and `prettier --check`; `npm run lint:fix` fixes what it can.
import { readFileSync } from 'node:fs';
import tseslint from 'typescript-eslint';

// Paths another branch is still editing (see the file); gitignore-style lines become globs.
const pending = process.env.LT_LINT_ALL
  ? []
  : readFileSync(new URL('./.eslint-pending', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.replace(/^\//, '').replace(/\/$/, '/**'));

const OS_MODULES = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'os', 'node:os', 'child_process', 'node:child_process', 'process', 'node:process'];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', '.cache/**', '.tmp/**', 'engine/src/contract/{types,schemas}.ts', 'engine/src/contract/validators.{js,d.ts}', ...pending],
  },
  {
    files: ['**/*.ts', '**/*.mjs'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  // The floors (docs/architecture.md): each imports only from the floors below it; ntfs/ and core/
  // never reach the OS themselves.
  ...[
    ['engine/src/{errors,version}.ts', ['ntfs', 'platform', 'core', 'commands', 'cli']],
    ['engine/src/ntfs/**', ['platform', 'core', 'commands', 'cli'], OS_MODULES],
    ['engine/src/platform/**', ['core', 'commands', 'cli']],
    ['engine/src/core/**', ['commands', 'cli'], OS_MODULES],
    ['engine/src/commands/**', ['cli']],
  ].map(([files, above, os = []]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: above.map((floor) => ({ group: [`**/${floor}/**`, `../${floor}/*`], message: `${floor}/ is a floor above this one.` })),
          // Every OS fact the core needs is a Backend method (so the mock answers it too).
          paths: os.map((name) => ({ name, message: 'the file system and the process are reached through the Backend (platform/), never from here.' })),
        },
      ],
    },
  })),
  {
    // Plain JavaScript: type imports do not exist there.
    files: ['**/*.mjs'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
