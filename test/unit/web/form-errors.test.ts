import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES, GATEWAY_ERROR_CODES } from '#shared/http/error-codes';
import {
  failureSentence,
  formErrors,
  type Refusal,
  refusalSentence,
} from '../../../web/src/components/form-errors';
import { en, es } from '../../../web/src/i18n/messages';

/** A refusal as the typed client throws it (its ApiError), without loading the browser-only client. */
function refusal(code: string, message: string, details: Refusal['details']): Refusal {
  return Object.assign(new Error(message), { code, details });
}

describe('a refusal on a form', () => {
  it('puts details at the form’s fields, and above them the refusal in words once with the details no field took', () => {
    // Prepare
    const exists = refusal('USER_EXISTS', 'This person is already a user', [
      { path: 'email', message: 'already a user of this tenant' },
      { path: 'tenant', message: 'suspended' },
    ]);

    // Act
    const errors = formErrors(exists, ['email', 'name'], 'es');

    // Assess
    expect(errors).toEqual({
      fields: { email: ['already a user of this tenant'] },
      form: ['Esa persona ya es usuaria de la empresa.', 'tenant: suspended'],
    });
  });

  it('says a refusal without details in the person’s language, never as the API’s English or a bare code', () => {
    // Prepare
    const exists = refusal('BRANCH_EXISTS', 'Branch 0001 already exists', []);
    const unknown = refusal('SOMETHING_NEW', 'Something new happened', []);

    // Act & Assess
    expect(formErrors(exists, ['code'], 'es')).toEqual({
      fields: {},
      form: ['Ya existe una sucursal con ese código.'],
    });
    expect(formErrors(exists, ['code'], 'en').form).toEqual(['A branch with that code exists already.']);
    expect(formErrors(unknown, [], 'es').form).toEqual(['El servicio rechazó la solicitud (SOMETHING_NEW).']);
  });

  it('words a code the form knows better with its explanation, instead of the catalogue', () => {
    // Prepare
    const lastAdmin = refusal('LAST_ADMIN', 'The last enabled ADMIN cannot be removed', []);
    const explain = (refused: Refusal) =>
      refused.code === 'LAST_ADMIN' ? 'Es el último administrador' : undefined;

    // Act & Assess
    expect(formErrors(lastAdmin, [], 'es', explain).form).toEqual(['Es el último administrador']);
    expect(formErrors(lastAdmin, [], 'es').form).toEqual([
      'La empresa debe conservar al menos un administrador activo.',
    ]);
  });

  it('says a request that got no answer as such, and nothing when nothing failed', () => {
    expect(formErrors(new TypeError('Failed to fetch'), ['email'], 'es').form).toEqual([
      'No se pudo contactar con el servicio. Revise su conexión e inténtelo de nuevo.',
    ]);
    expect(failureSentence(new TypeError('Failed to fetch'), 'en')).toBe(
      'The service could not be reached. Check your connection and try again.',
    );
    expect(formErrors(null, ['email'], 'es')).toEqual({ fields: {}, form: [] });
  });

  it('lands a query parameter’s detail at the filter of that name', () => {
    // Prepare
    const invalid = refusal('VALIDATION_FAILED', 'Invalid query', [
      { path: 'query.pointOfSale', message: 'must be 3 digits' },
    ]);

    // Act
    const errors = formErrors(invalid, ['branch', 'pointOfSale'], 'es');

    // Assess
    expect(errors.fields).toEqual({ pointOfSale: ['must be 3 digits'] });
    expect(errors.form).toEqual(['Hay datos por corregir.']);
  });
});

describe('the catalogue of the API’s codes', () => {
  it('words every code the API can answer with, in Spanish and English', () => {
    // Prepare
    const codes = [...Object.keys(DOMAIN_ERROR_CODES), ...Object.keys(GATEWAY_ERROR_CODES)];

    // Act & Assess
    for (const code of codes) {
      expect(es, code).toHaveProperty([`errors.${code}`]);
      expect(en, code).toHaveProperty([`errors.${code}`]);
      expect(refusalSentence(code, 'es'), code).not.toContain(code);
    }
  });
});
