// Bundled in place of `node:http` (see esbuild-bundler.ts, BUILTIN_SHIMS): the same module object, without an ESM import.
module.exports = process.getBuiltinModule('node:http');
