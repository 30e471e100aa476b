import * as z from 'zod';

/** Lotes' address bar: the batch shown under the list (`?batch=<id>`), so a batch has a link of its own. */
export const batchesSearchSchema = z.object({
  batch: z.string().min(1).max(64).optional().catch(undefined),
});
