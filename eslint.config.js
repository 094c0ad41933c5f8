// The linter: typescript-eslint's recommended rules (syntax-only, so `npm run lint` stays fast and
// does not repeat the type-check that `npm run typecheck` already does). Module boundaries are
// checked separately by dependency-cruiser (.dependency-cruiser.cjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'vendor/', 'data/', 'coverage/', 'migrations/', 'playwright-report/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    rules: {
      // An unused name is a bug or dead code; a leading underscore says "unused on purpose".
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_',
        ignoreRestSiblings: true,
      }],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/consistent-type-imports': 'off',
      // TypeScript itself reports undefined names, with the types in view.
      'no-undef': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Refusing control characters at the edge means matching them on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
