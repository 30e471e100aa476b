import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '#infra/routes';
import { ROLE_MATRIX_BEGIN, ROLE_MATRIX_END, roleMatrixTable } from '#shared/http/docs-role-matrix';

const README = new URL('../../../README.md', import.meta.url);

describe("README's role matrix", () => {
  it('is the table the route list and the permissions generate', () => {
    // Prepare
    const readme = readFileSync(README, 'utf8');
    const begin = readme.indexOf(ROLE_MATRIX_BEGIN);
    const end = readme.indexOf(ROLE_MATRIX_END);

    // Act
    const generated = roleMatrixTable(apiRoutes.map((route) => route.operation));

    // Assess
    expect(begin, 'README.md has the role matrix marks').toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(begin);
    const inReadme = readme.slice(begin + ROLE_MATRIX_BEGIN.length, end).trim();
    expect(inReadme, `paste this table between the marks in README.md:\n\n${generated}\n`).toBe(generated);
  });
});
