import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildQrJwt, buildQrUrl } from '#shared/fiscal/qr';

const cufe = 'FE012000000521-136-113133-0270062022051590000008910080125781091727';
const digestValue = 'q1+/w2Eo3pZ4rT5yU6iO7pA8sD9fG0hJ1kL2zX3cV4=';
const secret = 'a'.repeat(128);

describe('buildQrUrl', () => {
  it('builds the test-environment consultation URL with raw base64 digest', () => {
    // Act
    const url = buildQrUrl({ cufe, environment: '2', digestValue, secret });

    // Assess
    expect(url).toMatch(
      new RegExp(
        `^https://dgi-fep-test\\.mef\\.gob\\.pa:40001/Consultas/FacturasPorQR\\?chFE=${cufe}&iAmb=2&digestValue=${digestValue.replace(/[+/]/g, '\\$&')}&jwt=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`,
      ),
    );
  });

  it('uses the production host for iAmb 1', () => {
    // Act
    const url = buildQrUrl({ cufe, environment: '1', digestValue, secret });

    // Assess
    expect(url.startsWith('https://dgi-fep.mef.gob.pa/Consultas/FacturasPorQR?chFE=')).toBe(true);
    expect(url).toContain('&iAmb=1&');
  });

  it('signs {chFE, iAmb, digestValue} with HS256 so jose verifies it with the secret', async () => {
    // Act
    const jwt = buildQrJwt({ cufe, environment: '2', digestValue, secret });
    const { payload, protectedHeader } = await jwtVerify(jwt, new TextEncoder().encode(secret));

    // Assess
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ chFE: cufe, iAmb: '2', digestValue });
  });

  it('does not verify with another secret', async () => {
    // Act
    const jwt = buildQrJwt({ cufe, environment: '2', digestValue, secret });

    // Assess
    await expect(jwtVerify(jwt, new TextEncoder().encode('other'))).rejects.toThrow();
  });

  it('fits dQRCode (100..600 characters)', () => {
    // Act
    const url = buildQrUrl({ cufe, environment: '2', digestValue, secret });

    // Assess
    expect(url.length).toBeGreaterThanOrEqual(100);
    expect(url.length).toBeLessThanOrEqual(600);
  });
});
