/** Cognito groups of the product (docs: architecture §2). Kept here so the seeder does not import app code. */
export const ROLES_ALL = ['SUPER_ADMIN', 'ADMIN', 'USER', 'OPERATOR'] as const;
