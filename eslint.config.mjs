// ESLint (flat config): typescript-eslint's recommended rules, and the layer rules of
// ARCHITECTURE.md as import boundaries. Formatting is Prettier's job, types are tsc's
// (`npm run lint` runs both ESLint and the per-layer tsconfigs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node's built-in modules, with and without the `node:` prefix (a regex: `events` is also a folder of ours). */
const NODE_BUILTINS = [
  'fs',
  'path',
  'http',
  'https',
  'net',
  'crypto',
  'url',
  'util',
  'os',
  'child_process',
  'stream',
  'events',
  'readline',
  'tls',
  'zlib',
  'worker_threads',
  'dns',
  'dgram',
  'buffer',
  'process',
];
const LIT = ['lit', 'lit/*', '@lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*'];

/** `no-restricted-imports` patterns: each group says which layer a file may not import. */
const forbid = (message, ...group) => ({ group, message });
const layer = (files, ...patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

const browserOnly = {
  regex: `^(node:.*|(${NODE_BUILTINS.join('|')})(/.*)?)$`,
  message: 'Browser code never imports Node built-ins.',
};
const noLit = forbid(
  'core/, sdk/ and protocol/ never import lit: they run without a DOM framework.',
  ...LIT,
);
const noElements = (who) =>
  forbid(
    `${who} never imports the element layer (components, controllers, context, i18n, internal, react).`,
    '**/components/**',
    '**/controllers/**',
    '**/context/**',
    '**/i18n/**',
    '**/internal/**',
    '**/react/**',
  );
const noGateway = forbid(
  'Browser code never imports the dev gateway.',
  '**/gateway/**',
  'ws',
  'werift',
  'selfsigned',
);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'build/**',
      'node_modules/**',
      'bench/results/**',
      'demo/angular/**',
      'test/screenshots/**',
      '.cem-check/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // tsc checks names and globals (per layer); these rules only duplicate it, and badly for types
      'no-undef': 'off',
      'no-redeclare': 'off',
      // unused names are tsc's `noUnusedLocals`; `_`-prefixed parameters mark a deliberate skip
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          ignoreRestSiblings: true,
        },
      ],
      // `any` is sometimes the honest type at an untyped seam (tests, fakes); tsc strict catches the rest
      '@typescript-eslint/no-explicit-any': 'warn',
      // fakes and test doubles implement interfaces with empty methods
      '@typescript-eslint/no-empty-function': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        // `typeof import('./lazy.js')` names a module loaded with import() later
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // `cond && run()` and `(a(), b())` are house style for one-line side effects
      '@typescript-eslint/no-unused-expressions': [
        'error',
        { allowShortCircuit: true, allowTernary: true },
      ],
      // typed addEventListener overloads on EventTarget subclasses: the DOM's own pattern
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': 'allow-with-description' }],
      // a shared session forwards the caller's exact arguments to the leader tab (session.ts)
      'prefer-rest-params': 'off',
      // object-literal getters that read their owner (`const ph = this; return { get tp() … }`)
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['ph', 'self'] }],
      // Prettier owns line breaks (it puts `[i]` of a long chain on its own line)
      'no-unexpected-multiline': 'off',
    },
  },
  {
    // chai's property assertions (`expect(x).to.be.true`) are expressions by design
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  // --- layer boundaries (ARCHITECTURE.md) -------------------------------------------------------
  layer(
    ['src/protocol/**/*.ts'],
    browserOnly,
    noLit,
    noElements('protocol/'),
    noGateway,
    forbid(
      'protocol/ is the bottom layer: it imports no other layer.',
      '**/sdk/**',
      '**/core/**',
      '**/events/**',
    ),
  ),
  layer(
    ['src/sdk/**/*.ts'],
    browserOnly,
    noLit,
    noElements('sdk/'),
    noGateway,
    forbid(
      'sdk/ never imports core/ or events/: the core drives the SDK, not the other way round.',
      '**/core/**',
      '**/events/**',
    ),
  ),
  {
    ...layer(
      ['src/core/**/*.ts'],
      browserOnly,
      noLit,
      noElements('core/'),
      noGateway,
      forbid('core/ never imports events/ (element events).', '**/events/**'),
    ),
  },
  {
    // the core reaches our SDK through one door (core/bundled-engine*.ts); elsewhere types only
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/bundled-engine.ts', 'src/core/bundled-engine.static.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            browserOnly,
            noLit,
            noElements('core/'),
            noGateway,
            forbid('core/ never imports events/ (element events).', '**/events/**'),
            {
              group: ['**/sdk/**'],
              allowTypeImports: true,
              message:
                'core/ imports values from sdk/ only through core/bundled-engine.ts (type imports are fine).',
            },
          ],
        },
      ],
    },
  },
  layer(
    ['src/{components,controllers,context,events,i18n,internal,react}/**/*.ts', 'src/*.ts'],
    browserOnly,
    noGateway,
  ),
  layer(
    ['src/gateway/**/*.ts'],
    forbid(
      'The dev gateway is Node: it never imports browser layers (only protocol/).',
      '**/sdk/**',
      '**/core/**',
      '**/components/**',
      '**/controllers/**',
      '**/context/**',
      '**/events/**',
      '**/i18n/**',
      '**/internal/**',
      '**/react/**',
      ...LIT,
    ),
  ),
  {
    // Node scripts and configs in plain JS
    files: ['**/*.{js,mjs,cjs}'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      // callbacks in the demos name every parameter of the AWL signature they implement
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
);
