// `npm start`: the local cloud for development. Flags: --reset (wipe .local), --synth (synthesize even if
// cdk.out is up to date with the sources), --no-synth (use cdk.out as it is), --quiet (function output only in
// .local/logs/local.log), --schedules=<seconds> (fire every schedule rule at that interval instead of its own
// rate), --ses-sandbox[=a,b] (SES refuses unverified senders/recipients, as in a new AWS account; a, b: more
// verified addresses/domains).
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalCloud, startLocalCloud } from './cloud.ts';
import { describeStack } from './describe.ts';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = new Set(process.argv.slice(2));
const scheduleArgument = process.argv.find((argument) => argument.startsWith('--schedules='));
const sesSandboxArgument = process.argv.find(
  (argument) => argument === '--ses-sandbox' || argument.startsWith('--ses-sandbox='),
);

// Signal handlers first: Ctrl-C during the start must still stop what already runs (DynamoDB Local's JVM).
let cloud: LocalCloud | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local cloud (state stays in .local/)…`);
  setTimeout(() => process.exit(1), 15_000).unref();
  await starting.catch(() => undefined);
  await cloud?.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

console.log('factu local cloud: starting (synth if sources changed, emulators, resources, demo data)…');
const starting = startLocalCloud({
  dataDir: join(repoRoot, '.local'),
  reset: args.has('--reset'),
  synth: !args.has('--no-synth'),
  forceSynth: args.has('--synth'),
  assemblyDir: args.has('--no-synth') ? join(repoRoot, 'cdk.out') : undefined,
  verbose: !args.has('--quiet'),
  schedules: scheduleArgument
    ? { kind: 'every', intervalMs: Number(scheduleArgument.split('=')[1]) * 1000 }
    : { kind: 'declared' },
  sesSandbox: sesSandboxArgument
    ? {
        verifiedIdentities: (sesSandboxArgument.split('=')[1] ?? '')
          .split(',')
          .map((identity) => identity.trim())
          .filter(Boolean),
      }
    : undefined,
});
try {
  cloud = await starting;
} catch (error) {
  console.error(
    `factu local cloud failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
if (!stopping) console.log(describeStack(cloud.stack, join('.local', 'stack.json')));
