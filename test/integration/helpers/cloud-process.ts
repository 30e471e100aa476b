// A local cloud in its own process, for tests that kill it: started with the options in the
// FACTU_CLOUD_OPTIONS environment variable (JSON), it prints `READY <stack JSON>` on one line once it serves,
// then runs until it is killed. Run with tsx.
import { type StartLocalCloudOptions, startLocalCloud } from '#local/cloud';

const options = JSON.parse(process.env.FACTU_CLOUD_OPTIONS ?? '{}') as StartLocalCloudOptions;
const cloud = await startLocalCloud(options);
process.stdout.write(`READY ${JSON.stringify(cloud.stack)}\n`);
process.on('SIGTERM', () => {
  void cloud.stop().finally(() => process.exit(0));
});
