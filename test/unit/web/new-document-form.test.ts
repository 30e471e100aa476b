import { describe, expect, it } from 'vitest';
import { documentInputSchema } from '#shared/fiscal/model';
import { bodyOf, DRAFT_KEY, emptyDraft, loadDraft } from '../../../web/src/routes/new-document-form';

describe('the new-document form', () => {
  it('makes an issuing body the API schema accepts, for a taxpayer too', () => {
    // Prepare
    const draft = {
      ...emptyDraft(),
      receiverType: 'taxpayer' as const,
      name: 'DISTRIBUIDORA EJEMPLO, S.A.',
      ruc: '2588017-1-831938',
      dv: '20',
      address: 'Vía España',
      locationCode: '8-8-7',
      province: 'PANAMA',
      district: 'PANAMA',
      corregimiento: 'BELLA VISTA',
      email: 'compras@ejemplo.com.pa',
      items: [{ description: 'Soporte', quantity: '1', unitPrice: '250.00', itbmsRate: '7' }],
      paymentMethod: 'transfer' as const,
    };

    // Act
    const parsed = documentInputSchema.safeParse(bodyOf(draft, '267.50'));

    // Assess
    expect(parsed.success).toBe(true);
  });

  it('keeps a draft across a new sign-in (sessionStorage), with its Idempotency-Key', () => {
    const draft = { ...emptyDraft(), name: 'Cliente' };
    const storage = new Map([[DRAFT_KEY, JSON.stringify(draft)]]);
    expect(loadDraft({ getItem: (key) => storage.get(key) ?? null })).toEqual(draft);
    expect(loadDraft({ getItem: () => '{broken' })).toBeUndefined();
    expect(emptyDraft().idempotencyKey).not.toBe(emptyDraft().idempotencyKey);
  });
});
