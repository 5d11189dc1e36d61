// Type-aware lint: typescript-eslint's recommended-type-checked set over every TypeScript
// file the compiler sees (tsconfig.json), plus the rules below. Formatting is prettier's job.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'client/dist/', 'coverage/', 'node_modules/', '.demo/', 'data/', 'test-artifacts/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Template literals are how log lines and error messages are built here; numbers in
      // them are meant (counts, ports, ms). Objects and unknowns in templates stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Off: an `async` method that implements a Promise-returning interface without awaiting
      // (fakes, synthetic sources, close()) turns a throw into a rejection, which is what its
      // callers handle. Forgotten awaits are caught by no-floating-promises and no-misused-promises.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The command-line front end talks to a terminal.
    files: ['bin/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // jest's expect(obj.method).toHaveBeenCalled() passes methods unbound on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // jest's asymmetric matchers (expect.any, expect.stringMatching, expect.objectContaining)
      // are typed `any`, and a test assigns them into expected objects on almost every line.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Tests read raw wire answers (JSON bodies, MongoDB documents, index listings) to assert on
      // them; typing each field first would only restate the assertion.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Parity and frequency tests print their measured tables, which is what a reader wants to see.
      'no-console': 'off',
    },
  },
  {
    // examples/ imports the published package by name ('candela' → dist/), which exists only
    // after a build, so it is linted without type information.
    files: ['examples/**/*.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Plain JavaScript config and build scripts are outside the TypeScript project.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly' } },
  },
);
