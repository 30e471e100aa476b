/**
 * In front of the HKA sandbox: counts each function's HKA calls by operation (SOAP action, or the PAC
 * reception) and the time it waited for them, and applies faults to the PAC reception, which the sandbox's own fault injection does not
 * cover (its faults act on the SOAP service only): a latency on every reception call, and HTTP 503 for a
 * given number of calls — what an overloaded HKA answers before processing anything.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { increment, type UsageRecorder } from '../usage';
import type { Meter, ProxyRequest } from './proxy';

export type PacFaults = { latencyMs: number; unavailableCalls: number };

/** `http://tempuri.org/IService/Enviar` → `Enviar`; the PAC reception path → `RecepcionFE`. */
export function hkaOperation(request: Pick<ProxyRequest, 'path' | 'headers'>): string {
  if (request.path.startsWith('/pac/')) return 'RecepcionFE';
  const action = String(request.headers.soapaction ?? '').replaceAll('"', '');
  return action.split('/').pop() || 'unknown';
}

export function hkaFront(recorder: UsageRecorder): Meter & { pacFaults: PacFaults } {
  const pacFaults: PacFaults = { latencyMs: 0, unavailableCalls: 0 };
  const meter: Meter = async (request, forward) => {
    const operation = hkaOperation(request);
    const started = performance.now();
    const usage = recorder.fn(request.functionName);
    increment(usage.hka, operation);
    try {
      if (operation !== 'RecepcionFE') return await forward();
      if (pacFaults.latencyMs > 0) await sleep(pacFaults.latencyMs);
      if (pacFaults.unavailableCalls > 0) {
        pacFaults.unavailableCalls -= 1;
        increment(usage.hka, 'RecepcionFE!503');
        const body = Buffer.from('<html><body><h1>Service Unavailable</h1></body></html>');
        return { status: 503, headers: { 'content-type': 'text/html' }, body };
      }
      return await forward();
    } finally {
      increment(usage.hkaMs, operation, performance.now() - started);
    }
  };
  return Object.assign(meter, { pacFaults });
}
