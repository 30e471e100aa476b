// One Lambda execution environment: runs inside a worker thread whose process.env is the function's own
// environment (set by the parent when creating the Worker), so module-load reads of process.env and
// module-level state (SDK clients, caches) are isolated per function, as on Lambda.
// Plain JavaScript on purpose: a worker cannot rely on the parent's TypeScript loader being present.
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const {
  modulePath,
  exportName,
  functionName,
  functionVersion,
  memoryMb,
  invokedFunctionArn,
  logGroupName,
  maxResponseBytes,
} = workerData;

// Lambda honours NODE_OPTIONS=--enable-source-maps; a worker cannot take NODE_OPTIONS, so apply it here.
if (process.env.NODE_OPTIONS?.includes('--enable-source-maps')) process.setSourceMapsEnabled(true);

let handlerPromise;
function loadHandler() {
  handlerPromise ??= import(pathToFileURL(modulePath).href).then((module) => {
    const handler = module[exportName] ?? module.default?.[exportName];
    if (typeof handler !== 'function') {
      const error = new Error(`${modulePath} does not export a function named ${exportName}`);
      error.name = 'Runtime.HandlerNotFound';
      throw error;
    }
    return handler;
  });
  return handlerPromise;
}

function callHandler(handler, event, context) {
  // Callback-style handlers (three parameters) still exist in the wild; support them like the runtime does.
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const done = (error, result) => (error ? reject(error) : resolve(result));
      const maybePromise = handler(event, context, done);
      if (maybePromise && typeof maybePromise.then === 'function') maybePromise.then(resolve, reject);
    });
  }
  return handler(event, context);
}

function serializeError(error) {
  if (error instanceof Error) {
    return { name: error.name || 'Error', message: error.message, stack: error.stack };
  }
  return { name: 'Error', message: typeof error === 'string' ? error : JSON.stringify(error) };
}

parentPort.on('message', async ({ id, event, requestId, deadline }) => {
  const context = {
    awsRequestId: requestId,
    functionName,
    functionVersion,
    invokedFunctionArn,
    memoryLimitInMB: String(memoryMb),
    logGroupName,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]local`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  try {
    const handler = await loadHandler();
    const result = await callHandler(handler, event, context);
    // Lambda serialises the result as JSON: Dates become strings, undefined becomes null.
    const text = result === undefined ? 'null' : (JSON.stringify(result) ?? 'null');
    if (Buffer.byteLength(text) > maxResponseBytes) {
      // What Lambda answers a synchronous caller instead of a result it cannot return.
      const message = `Response payload size exceeded maximum allowed payload size (${maxResponseBytes} bytes).`;
      parentPort.postMessage({ id, ok: false, error: { name: 'Function.ResponseSizeTooLarge', message } });
      return;
    }
    parentPort.postMessage({ id, ok: true, result: JSON.parse(text) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: serializeError(error) });
  }
});
