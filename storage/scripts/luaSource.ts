/**
 * Reads a Lua script with its `--- @include "name"` lines replaced by `includes/name.lua`,
 * resolved transitively: an include may include others. Each include is pasted once, before
 * its first use (a second `@include` of the same name is dropped), and a cycle is an error
 * that names every file and line on it.
 */
import { readFileSync } from 'node:fs';

const INCLUDE = /^--- @include "([\w-]+)"\s*$/;

export class IncludeCycleError extends Error {
  override readonly name = 'IncludeCycleError';
}

interface Frame {
  file: string;
  line: number;
}

export function readLuaSource(dir: URL, file: string): string {
  const pasted = new Set<string>();

  function expand(path: string, stack: readonly Frame[]): string {
    const lines = readFileSync(new URL(path, dir), 'utf8').split('\n');
    return lines
      .map((text, index) => {
        const match = INCLUDE.exec(text);
        if (!match) return text;
        const included = `includes/${match[1]!}.lua`;
        const here = [...stack, { file: path, line: index + 1 }];
        const cycleStart = here.findIndex((frame) => frame.file === included);
        if (cycleStart >= 0) {
          const chain = here
            .slice(cycleStart)
            .map((frame) => `${frame.file}:${frame.line}`)
            .join(' -> ');
          throw new IncludeCycleError(
            `Lua include cycle: ${chain} -> ${included} (${path} line ${index + 1} includes "${match[1]!}" again)`,
          );
        }
        if (pasted.has(included)) return `-- (${match[1]!} already included)`;
        pasted.add(included);
        return expand(included, here);
      })
      .join('\n');
  }

  return expand(file, []);
}
