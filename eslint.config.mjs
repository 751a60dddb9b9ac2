// Lint gate (CI runs it before the tests): TypeScript-aware recommended rules, nothing stylistic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'jest.config.js', 'jest.mutation.config.js', '.dependency-cruiser.cjs', 'reports/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  // The app logs through shared/log/logger.ts (one JSON line per event, with the invocation's fields).
  { files: ['shared/**/*.ts', 'functions/**/*.ts'], ignores: ['shared/log/logger.ts'], rules: { 'no-console': 'error' } },
  // Tests and their support code handle arbitrary JSON bodies; `any` is fine there.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
