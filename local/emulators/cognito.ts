import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { closeServer } from './sqs.ts';

export type CognitoLocal = { url: string; stop(): Promise<void> };

/**
 * cognito-local, assembled in-process the way its `createDefaultServer` does, but with our data directory
 * (its default is a hard-coded `.cognito` under the working directory), our bind address and a fixed issuer
 * (`http://127.0.0.1:<port>/<poolId>`), so tokens verify against the same URL they name.
 */
export async function startCognitoLocal({
  port,
  directory,
  logFile,
}: {
  port: number;
  directory: string;
  logFile: string;
}): Promise<CognitoLocal> {
  const dataDirectory = join(directory, 'db');
  mkdirSync(dataDirectory, { recursive: true });
  const require = createRequire(import.meta.url);
  const lib = (path: string) => require(`cognito-local/lib/${path}`);
  const fromCognito = createRequire(require.resolve('cognito-local/package.json'));
  const pino = fromCognito('pino');
  // cognito-local still uses SDK v2 (for triggers we do not configure); silence its end-of-support banner.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const AWS = fromCognito('aws-sdk');

  const { DefaultConfig } = lib('server/config.js');
  const services = lib('services/index.js');
  const { CognitoServiceFactoryImpl } = lib('services/cognitoService.js');
  const { CryptoService } = lib('services/crypto.js');
  const { StormDBDataStoreFactory } = lib('services/dataStore/stormDb.js');
  const { ConsoleMessageSender } = lib('services/messageDelivery/consoleMessageSender.js');
  const { MessageDeliveryService } = lib('services/messageDelivery/messageDelivery.js');
  const { otp } = lib('services/otp.js');
  const { JwtTokenGenerator } = lib('services/tokenGenerator.js');
  const { UserPoolServiceFactoryImpl } = lib('services/userPoolService.js');
  const { Router } = lib('server/Router.js');
  const { createServer } = lib('server/server.js');

  const logger = pino({ level: 'info' }, pino.destination({ dest: logFile, mkdir: true, sync: false }));
  const url = `http://127.0.0.1:${port}`;
  const config = {
    ...DefaultConfig,
    TokenConfig: { IssuerDomain: url },
    ServerConfig: { ...DefaultConfig.ServerConfig, port, hostname: '127.0.0.1' },
  };
  const ctx = { logger };
  const clock = new services.DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
  const cognitoClient = await new CognitoServiceFactoryImpl(
    dataDirectory,
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create(ctx, config.UserPoolDefaults);
  const triggers = new services.TriggersService(
    clock,
    cognitoClient,
    new services.LambdaService(config.TriggerFunctions, new AWS.Lambda(config.LambdaClient)),
    new CryptoService(config.KMSConfig),
  );
  const allServices = {
    clock,
    cognito: cognitoClient,
    config,
    messages: new services.MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const server: Server = await createServer(
    Router(allServices),
    logger,
    config.ServerConfig,
    allServices,
  ).start();
  return {
    url,
    stop: async () => {
      await closeServer(server);
      logger.flush?.();
    },
  };
}
