/** DynamoDB's cancellation reasons, index-aligned with the transaction's items. */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const named = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (named.name !== 'TransactionCanceledException') return undefined;
  return (named.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return (
    !!error &&
    typeof error === 'object' &&
    (error as { name?: string }).name === 'ConditionalCheckFailedException'
  );
}
