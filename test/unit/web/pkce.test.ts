import { describe, expect, it } from 'vitest';
import { authorizeUrl, challengeOf, createPkce, jwtClaims, randomToken } from '../../../web/src/auth/pkce';

describe('PKCE in the browser', () => {
  it('derives the S256 challenge of RFC 7636’s example', async () => {
    // RFC 7636, appendix B
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes a fresh 43-character verifier each time, with its challenge', async () => {
    const first = await createPkce();
    const second = await createPkce();
    expect(first.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.verifier).not.toBe(second.verifier);
    expect(first.challenge).toBe(await challengeOf(first.verifier));
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('asks the hosted UI for a code with the S256 challenge', () => {
    const url = new URL(
      authorizeUrl({
        hostedUiUrl: 'https://factu.auth.us-east-1.amazoncognito.com',
        clientId: 'client',
        redirectUri: 'http://localhost:5173/auth/callback',
        state: 'st',
        challenge: 'ch',
      }),
    );
    expect(url.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client',
      redirect_uri: 'http://localhost:5173/auth/callback',
      scope: 'openid email profile',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('reads a token’s claims (UTF-8, base64url) and survives garbage', () => {
    const payload = Buffer.from(
      JSON.stringify({ email: 'peña@ejemplo.pa', 'cognito:groups': ['USER'] }),
    ).toString('base64url');
    expect(jwtClaims(`x.${payload}.y`)).toEqual({ email: 'peña@ejemplo.pa', 'cognito:groups': ['USER'] });
    expect(jwtClaims('not-a-token')).toEqual({});
    expect(jwtClaims('x.%%%.y')).toEqual({});
  });
});
