import { chmodSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { UserDirectory } from './cognito-directory.ts';
import { startCognitoFront } from './cognito-front.ts';
import { CognitoMailSender } from './cognito-mail.ts';
import { SignIn } from './cognito-sign-in.ts';
import { closeServer } from './sqs.ts';

export type CognitoLocal = {
  /** The Cognito API endpoint (the front) and the tokens' issuer host. */
  url: string;
  /** cognito-local's users, clients and token minting, for the hosted UI. */
  directory: UserDirectory;
  /** The sign-in flow shared by the API front and the hosted UI. */
  signIn: SignIn;
  /** Sends Cognito's e-mails (invitations with the temporary password) through this SES endpoint. */
  deliverMailThrough(sesEndpoint: string): void;
  stop(): Promise<void>;
};

/**
 * cognito-local, assembled in-process the way its `createDefaultServer` does, but with our data directory
 * (its default is a hard-coded `.cognito` under the working directory), on an internal loopback port behind
 * the front (cognito-front.ts) that serves `port`, and with a fixed issuer (`http://127.0.0.1:<port>/<poolId>`)
 * so tokens verify against the same URL they name.
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
  // Passwords and TOTP secrets live in these files: owner only.
  mkdirSync(dataDirectory, { recursive: true, mode: 0o700 });
  chmodSync(dataDirectory, 0o700);
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
    ServerConfig: { ...DefaultConfig.ServerConfig, port: 0, hostname: '127.0.0.1' },
  };
  const ctx = { logger };
  const mail = new CognitoMailSender();
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
    messages: new services.MessagesService(triggers, new MessageDeliveryService(mail)),
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
  const upstreamUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const userDirectory = new UserDirectory({
    cognito: cognitoClient,
    tokenGenerator: allServices.tokenGenerator,
    logger,
  });
  const signIn = new SignIn(userDirectory);
  let front: Server;
  try {
    front = await startCognitoFront({
      port,
      upstreamUrl,
      directory: userDirectory,
      signIn,
      onError: (error) => logger.error({ err: error }, 'cognito front'),
    });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return {
    url,
    directory: userDirectory,
    signIn,
    deliverMailThrough: (sesEndpoint) => mail.deliverThrough(sesEndpoint),
    stop: async () => {
      await closeServer(front);
      await closeServer(server);
      logger.flush?.();
    },
  };
}
