import { readViewerAsset } from '#shared/http/docs-viewer';
import { errorResponse } from '#shared/http/envelope';
import type { ApiEvent } from '#shared/http/event';

/** GET /docs/assets/{file} — public; the viewer's scripts and styles (a fixed list; anything else is 404). */
export const handler = async (event: ApiEvent) => {
  const asset = readViewerAsset(event.pathParameters?.file ?? '');
  if (!asset) {
    return errorResponse(404, {
      error: 'No such documentation asset',
      code: 'NOT_FOUND',
      requestId: event.requestContext?.requestId ?? '',
    });
  }
  return {
    statusCode: 200,
    headers: {
      'content-type': asset.contentType,
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    },
    body: await asset.text,
  };
};
