import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAUNCHER = fileURLToPath(new URL('./LoopbackDynamoDbLocal.java', import.meta.url));

/** The DynamoDB Local jar shipped inside amplify-dynamodb-simulator (no download at start). */
function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

export type DynamoDbLocal = { url: string; stop(): Promise<void> };

/**
 * Starts DynamoDB Local (Java) on 127.0.0.1 with data in `dbPath` (`-sharedDb`: one database regardless of
 * credentials/region). We spawn java ourselves rather than through the package's launcher so we own the
 * child: it is killed on stop, and also if this process exits without stopping it.
 */
export async function startDynamoDbLocal({
  port,
  dbPath,
  inMemory = false,
  onOutput,
}: {
  port: number;
  dbPath: string;
  /**
   * `-inMemory` instead of the SQLite file in `dbPath`: nothing survives a stop, and writes (transactions above
   * all) take about half the time. For throwaway data directories (the integration tests), where the
   * number-allocation transactions of a burst of documents queue up in DynamoDB Local.
   */
  inMemory?: boolean;
  onOutput(line: string): void;
}): Promise<DynamoDbLocal> {
  mkdirSync(dbPath, { recursive: true });
  const cwd = emulatorDir();
  const child = spawn(
    'java',
    [
      '-Xms64m',
      '-Xmx512m',
      // Faster JVM start for a short-lived dev process.
      '-XX:TieredStopAtLevel=1',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-cp',
      'DynamoDBLocal.jar:DynamoDBLocal_lib/*',
      // Binds 127.0.0.1 only (DynamoDB Local itself listens on every interface): see the launcher.
      LAUNCHER,
      '-port',
      String(port),
      ...(inMemory ? ['-inMemory'] : ['-dbPath', dbPath]),
      '-sharedDb',
      '-disableTelemetry',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) onOutput(line);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child);
  } catch (error) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    throw error;
  }
  return {
    url,
    stop: () => stopChild(child).finally(() => process.off('exit', killOnExit)),
  };
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`DynamoDB Local exited with ${exited} (is Java 17+ installed?)`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: '{}',
      });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('DynamoDB Local did not start within 30 s');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
