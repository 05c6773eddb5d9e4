import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The import rules need no type information, and these files exist only as text: the rules that
// do (and the project service that gives it) are left out here.
const eslint = new ESLint({
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
    },
  },
});

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the folder decides the runtime', () => {
  it.each([
    ['renderer/src/leak.ts', "import { readFile } from 'node:fs';\nvoid readFile;\n"],
    ['renderer/src/leak.ts', "import { readFile } from 'fs';\nvoid readFile;\n"],
    ['renderer/src/leak.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n"],
    [
      'renderer/src/leak.ts',
      "import { WindowContract } from '../../electron/core/root/window-contract';\nvoid WindowContract;\n",
    ],
    ['electron/core/leak.ts', "import { app } from 'electron';\nvoid app;\n"],
    ['electron/core/leak.ts', "import { registerIpc } from '../main/ipc';\nvoid registerIpc;\n"],
    ['electron/shared/leak.ts', "import { join } from 'node:path';\nvoid join;\n"],
    [
      'electron/shared/leak.ts',
      "import { WindowContract } from '../core/root/window-contract';\nvoid WindowContract;\n",
    ],
    ['electron/cli/leak.ts', "import { app } from 'electron';\nvoid app;\n"],
    ['electron/preload/leak.ts', "import { readFile } from 'node:fs';\nvoid readFile;\n"],
    ['electron/main/tray.ts', "import { ipcMain } from 'electron';\nvoid ipcMain;\n"],
    ['renderer/src/uploads/Leak.ts', "import { api } from '../lib/bridge';\nvoid api;\n"],
    [
      'electron/core/media/leak.ts',
      "import type { UploadEngine } from '../upload/engine';\nexport type E = UploadEngine;\n",
    ],
    ['electron/core/api/leak.ts', "import { intake } from '../media/intake';\nvoid intake;\n"],
    ['electron/core/api/leak.ts', "import { Library } from '../library/library';\nvoid Library;\n"],
    ['electron/core/media/leak.ts', "import { app } from 'electron';\nvoid app;\n"],
    ['electron/core/util/leak.ts', "import { Logger } from '../log/logger';\nvoid Logger;\n"],
    ['electron/core/api/leak.ts', "import { dataFiles } from '../root/core';\nvoid dataFiles;\n"],
  ])('lint fails on %s importing %j', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['renderer/src/ok.ts', "import { connectionLabel } from '../../electron/shared/words';\nvoid connectionLabel;\n"],
    ['electron/core/ok.ts', "import { readFile } from 'node:fs';\nvoid readFile;\n"],
    ['electron/core/upload/ok.ts', "import { intake } from '../media/intake';\nvoid intake;\n"],
    ['electron/core/api/ok.ts', "import { storageProblem } from '../store/storage-failure';\nvoid storageProblem;\n"],
    ['electron/core/util/ok.ts', "import { m } from '../../shared/i18n';\nvoid m;\n"],
    ['electron/main/ok.ts', "import { app } from 'electron';\nvoid app;\n"],
    ['electron/preload/ok.ts', "import { contextBridge } from 'electron';\nvoid contextBridge;\n"],
  ])('lint accepts %s importing %j', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([]);
  });
});

async function wordLiterals(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').length;
}

describe('words come from the catalogue', () => {
  it.each([
    ['renderer/src/uploads/Leak.svelte', '<p>Upload failed</p>\n'],
    ['renderer/src/uploads/Leak.svelte', '<button aria-label="Close details">×</button>\n'],
    ['renderer/src/uploads/Leak.svelte', '<input placeholder="Search names and folders" />\n'],
    ['renderer/src/lib/leak.ts', "export const words = 'Added to the list';\n"],
    ['electron/shared/words.ts', 'export const words = (n: number) => `${n} files waiting`;\n'],
  ])('lint fails on words written into %s: %j', async (filePath, code) => {
    expect(await wordLiterals(filePath, code)).toBeGreaterThan(0);
  });

  it.each([
    [
      'renderer/src/settings/Ok.svelte',
      '<script lang="ts">\n  import { m } from \'../../../electron/shared/i18n\';\n</script>\n\n<p>{m.status_failed()}</p>\n',
    ],
    ['renderer/src/settings/Ok.svelte', '<input placeholder="proxy.example.com:8080" />\n'],
    ['renderer/src/lib/ok.ts', "export const kind = 'file-missing';\n"],
  ])('lint accepts %s: %j', async (filePath, code) => {
    expect(await wordLiterals(filePath, code)).toBe(0);
  });
});
