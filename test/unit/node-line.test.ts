import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

// The app's main process, engine and CLI run inside Electron 45, which embeds Node 24: tests that
// ran on another line would prove little about them.
describe('the Node the tests run on', () => {
  it('is Node 24, the line Electron 45 embeds and `engines` names', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
    expect(pkg.engines.node).toBe('>=24.11 <25');
  });

  it('is the project’s own pinned Node when npm starts the tests', () => {
    // npm puts node_modules/.bin first on a script's PATH; a run outside npm may use any Node 24.
    if (!process.env.npm_lifecycle_event) return;
    expect(process.versions.node).toBe(pkg.devDependencies.node);
  });

  it('has the APIs the system trust store needs', async () => {
    const tls = await import('node:tls');
    expect(typeof tls.getCACertificates).toBe('function');
    expect(typeof tls.setDefaultCACertificates).toBe('function');
  });
});
