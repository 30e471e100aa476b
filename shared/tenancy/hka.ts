import { config } from '#shared/config/config';
import { createHkaClient, type HkaClient, type HkaLogger } from '#shared/hka/client';
import { powertoolsMetricsSink } from '#shared/hka/metrics';
import { createPacReceptionClient } from '#shared/hka/pac-reception-client';

export type PacReceptionClient = ReturnType<typeof createPacReceptionClient>;

import { logger } from '#shared/observability/logger';
import { metrics } from '#shared/observability/metrics';

const hkaClients = new Map<string, HkaClient>();

/** Every HKA call as CloudWatch metrics (operation, outcome, latency) through Powertools. */
const hkaCallMetrics = powertoolsMetricsSink(metrics);

// The HKA client redacts its own fields; this only adapts the Powertools signature.
const hkaLogger: HkaLogger = {
  debug: (message, extra) => logger.debug(message, extra ?? {}),
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};

/** One client per endpoint per process: the WSDL is parsed once and keep-alive sockets are reused. */
export function hkaClientFor(environment: 'demo' | 'prod'): HkaClient {
  const endpoint = config().hkaEndpoint(environment);
  let client = hkaClients.get(endpoint);
  if (!client) {
    client = createHkaClient({ endpoint, timeoutMs: 25_000, logger: hkaLogger, metrics: hkaCallMetrics });
    hkaClients.set(endpoint, client);
  }
  return client;
}

/** Tests replace the HKA client; production never calls this. */
export function setHkaClientForTests(environment: 'demo' | 'prod', client: HkaClient): void {
  hkaClients.set(config().hkaEndpoint(environment), client);
}

const pacClients = new Map<string, PacReceptionClient>();

/** The PAC reception client of an environment (emitter-signed channel), one per endpoint per process. */
export function pacReceptionClientFor(environment: 'demo' | 'prod'): PacReceptionClient {
  const endpoint = config().pacReceptionEndpoint(environment);
  let client = pacClients.get(endpoint);
  if (!client) {
    client = createPacReceptionClient({ endpoint, timeoutMs: 25_000, metrics: hkaCallMetrics });
    pacClients.set(endpoint, client);
  }
  return client;
}

export function setPacReceptionClientForTests(
  environment: 'demo' | 'prod',
  client: PacReceptionClient,
): void {
  pacClients.set(config().pacReceptionEndpoint(environment), client);
}
