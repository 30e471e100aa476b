import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Maps the frames of a bundled stack (`file:///var/task/index.mjs:1:52344`) back to the sources
 * (`shared/http/middlewares.ts:118:13`) through the `index.mjs.map` shipped next to the bundle.
 *
 * Why not `NODE_OPTIONS=--enable-source-maps`: Node then parses the whole map at module load, which costs
 * every cold start 40–130 ms. Here the map of a file is read and parsed on the first error that is logged
 * from it, and kept for the rest of the container's life; an invocation that logs no error pays nothing.
 */
const maps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      const mapFile = `${file}.map`;
      map = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null;
    } catch {
      // An unreadable map leaves the frames as they are: the error itself must still be logged.
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

/** `<file>:<line>:<column>` of a JavaScript file, as V8 writes it in a stack frame. */
const FRAME_LOCATION = /((?:file:\/\/)?\/[^\s()]+\.m?js):(\d+):(\d+)/g;

/** The stack with every frame of a source-mapped file rewritten to its original file, line and column. */
export function originalStack(stack: string): string {
  return stack.replace(FRAME_LOCATION, (location: string, file: string, line: string, column: string) => {
    const map = sourceMapOf(file.startsWith('file:') ? fileURLToPath(file) : file);
    if (!map) return location;
    const origin = map.findOrigin(Number(line), Number(column));
    if (!('fileName' in origin)) return location;
    return `${origin.fileName}:${origin.lineNumber}:${origin.columnNumber}`;
  });
}

/**
 * A copy of the error (same prototype and own properties, so it is formatted exactly like the original)
 * whose stack, and its causes' stacks, point at the sources.
 */
export function withOriginalStack<E extends Error>(error: E, depth = 0): E {
  const descriptors = Object.getOwnPropertyDescriptors(error);
  if (typeof error.stack === 'string') {
    descriptors.stack = { value: originalStack(error.stack), writable: true, configurable: true };
  }
  // Bounded: a cause chain can be cyclic.
  if (error.cause instanceof Error && depth < 8) {
    const cause = withOriginalStack(error.cause, depth + 1);
    descriptors.cause = { value: cause, writable: true, configurable: true };
  }
  return Object.create(Object.getPrototypeOf(error), descriptors) as E;
}
