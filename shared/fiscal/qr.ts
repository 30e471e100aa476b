/**
 * The DGI consultation URL printed as the CAFE's QR code and stored in `gNoFirm/dQRCode` (§5):
 *   <host>/Consultas/FacturasPorQR?chFE=<CUFE>&iAmb=<1|2>&digestValue=<b64>&jwt=<JWS>
 * `digestValue` is the signature's Reference/DigestValue, raw base64 (real samples do not URL-encode
 * it). `jwt` is an HS256 JWS over {chFE, iAmb, digestValue} with the emitter's QR secret.
 *
 * Why the JWS is assembled here instead of jose's `SignJWT`: jose only signs asynchronously, and the
 * contract (`buildQrUrl(...): string`, used inside the signer's synchronous `qrUrl` callback) is
 * synchronous. We use jose's base64url codec and Node's HMAC, which yields the identical compact JWS
 * (header and payload serialized exactly as below); the tests verify it with jose's `jwtVerify`.
 */
import { createHmac } from 'node:crypto';
import { base64url } from 'jose';

export const QR_HOSTS = {
  '1': 'https://dgi-fep.mef.gob.pa/Consultas/FacturasPorQR',
  '2': 'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR',
} as const;

export type QrInput = {
  cufe: string;
  environment: '1' | '2';
  /** Base64 `DigestValue` of the rFE signature. */
  digestValue: string;
  /** HMAC key ("código QR" / security token) held by the emitter or PAC. */
  secret: string | Uint8Array;
};

/** Compact HS256 JWS with header {"alg":"HS256","typ":"JWT"} (the header real documents carry). */
export function buildQrJwt({ cufe, environment, digestValue, secret }: QrInput): string {
  const header = base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url.encode(JSON.stringify({ chFE: cufe, iAmb: environment, digestValue }));
  const signingInput = `${header}.${payload}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest();
  return `${signingInput}.${base64url.encode(signature)}`;
}

export function buildQrUrl(input: QrInput): string {
  // Parameters are concatenated verbatim on purpose: URLSearchParams would percent-encode the base64
  // digest, which real DGI documents do not do.
  return `${QR_HOSTS[input.environment]}?chFE=${input.cufe}&iAmb=${input.environment}&digestValue=${input.digestValue}&jwt=${buildQrJwt(input)}`;
}
