import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithHostedUi, visitHostedUi } from '#local/hosted-ui/browser';
import { freePort } from '#local/ports';
import { localIdTokenVerifier } from '#shared/auth/id-tokens';
import { type CognitoHarness, STRONG_PASSWORD, startCognitoHarness } from '../local/cognito-harness';
import { BIN, root } from './factu';

type Running = {
  child: ChildProcessWithoutNullStreams;
  /** The sign-in URL, as soon as the command prints it. */
  url: Promise<string>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
};

/** `factu login` as a separate process, its standard error read while it waits for the browser. */
function startLogin(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, 'login', ...args], { cwd: root });
  let stdout = '';
  let stderr = '';
  let announce: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => {
    announce = resolve;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const match = /^(http\S+\/oauth2\/authorize\S+)$/m.exec(stderr);
    if (match?.[1]) announce(match[1]);
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, url, done };
}

/**
 * `factu login` against the local hosted UI, with the test as the person at the browser: the command's URL is
 * opened, the hosted UI signed in to (password, TOTP), and its redirect delivered to the command's loopback.
 */
describe('factu login', () => {
  let harness: CognitoHarness;
  let totpSecret: string;
  const options = () => [
    '--hosted-ui',
    harness.hostedUi.url,
    '--client-id',
    harness.webClientId,
    '--port',
    String(harness.loopbackPort),
    '--no-browser',
  ];

  beforeAll(async () => {
    harness = await startCognitoHarness();
    await harness.createUser({ email: 'cli@a.example.com', tenantId: 'tenant-a' });
    const first = await signInWithHostedUi(
      { hostedUiUrl: harness.hostedUi.url, clientId: harness.webClientId, redirectUri: harness.callbackUrl },
      { username: 'cli@a.example.com', password: STRONG_PASSWORD },
    );
    totpSecret = first.enrolledTotpSecret ?? '';
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('prints the authorize URL (PKCE S256, loopback redirect), and after the sign-in the tokens', async () => {
    // Prepare
    const login = startLogin([...options(), '--json']);
    const url = new URL(await login.url);

    // Act
    const visit = await visitHostedUi(url.toString(), {
      username: 'cli@a.example.com',
      password: STRONG_PASSWORD,
      totpSecret,
    });
    const delivered = await fetch(visit.callbackUrl);
    const page = await delivered.text();
    const { code, stdout } = await login.done;
    const tokens = JSON.parse(stdout) as { idToken: string; accessToken: string; refreshToken: string };
    const verify = await localIdTokenVerifier({
      endpoint: harness.cognito.url,
      userPoolId: harness.userPoolId,
      clientIds: [harness.webClientId],
    });
    const claims = await verify(tokens.idToken);

    // Assess
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: harness.webClientId,
      redirect_uri: `http://localhost:${harness.loopbackPort}/callback`,
      scope: 'openid email profile',
      state: expect.stringMatching(/^[\w-]{22}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
    });
    expect(visit.callbackUrl.origin).toBe(`http://localhost:${harness.loopbackPort}`);
    expect(delivered.status).toBe(200);
    expect(page).toContain('Signed in to factu');
    expect(code).toBe(0);
    expect(tokens).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 3600,
    });
    expect(claims).toMatchObject({ email: 'cli@a.example.com', 'custom:tenantId': 'tenant-a' });
  });

  it('prints only the ID token without --json', async () => {
    // Prepare
    const login = startLogin(options());

    // Act
    const visit = await visitHostedUi(await login.url, {
      username: 'cli@a.example.com',
      password: STRONG_PASSWORD,
      totpSecret,
    });
    await (await fetch(visit.callbackUrl)).text();
    const { code, stdout } = await login.done;

    // Assess
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses a redirect with another state (not its request) and an error from the hosted UI', async () => {
    // Prepare
    const forgedState = startLogin(options());
    await forgedState.url;
    const otherPort = await freePort();
    const refused = startLogin([...options().slice(0, 4), '--port', String(otherPort), '--no-browser']);
    await refused.url;

    // Act
    const forged = await fetch(
      `http://localhost:${harness.loopbackPort}/callback?code=stolen&state=not-ours`,
    );
    const denied = await fetch(`http://localhost:${otherPort}/callback?error=access_denied`);
    const [forgedRun, deniedRun] = await Promise.all([forgedState.done, refused.done]);

    // Assess
    expect(forged.status).toBe(400);
    expect(forgedRun.code).toBe(1);
    expect(forgedRun.stderr).toContain('another state');
    expect(deniedRun.code).toBe(1);
    expect(deniedRun.stderr).toContain('access_denied');
    expect(denied.status).toBe(400);
  });

  it('rejects a bad --port and arguments as usage errors', async () => {
    // Act
    const badPort = startLogin([...options().slice(0, 4), '--port', 'http']);
    const extra = startLogin([...options(), 'extra']);
    const [badPortRun, extraRun] = await Promise.all([badPort.done, extra.done]);

    // Assess
    expect(badPortRun.code).toBe(2);
    expect(badPortRun.stderr).toContain('--port must be');
    expect(extraRun.code).toBe(2);
  });
});
