// Lint and layering. The layers are enforced here, not by convention: the engine knows nothing of
// the host, the fronts or Electron; the fronts (Electron's main process, browser mode's server)
// import no store driver; the renderer imports nothing of main; shared imports nothing of ours.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const DRIVERS = ['better-sqlite3', 'pg', 'pg-copy-streams'];
/** Modules that open stores: only the data host (and the CLI, which is its own process) may load them. */
const STORE_MODULES = [
  '**/engine/sqlite-store*',
  '**/engine/sqlite-native*',
  '**/engine/postgres-store*',
  '**/engine/open-store*',
  '**/engine/formats/**',
  '**/service/inspector-service*',
];

const restrict = (patterns, message) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: patterns, message, allowTypeImports: true }] }],
});

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
      ...restrict(['**/main/**', '**/preload/**', 'electron', 'node:*', ...DRIVERS], 'the renderer talks to the rest only through the contract (api/transport)'),
    },
  },
  { files: ['src/shared/**/*.ts'], rules: restrict(['../*', '../../*', 'electron', 'node:*'], 'shared code imports nothing of ours (only zod)') },
  {
    files: ['src/main/engine/**/*.ts'],
    rules: restrict(
      ['**/service/**', '**/server/**', '**/cli/**', '**/front/**', '**/host/**', '**/electron/**', '**/shell/**', 'electron'],
      'the engine is shared by the CLI, the bench and the host: it imports none of them, nor Electron',
    ),
  },
  {
    files: ['src/main/index.ts', 'src/main/electron/**/*.ts', 'src/main/front/**/*.ts', 'src/main/server/**/*.ts', 'src/main/shell/**/*.ts'],
    rules: restrict([...DRIVERS, ...STORE_MODULES], "the fronts never touch a store: store work is the data host's"),
  },
  {
    files: ['src/main/host/**/*.ts', 'src/main/service/**/*.ts'],
    rules: restrict(['**/front/**', '**/server/**', '**/electron/**', '**/cli/**', 'electron'], 'the data host runs the same code in a worker thread and a utility process'),
  },
  { files: ['src/preload/**/*.ts'], rules: restrict(['**/main/**', '**/renderer/**', ...DRIVERS], 'the preload only bridges the contract') },
);
