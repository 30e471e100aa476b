import { generateSecurityCode } from '#shared/fiscal/cufe';
import { demoIssuer } from '#shared/fiscal/demo-issuer';
import type { Issuer } from '#shared/fiscal/issuer';
import type { RfeContext } from '#shared/fiscal/rfe-context';
import { readJson, UsageError } from './io';
import type { Options } from './options';

/**
 * The emission context from the flags: issuer (`--issuer file.json`, default HKA's demo issuer),
 * environment (default 2 = test), number (default 0000000001), point of sale (default: the document's),
 * security code (default: random). `defaults` replaces the built-in defaults (not the flags), e.g. the
 * numbering read from an authorization's CUFE.
 */
export function contextFromOptions(
  options: Options,
  documentPointOfSale: string,
  defaults: Partial<Omit<RfeContext, 'issuer'>> = {},
): RfeContext {
  const environment = options.environment ?? defaults.environment ?? '2';
  if (environment !== '1' && environment !== '2') throw new UsageError('--environment must be 1 or 2');
  const number = (options.number ?? defaults.number ?? '1').padStart(10, '0');
  return {
    issuer: options.issuer ? (readJson(options.issuer) as Issuer) : demoIssuer,
    environment,
    number,
    pointOfSale: options['point-of-sale'] ?? defaults.pointOfSale ?? documentPointOfSale,
    securityCode: options['security-code'] ?? defaults.securityCode ?? generateSecurityCode(),
  };
}
