import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApiTypes } from '../../../web/scripts/api-types';

describe('the console’s API types', () => {
  it('are the ones the OpenAPI document the API serves generates (npm run build:web refreshes them)', async () => {
    const committed = readFileSync(new URL('../../../web/src/api/schema.gen.ts', import.meta.url), 'utf8');
    expect(committed === (await generateApiTypes())).toBe(true);
  });
});
