import * as z from 'zod';

/**
 * Clientes' and Productos' address bar: the open editor (`?edit=new`, `?edit=<id>`), so a reload or a new
 * sign-in comes back to it, with the draft its form kept.
 */
export const catalogueSearchSchema = z.object({
  edit: z.string().min(1).max(64).optional().catch(undefined),
});
