import { builtinModules } from 'node:module';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `${name}/*`, `node:${name}`, `node:${name}/*`]);

const noNode = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'This folder runs without Node: no node:* imports.' })),
};
const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };

/** What the window may not import: Node, Electron, or anything but electron/shared. */
const rendererImports = {
  paths: [
    ...noNode.paths.map((p) => ({ ...p, message: 'The renderer has no Node: ask main through the bridge.' })),
    noElectron,
  ],
  patterns: [
    {
      group: ['**/electron/core/**', '**/electron/main/**', '**/electron/preload/**', '**/electron/cli/**'],
      message: 'The renderer may import electron/shared only; everything else goes through the bridge.',
    },
  ],
};

/** What core and the CLI may not import (Electron, the window), plus a layer's own `extra` rule. */
function coreImports(extra) {
  return {
    paths: [
      noElectron,
      { name: 'electron-store', message: 'electron-store needs Electron; core takes a SettingsBacking instead.' },
    ],
    patterns: [
      {
        group: ['**/main/**', '**/preload/**', '**/renderer/**'],
        message: 'core and cli run without Electron and without the window.',
      },
      ...(extra ? [extra] : []),
    ],
  };
}

/**
 * Words people read come from the message catalogue (electron/shared/i18n), never from literals:
 * text in a Svelte template, a label-like attribute, or a string of words in a word module.
 */
const WORDS = 'Words people read come from the message catalogue (m.*), so every language has them.';
const noWordLiterals = [
  'error',
  { selector: ':not(SvelteStyleElement) > SvelteText[value=/[A-Za-z]{3,}/]', message: WORDS },
  {
    selector:
      'SvelteAttribute[key.name=/^(aria-label|title|alt|label|detail|intro|submitLabel)$/] > SvelteLiteral[value=/[A-Za-z]{3,}/]',
    message: WORDS,
  },
  // A placeholder of words, not an example of what to type (a key's form, a host, an address).
  {
    selector: 'SvelteAttribute[key.name="placeholder"] > SvelteLiteral[value=/[A-Za-z]{2,} [A-Za-z]{2,}/]',
    message: WORDS,
  },
  { selector: ':not(ImportDeclaration) > Literal[value=/[A-Za-z]{2,}[ ,:;!?]+[A-Za-z]{2,}/]', message: WORDS },
  { selector: 'TemplateElement[value.raw=/[A-Za-z]{2,} [A-Za-z]{2,}/]', message: WORDS },
];

/** Commander's help text: the description of a command, an option or an argument. */
const HELP =
  'CallExpression[callee.property.name=/^(description|option|requiredOption|argument|addHelpText|default)$/]';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      '.cache/**',
      'electron/shared/i18n/generated/**',
    ],
  },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware rules: a dropped promise loses work or an error, a forgotten state a screen.
    files: ['electron/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.svelte', 'test/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // Tests read loosely typed JSON from real HTTP responses and assert on its shape.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // State classes swap whole immutable Maps/Sets held in $state.raw: one cheap reassignment per
      // event for a 10,000-row queue, instead of fine-grained SvelteMap tracking on every row.
      'svelte/prefer-svelte-reactivity': 'off',
      'no-restricted-imports': ['error', rendererImports],
    },
  },
  {
    // Views and components talk to main through the state classes in renderer/src/lib, never the
    // bridge itself, so every call has one place that handles its answer.
    files: ['renderer/src/**'],
    ignores: ['renderer/src/lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...rendererImports,
          patterns: [
            ...rendererImports.patterns,
            {
              group: ['**/lib/bridge', '**/lib/bridge.*'],
              message: 'Only renderer/src/lib uses the bridge; add a method to its model.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNode.paths, noElectron],
          patterns: [
            {
              group: ['**/core/**', '**/main/**', '**/preload/**', '**/cli/**', '**/renderer/**', 'svelte', 'svelte/*'],
              message: 'electron/shared is pure TypeScript and imports only other shared modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**', 'electron/cli/**'],
    rules: { 'no-restricted-imports': ['error', coreImports()] },
  },
  {
    // Layers: the API client knows nothing of what uses it, and media checks know nothing of the
    // queue; the queue uses both, never the other way round, so there is no import cycle.
    files: ['electron/core/api/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        coreImports({
          group: ['**/upload/**', '**/media/**', '**/library/**', '**/watch/**', '**/queue/**', '**/root/**'],
          message: 'electron/core/api talks to TwelveLabs: it imports only network, store and shared.',
        }),
      ],
    },
  },
  {
    // Utilities are the floor: anything may use them, and they use nothing of the core's.
    files: ['electron/core/util/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        coreImports({ regex: '^\.\./(?!\.\./)', message: 'electron/core/util imports only shared and Node.' }),
      ],
    },
  },
  {
    files: ['electron/core/media/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        coreImports({
          group: ['**/upload/**', '**/library/**', '**/watch/**', '**/queue/**'],
          message: 'Media checks know nothing of the queue; the queue imports them.',
        }),
      ],
    },
  },
  {
    // Raw IPC only where the contract is registered (main/ipc.ts) and bridged (the preload): every
    // other channel use goes through the typed contract.
    files: ['electron/main/**'],
    ignores: ['electron/main/ipc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Only electron/main/ipc.ts registers IPC; use the typed contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noNode.paths,
          patterns: [
            {
              group: ['**/core/**', '**/main/**', '**/renderer/**'],
              message: 'The sandboxed preload bundles only electron/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    // The window and the modules whose words every surface shares.
    files: [
      'renderer/src/**/*.svelte',
      'renderer/src/lib/*.ts',
      'electron/shared/{attention,banner,batch,error-catalogue,indexes,metadata,network,updates,upload-status,uploads,watch,words}.ts',
      'electron/main/{batch-tracker,menu}.ts',
    ],
    rules: { 'no-restricted-syntax': noWordLiterals },
  },
  {
    // The command line's human output and the connection check, which the window shows too. Its
    // help (commander's descriptions of commands and options) stays English, like its flags.
    files: [
      'electron/cli/**/*.ts',
      'electron/core/network/trust.ts',
      'electron/core/api/doctor.ts',
      'electron/core/queue/handover.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...noWordLiterals.slice(1).map((rule) => ({
          ...rule,
          selector: `${rule.selector}:not(${HELP} > *, ${HELP} > * > *, NewExpression[callee.name="Option"] > *)`,
        })),
      ],
    },
  },
);
