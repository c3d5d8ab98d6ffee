// Lint and layering. The layers are an allow-list (scripts/layers.mjs, checked by
// scripts/eslint-layers.mjs): every source file belongs to one, and imports only what it allows.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import layers from './scripts/eslint-layers.mjs';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'native/**', 'node_modules/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off', // tests read JSON replies loosely; src code keeps its types
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // Layers by allow-list (scripts/layers.mjs): every source file in one, every import allowed by it.
  { files: ['src/**/*.{ts,tsx}'], plugins: { layers }, rules: { 'layers/allowed-imports': 'error' } },
);
