/**
 * The gap/duplicate audit of a numbering series (branch, point of sale). DGI requires numbers that never
 * restart and are never reused; every number the counter hands out ends as one claim item: the document
 * that carries it, or an explicit void with its reason.
 */

/** Why a reserved number carries no document. */
export type VoidReason =
  /** The request's claim of its Idempotency-Key was lost meanwhile (another request holds or completed it). */
  | 'IDEMPOTENCY_KEY_TAKEN'
  /** The document's writes kept conflicting with concurrent requests. */
  | 'WRITE_CONFLICT'
  /** DynamoDB refused the document's write (or it failed) for another reason. */
  | 'WRITE_REFUSED';

/** The claim item of a number (`NUMBER#<10 digits>` in the series partition): at most one per number, ever. */
export type NumberClaim = {
  tenantId: string;
  number: string;
  status: 'ISSUED' | 'VOID';
  /** ISSUED: the document with this number. VOID: the document that was to carry it and was never created. */
  documentId: string;
  claimedAt: string;
  voidReason?: VoidReason;
  voidedAt?: string;
};

/** A claim as the audit reads it. */
export type StoredClaim = Pick<NumberClaim, 'number' | 'documentId' | 'status'> &
  Partial<Pick<NumberClaim, 'voidReason'>>;

/**
 * A claim item as stored (plain attributes). Claims written before voids existed carry only the key and the
 * document id: their number is the key's, and they are all ISSUED.
 */
export function storedClaim(item: Record<string, unknown>): StoredClaim {
  const voidReason = typeof item.voidReason === 'string' ? item.voidReason : undefined;
  return {
    number: typeof item.number === 'string' ? item.number : String(item.sk).replace(/^NUMBER#/, ''),
    documentId: String(item.documentId),
    status: item.status === 'VOID' ? 'VOID' : 'ISSUED',
    ...(voidReason ? { voidReason: voidReason as VoidReason } : {}),
  };
}

export type SeriesAudit = {
  /** The counter: the highest number handed out. */
  lastNumber: number;
  issued: number;
  voided: Array<{ number: string; reason: string; documentId: string }>;
  /**
   * Numbers handed out without a claim: the request that took one is still writing its document, or ended
   * (a crash, a timeout) between taking the number and writing either claim.
   */
  missing: string[];
  /** Claims above the counter: the counter was set back (e.g. a restore); the allocator steps past them. */
  beyondCounter: string[];
};

/** Compares the counter with the claims of 1..lastNumber. */
export function auditSeries(lastNumber: number, claims: Iterable<StoredClaim>): SeriesAudit {
  const byNumber = new Map<number, StoredClaim>();
  for (const claim of claims) byNumber.set(Number(claim.number), claim);
  const audit: SeriesAudit = { lastNumber, issued: 0, voided: [], missing: [], beyondCounter: [] };
  for (let value = 1; value <= lastNumber; value++) {
    const claim = byNumber.get(value);
    if (!claim) audit.missing.push(String(value).padStart(10, '0'));
    else if (claim.status === 'VOID') {
      audit.voided.push({
        number: claim.number,
        reason: claim.voidReason ?? 'unknown',
        documentId: claim.documentId,
      });
    } else audit.issued += 1;
  }
  for (const [value, claim] of byNumber) if (value > lastNumber) audit.beyondCounter.push(claim.number);
  audit.beyondCounter.sort();
  return audit;
}
