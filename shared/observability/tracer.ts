import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One tracer per process (service name from POWERTOOLS_SERVICE_NAME). It switches itself off outside
 * Lambda and with POWERTOOLS_TRACE_ENABLED=false; when on, it also traces outgoing HTTP(S) (the HKA SOAP
 * calls). Every AWS SDK client the product creates is wrapped with `tracer.captureAWSv3Client`.
 */
export const tracer = new Tracer();
