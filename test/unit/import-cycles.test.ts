import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every module under `root` (generated code aside), with the relative imports it makes, types included. */
function importGraph(roots: readonly string[]): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'generated' && name !== 'node_modules') walk(path);
      } else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
    }
  };
  roots.forEach(walk);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gs)]
      .map((match) => normalize(join(dirname(file), match[1]!)))
      .map((target) => [target, `${target}.ts`, join(target, 'index.ts')].find((path) => known.has(path)))
      .filter((path): path is string => path !== undefined);
    graph.set(file, targets);
  }
  return graph;
}

/** Groups of modules that import each other, directly or around a circle (Tarjan's algorithm). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the import picture', () => {
  it('has no circle: each module of main, core, shared, the CLI and the window can be read on its own', () => {
    const graph = importGraph(['electron', 'renderer/src']);
    expect(graph.size).toBeGreaterThan(150);
    expect(circles(graph)).toEqual([]);
  });

  it("matches the picture of the core's parts in docs/architecture.md, arrow for arrow", () => {
    const part = (file: string) => relative('electron/core', file).split('/')[0]!;
    const arrows = new Set<string>();
    for (const [file, targets] of importGraph(['electron/core'])) {
      for (const target of targets) if (part(file) !== part(target)) arrows.add(`${part(file)} -> ${part(target)}`);
    }
    const picture = /```text\n# The core's parts and their arrows\n([\s\S]*?)```/.exec(
      readFileSync('docs/architecture.md', 'utf8'),
    );
    const drawn = new Set(
      picture![1]!
        .split('\n')
        .map((line) => /^\s*(\w+)\s+->\s+(.*)$/.exec(line))
        .flatMap((match) => (match ? match[2]!.split(/\s+/).map((to) => `${match[1]} -> ${to}`) : [])),
    );
    expect([...arrows].sort()).toEqual([...drawn].sort());
    // Every part is in the picture, with its arrows or as one that imports no other part.
    const parts = readdirSync('electron/core').filter((name) => statSync(join('electron/core', name)).isDirectory());
    for (const name of parts) expect(picture![1]).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('finds a circle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(graph)).toEqual([['a', 'b', 'c']]);
  });
});
