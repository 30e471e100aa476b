/**
 * Keeps tokens out of logs and error messages. Everything the client logs or puts in an error passes
 * through here, so a token can only leak by bypassing this module.
 */
import type { HkaCredentials } from './types.ts';

const TOKEN_ELEMENTS = /(<(?:[\w-]+:)?(tokenEmpresa|tokenPassword)\b[^>]*>)[\s\S]*?(<\/(?:[\w-]+:)?\2>)/g;

/** Blanks the token elements of a SOAP message and any literal occurrence of the given secrets. */
export function redactSecrets(text: string, credentials?: HkaCredentials): string {
  let out = text.replace(TOKEN_ELEMENTS, '$1***$3');
  for (const secret of [credentials?.tokenEmpresa, credentials?.tokenPassword]) {
    if (secret && secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}
