/** S3 refused the upload, or it never reached S3 (network, or a CORS refusal: status 0). */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(readonly status: number) {
    super(status === 0 ? 'the upload did not reach storage' : `storage answered HTTP ${status}`);
  }
}

/**
 * PUTs a file to a presigned URL with exactly the signed content type, reporting the share sent (0..1).
 * XMLHttpRequest, not fetch: only it reports an upload's progress.
 */
export function putPresigned(
  url: string,
  file: Blob,
  contentType: string,
  onProgress: (sent: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    request.setRequestHeader('Content-Type', contentType);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new UploadError(request.status));
    });
    request.addEventListener('error', () => reject(new UploadError(0)));
    request.addEventListener('abort', () => reject(new UploadError(0)));
    request.send(file);
  });
}
