/**
 * `npm run hka-sandbox -- --port 8099 [--host 127.0.0.1] [--seed 1] [--data-dir .local/hka] [--ses-endpoint URL]`
 * The FIRST line on stdout is one JSON object `{ url, tokens }` (scripts read it); logs go to stderr.
 */
import { parseArgs } from 'node:util';
import { startHkaSandbox } from './sandbox.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    'data-dir': { type: 'string' },
    'ses-endpoint': { type: 'string' },
    'from-address': { type: 'string' },
  },
});

const sandbox = await startHkaSandbox({
  port: values.port ? Number(values.port) : 0,
  ...(values.host ? { host: values.host } : {}),
  ...(values.seed ? { seed: Number(values.seed) } : {}),
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  ...(values['ses-endpoint'] ? { sesEndpoint: values['ses-endpoint'] } : {}),
  ...(values['from-address'] ? { fromAddress: values['from-address'] } : {}),
  log: (message, extra) => console.error(JSON.stringify({ message, ...extra })),
});

process.stdout.write(`${JSON.stringify({ url: sandbox.url, tokens: sandbox.tokens })}\n`);
console.error(
  `hka-sandbox listening: ${sandbox.url} (admin ${sandbox.adminUrl}, PAC reception ${sandbox.pacReceptionUrl})`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    sandbox.close().then(() => process.exit(0));
  });
}
