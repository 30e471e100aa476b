// Rewrites the `sources` of an esbuild source map to paths relative to the project root, so a bundle
// (and its asset hash) does not depend on where the cloud assembly is written (cdk.out, a temp dir…).
// Usage: node normalize-source-map.mjs <outputDir> <projectRoot>
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const [outputDir, projectRoot] = process.argv.slice(2);
if (!outputDir || !projectRoot) {
  console.error('usage: normalize-source-map.mjs <outputDir> <projectRoot>');
  process.exit(2);
}
const mapFile = join(outputDir, 'index.mjs.map');
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
map.sources = map.sources.map((source) =>
  relative(projectRoot, resolve(outputDir, source)).split(sep).join('/'),
);
writeFileSync(mapFile, JSON.stringify(map));
