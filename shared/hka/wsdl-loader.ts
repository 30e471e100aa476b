/**
 * Loads the service description for the soap client. The committed `wsdl/Service.wsdl` is read when it
 * is reachable; a bundled Lambda (esbuild) does not ship it next to the bundle, so the same document is
 * then rendered in memory from the schema table it was generated from (a unit test keeps the two equal).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type soap from 'soap';
import { renderWsdl } from './wsdl/generate-wsdl.ts';

export const DEFAULT_WSDL_PATH = fileURLToPath(new URL('./wsdl/Service.wsdl', import.meta.url));

function wsdlXml(explicitPath: string | undefined): string {
  try {
    return readFileSync(explicitPath ?? DEFAULT_WSDL_PATH, 'utf8');
  } catch (error) {
    // An explicitly configured file must exist; only the default location may be absent (bundles).
    if (explicitPath || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return renderWsdl();
  }
}

export async function createSoapClient(endpoint: string, wsdlPath?: string): Promise<soap.Client> {
  // Loaded on first use rather than at module load: soap and what it brings (axios, xml-crypto, xpath,
  // mime-db…) are ~600 KB of a bundle, and evaluating them is the largest part of an HKA-calling function's
  // cold start (bench/bundles.ts). Bundled as a chunk of its own that only the first HKA call loads.
  // soap is compiled TypeScript (`__esModule`): esbuild's bundle hands out its exports as `default`, while
  // loaders that honour `__esModule` (tsx) leave `default` undefined and give the named exports only.
  const loaded: Partial<typeof soap> & { default?: typeof soap } = await import('soap');
  const { Client, WSDL } = loaded.default ?? (loaded as typeof soap);
  const wsdl = new WSDL(wsdlXml(wsdlPath), wsdlPath ?? DEFAULT_WSDL_PATH, {});
  await new Promise<void>((resolve, reject) => {
    wsdl.onReady((error: unknown) => (error ? reject(error) : resolve()));
  });
  return new Client(wsdl, endpoint, {});
}
