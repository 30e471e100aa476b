/** A stage's throttle for one method: steady requests per second and the bucket size (burst). */
export type ThrottleLimits = { rateLimit?: number; burstLimit?: number };

/**
 * The stage's `MethodSettings` throttling as the template declares it: the `*` / `/*` entry for every method,
 * and entries for single methods (key `GET /v1/documents`) that override it field by field.
 */
export type StageThrottling = { defaults: ThrottleLimits; methods: Map<string, ThrottleLimits> };

/**
 * Reads `AWS::ApiGateway::Stage` `MethodSettings`: `ResourcePath` is `/*` for all resources or the resource
 * path with `/` escaped as `~1` (`/~1v1~1documents`), `HttpMethod` is `*` or a method.
 */
export function stageThrottling(methodSettings: unknown): StageThrottling {
  const throttling: StageThrottling = { defaults: {}, methods: new Map() };
  for (const setting of Array.isArray(methodSettings) ? methodSettings : []) {
    const { HttpMethod, ResourcePath, ThrottlingRateLimit, ThrottlingBurstLimit } = setting as Record<
      string,
      unknown
    >;
    const limits: ThrottleLimits = {
      ...(ThrottlingRateLimit !== undefined ? { rateLimit: Number(ThrottlingRateLimit) } : {}),
      ...(ThrottlingBurstLimit !== undefined ? { burstLimit: Number(ThrottlingBurstLimit) } : {}),
    };
    if (ResourcePath === '/*' && HttpMethod === '*') throttling.defaults = limits;
    else {
      // `/` then the escaped path: `/~1v1~1documents` is `/v1/documents`.
      const path = String(ResourcePath).slice(1).replaceAll('~1', '/').replaceAll('~0', '~');
      throttling.methods.set(`${String(HttpMethod).toUpperCase()} ${path}`, limits);
    }
  }
  return throttling;
}

/**
 * API Gateway's token bucket: `burstLimit` tokens at most, refilled at `rateLimit` per second; a request takes
 * one token or is throttled (429).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rateLimit: number,
    private readonly burstLimit: number,
    private readonly now: () => number,
  ) {
    this.tokens = burstLimit;
    this.last = now();
  }

  take(): boolean {
    const at = this.now();
    this.tokens = Math.min(this.burstLimit, this.tokens + ((at - this.last) / 1000) * this.rateLimit);
    this.last = at;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Stage throttling as API Gateway applies it: each method of the stage has its own bucket, sized by its own
 * settings or the stage's defaults. A method with neither a rate nor a burst limit is not throttled by the
 * stage (only AWS's account-level limits, which are not modelled, would apply).
 */
export class StageThrottle {
  private readonly buckets = new Map<string, TokenBucket | null>();

  constructor(
    private readonly throttling: StageThrottling,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token for `httpMethod resourcePath`; false when the request is throttled. */
  admit(httpMethod: string, resourcePath: string): boolean {
    const key = `${httpMethod} ${resourcePath}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      const limits = { ...this.throttling.defaults, ...this.throttling.methods.get(key) };
      bucket =
        limits.rateLimit === undefined && limits.burstLimit === undefined
          ? null
          : new TokenBucket(limits.rateLimit ?? 0, limits.burstLimit ?? 0, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket === null || bucket.take();
  }
}
