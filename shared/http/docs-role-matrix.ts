import { PERMISSIONS, ROLES } from '#shared/tenancy/context';
import type { Operation } from './operation.ts';

/** Marks around the generated table in README.md. */
export const ROLE_MATRIX_BEGIN = '<!-- role-matrix:begin (generated: see "Role matrix" above) -->';
export const ROLE_MATRIX_END = '<!-- role-matrix:end -->';

/**
 * Who may call each route, as a Markdown table, from the operations' permissions and PERMISSIONS: the
 * README shows exactly what the API enforces (test/unit/app/role-matrix-readme.test.ts keeps them equal).
 */
export function roleMatrixTable(
  operations: readonly Pick<Operation, 'method' | 'path' | 'permission'>[],
): string {
  const header = ['route', 'permission', ...ROLES];
  const rows = operations.map((op) => {
    const allowed: readonly string[] = op.permission ? PERMISSIONS[op.permission] : ROLES;
    return [
      `\`${op.method.toUpperCase()} ${op.path}\``,
      op.permission ? `\`${op.permission}\`` : 'public (no token)',
      ...ROLES.map((role) => (allowed.includes(role) ? '✓' : '—')),
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i < 2 ? '---' : ':-:'))), ...rows.map(line)].join('\n');
}
