import { demoIssuer } from '#shared/fiscal/demo-issuer';
import type { RfeContext } from '#shared/fiscal/rfe-context';

export { demoIssuer };

export const demoContext: RfeContext = {
  issuer: demoIssuer,
  environment: '2',
  number: '0000000123',
  pointOfSale: '001',
  securityCode: '123456789',
};
