import { documentOperations } from '#shared/documents/api';
import { issueDocument } from '#shared/documents/issue';
import { documentPath } from '#shared/documents/resource';
import { createApiHandler } from '#shared/http/handler';

const operation = documentOperations.issueDocument;

/** POST /v1/documents → 202 with the document (PROCESSING) and its Location. */
export const handler = createApiHandler(operation, async (request) => {
  const respond = (doc: { id: string }) => ({
    statusCode: 202,
    data: doc,
    headers: { location: documentPath(doc.id) },
  });
  const idempotency = request.idempotency;
  const doc = await issueDocument(request.ctx, request.body, {
    idempotency: idempotency && {
      scope: idempotency.scope,
      storedResponse: (created) => idempotency.storedResponse(respond(created)),
    },
  });
  request.markIdempotencyStored();
  return respond(doc);
});
