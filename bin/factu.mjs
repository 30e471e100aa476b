#!/usr/bin/env node
// `npx factu …` from the repository: registers tsx (TypeScript, package.json `imports`) and runs the CLI.
// The tsconfig is the repository's, whatever the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../shared/cli/main.ts');
