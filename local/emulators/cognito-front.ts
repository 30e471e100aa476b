import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import {
  type AppClient,
  accessTokenLifetimeSeconds,
  type PoolOptions,
  type StoredUser,
  type UserDirectory,
} from './cognito-directory.ts';
import { checkRedirectUrls } from './cognito-redirect-urls.ts';
import { CognitoError, type SignIn, type SignInStep } from './cognito-sign-in.ts';

/** What Cognito enables when a client lists no ExplicitAuthFlows. */
const DEFAULT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

/** AuthFlow → the API it belongs to and the ExplicitAuthFlows entries (current and legacy) that enable it. */
const AUTH_FLOWS: Record<string, { api: 'user' | 'admin' | 'both'; enabledBy: string[] }> = {
  USER_PASSWORD_AUTH: { api: 'user', enabledBy: ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'] },
  ADMIN_USER_PASSWORD_AUTH: {
    api: 'admin',
    enabledBy: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  },
  ADMIN_NO_SRP_AUTH: { api: 'admin', enabledBy: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] },
  USER_SRP_AUTH: { api: 'both', enabledBy: ['ALLOW_USER_SRP_AUTH'] },
  REFRESH_TOKEN_AUTH: { api: 'both', enabledBy: ['ALLOW_REFRESH_TOKEN_AUTH'] },
  REFRESH_TOKEN: { api: 'both', enabledBy: ['ALLOW_REFRESH_TOKEN_AUTH'] },
  CUSTOM_AUTH: { api: 'both', enabledBy: ['ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY'] },
  USER_AUTH: { api: 'both', enabledBy: ['ALLOW_USER_AUTH'] },
};
const PASSWORD_FLOWS = new Set(['USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']);
const REFRESH_FLOWS = new Set(['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);

// biome-ignore lint/suspicious/noExplicitAny: request bodies are untrusted JSON, checked field by field
type Body = Record<string, any>;
type Answer = { forward: true } | { forwardBody: Body } | { json: unknown };

/**
 * The only attributes Cognito's ListUsers can filter on; custom attributes are not searchable (so a tenant's
 * users cannot be listed by `custom:tenantId`: the product keeps its own USER# items).
 */
const SEARCHABLE_ATTRIBUTES = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
]);

/**
 * The Cognito API endpoint of the local cloud: a thin front before cognito-local that refuses what Cognito
 * refuses and answers the user sign-in flows itself (cognito-sign-in.ts); everything else goes to
 * cognito-local unchanged.
 *
 * - InitiateAuth / AdminInitiateAuth: the AuthFlow must be enabled by the app client's ExplicitAuthFlows
 *   (Cognito's defaults when it lists none) and belong to that API, else InvalidParameterException
 *   ("USER_PASSWORD_AUTH flow not enabled for this client"); clients with a secret need SECRET_HASH.
 *   Password flows run the challenge flow (NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA) so no token
 *   leaves without the MFA step the pool requires; REFRESH_TOKEN_AUTH refreshes.
 * - RespondToAuthChallenge / AdminRespondToAuthChallenge, and AssociateSoftwareToken / VerifySoftwareToken
 *   with a `Session` (MFA_SETUP): answered by the same flow.
 * - CreateUserPoolClient / UpdateUserPoolClient: redirect URLs over plain http beyond loopback, or with a
 *   fragment → InvalidParameterException (cognito-redirect-urls.ts).
 * - cognito-local's own `/oauth2/*` pages are not served: on AWS the hosted UI lives on the pool's domain,
 *   which is the local hosted UI (local/hosted-ui/).
 */
export async function startCognitoFront(options: {
  port: number;
  upstreamUrl: string;
  directory: UserDirectory;
  signIn: SignIn;
  onError(error: unknown): void;
}): Promise<Server> {
  const { directory, signIn } = options;

  const tokensFor = async (client: AppClient, user: StoredUser, source: string) => {
    const tokens = await directory.mintTokens(client, user, source);
    return {
      AccessToken: tokens.AccessToken,
      ExpiresIn: accessTokenLifetimeSeconds(client),
      IdToken: tokens.IdToken,
      ...(source === 'RefreshTokens' ? {} : { RefreshToken: tokens.RefreshToken }),
      TokenType: 'Bearer',
    };
  };

  const stepAnswer = async (client: AppClient, step: SignInStep): Promise<Answer> => {
    if (step.kind === 'challenge') {
      return {
        json: { ChallengeName: step.challenge, ChallengeParameters: step.parameters, Session: step.session },
      };
    }
    return {
      json: {
        ChallengeParameters: {},
        AuthenticationResult: await tokensFor(client, step.user, 'Authentication'),
      },
    };
  };

  const clientFor = async (body: Body, admin: boolean): Promise<AppClient> => {
    const clientId = String(body.ClientId ?? '');
    const client = await directory.client(clientId);
    if (!client || (admin && client.UserPoolId !== body.UserPoolId)) {
      throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    }
    return client;
  };

  const initiateAuth = async (body: Body, admin: boolean): Promise<Answer> => {
    const client = await clientFor(body, admin);
    const flow = String(body.AuthFlow ?? '');
    const rule = AUTH_FLOWS[flow];
    if (!rule) throw new CognitoError('InvalidParameterException', `Invalid AuthFlow: ${flow}`);
    if (rule.api !== 'both' && rule.api !== (admin ? 'admin' : 'user')) {
      throw new CognitoError('InvalidParameterException', 'Initiate Auth method not supported.');
    }
    const enabled = client.ExplicitAuthFlows?.length ? client.ExplicitAuthFlows : DEFAULT_AUTH_FLOWS;
    if (!rule.enabledBy.some((entry) => enabled.includes(entry))) {
      throw new CognitoError('InvalidParameterException', `${flow} flow not enabled for this client`);
    }
    const parameters: Body = body.AuthParameters ?? {};
    if (PASSWORD_FLOWS.has(flow)) {
      assertSecretHash(client, String(parameters.USERNAME ?? ''), parameters.SECRET_HASH);
      return stepAnswer(
        client,
        await signIn.withPassword(
          client,
          String(parameters.USERNAME ?? ''),
          String(parameters.PASSWORD ?? ''),
        ),
      );
    }
    if (REFRESH_FLOWS.has(flow)) {
      const user = await signIn.refresh(client, String(parameters.REFRESH_TOKEN ?? ''));
      return {
        json: {
          ChallengeParameters: {},
          AuthenticationResult: await tokensFor(client, user, 'RefreshTokens'),
        },
      };
    }
    return { forward: true };
  };

  const respondToAuthChallenge = async (body: Body, admin: boolean): Promise<Answer> => {
    const client = await clientFor(body, admin);
    if (!body.Session)
      throw new CognitoError('InvalidParameterException', 'Missing required parameter Session');
    const responses: Body = body.ChallengeResponses ?? {};
    if (client.ClientSecret)
      assertSecretHash(client, String(responses.USERNAME ?? ''), responses.SECRET_HASH);
    return stepAnswer(
      client,
      await signIn.respond(client, String(body.ChallengeName ?? ''), String(body.Session), responses),
    );
  };

  const handlers: Record<string, (body: Body) => Promise<Answer>> = {
    // cognito-local stores any redirect URL; Cognito refuses plain http beyond loopback and fragments.
    CreateUserPoolClient: async (body) => {
      checkRedirectUrls(body);
      return { forward: true };
    },
    UpdateUserPoolClient: async (body) => {
      checkRedirectUrls(body);
      return { forward: true };
    },
    // Cognito generates a temporary password that meets the pool's policy when none is given (cognito-local
    // would use 6 random characters) and e-mails it with the invitation.
    AdminCreateUser: async (body) => {
      if (body.TemporaryPassword !== undefined) return { forward: true };
      const pool = await directory.pool(String(body.UserPoolId ?? ''));
      return {
        forwardBody: { ...body, TemporaryPassword: temporaryPassword(pool?.Policies?.PasswordPolicy) },
      };
    },
    ListUsers: async (body) => {
      if (typeof body.Filter !== 'string' || body.Filter.trim() === '') return { forward: true };
      const attribute = /^\s*"?([^\s"=^]+)"?\s*\^?=/.exec(body.Filter)?.[1];
      if (!attribute) throw new CognitoError('InvalidParameterException', 'Error while parsing filter.');
      if (!SEARCHABLE_ATTRIBUTES.has(attribute)) {
        throw new CognitoError('InvalidParameterException', `Invalid search attribute: ${attribute}`);
      }
      return { forward: true };
    },
    // Not in cognito-local: revokes every refresh token of the user (its ID and access tokens stay valid
    // until they expire, as on Cognito).
    AdminUserGlobalSignOut: async (body) => {
      const userPoolId = String(body.UserPoolId ?? '');
      if (!(await directory.pool(userPoolId))) {
        throw new CognitoError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`);
      }
      const user = await directory.user(userPoolId, String(body.Username ?? ''));
      if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
      await directory.saveUser(userPoolId, { ...user, RefreshTokens: [] });
      return { json: {} };
    },
    InitiateAuth: (body) => initiateAuth(body, false),
    AdminInitiateAuth: (body) => initiateAuth(body, true),
    RespondToAuthChallenge: (body) => respondToAuthChallenge(body, false),
    AdminRespondToAuthChallenge: (body) => respondToAuthChallenge(body, true),
    // With an AccessToken these are cognito-local's own (a signed-in user adding a token).
    AssociateSoftwareToken: async (body) => {
      if (body.AccessToken || !body.Session) return { forward: true };
      const { secretCode, session } = signIn.associateSoftwareToken(String(body.Session));
      return { json: { SecretCode: secretCode, Session: session } };
    },
    VerifySoftwareToken: async (body) => {
      if (body.AccessToken || !body.Session) return { forward: true };
      const { session } = await signIn.verifySoftwareToken(
        String(body.Session),
        String(body.UserCode ?? ''),
        body.FriendlyDeviceName,
      );
      return { json: { Status: 'SUCCESS', Session: session } };
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      options.onError(error);
      if (!res.headersSent)
        sendJson(res, 500, { __type: 'InternalErrorException', message: 'Internal error' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://front').pathname;
    if (path.startsWith('/oauth2/') || path === '/login' || path === '/logout') {
      sendJson(res, 404, { message: 'Not Found' });
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const handler = req.method === 'POST' && path === '/' ? handlers[target] : undefined;
    if (!handler) {
      await forward(options.upstreamUrl, req, raw, res);
      return;
    }
    let body: Body;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as Body;
    } catch {
      sendJson(res, 400, { __type: 'SerializationException', message: 'Malformed request body' });
      return;
    }
    try {
      const answer = await handler(body);
      if ('forward' in answer) await forward(options.upstreamUrl, req, raw, res);
      else if ('forwardBody' in answer) {
        await forward(options.upstreamUrl, req, Buffer.from(JSON.stringify(answer.forwardBody)), res);
      } else sendJson(res, 200, answer.json);
    } catch (error) {
      if (!(error instanceof CognitoError)) throw error;
      sendJson(res, 400, { __type: error.type, message: error.message });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return server;
}

type PasswordPolicy = NonNullable<NonNullable<PoolOptions['Policies']>['PasswordPolicy']>;

/** A random password with every character class, at least the policy's length (Cognito's generated ones are too). */
export function temporaryPassword(policy: PasswordPolicy | undefined): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '^$*.[]{}()?!@#%&-_'];
  const length = Math.max(policy?.MinimumLength ?? 8, 12);
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;
  const chars = classes.map(pick);
  while (chars.length < length) chars.push(pick(classes.join('')));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)), required of clients with a secret. */
function assertSecretHash(client: AppClient, username: string, given: unknown): void {
  if (!client.ClientSecret) return;
  if (typeof given !== 'string' || given === '') {
    throw new CognitoError(
      'NotAuthorizedException',
      `Client ${client.ClientId} is configured with secret but SECRET_HASH was not received`,
    );
  }
  const expected = createHmac('sha256', client.ClientSecret)
    .update(username + client.ClientId)
    .digest();
  const received = Buffer.from(given, 'base64');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new CognitoError(
      'NotAuthorizedException',
      `Unable to verify secret hash for client ${client.ClientId}`,
    );
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
}

const MAX_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body over 1 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function forward(
  upstreamUrl: string,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = new URL(req.url ?? '/', upstreamUrl);
    const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const proxied = request(upstream, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.once('end', resolve);
      answer.once('error', reject);
    });
    proxied.once('error', reject);
    proxied.end(body);
  });
}
