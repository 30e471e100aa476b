// Public surface of the CAFE (printed representation) module; see docs/contracts.md.
export {
  CONSULTATION_LEGEND,
  CONSULTATION_URL,
  CONTINGENCY_LEGEND,
  DRAFT_LEGEND,
  DRAFT_PLACEHOLDER,
  QR_LEGEND,
  TEST_ENVIRONMENT_LEGEND,
} from './legends';
export { CafeRenderError, type RenderCafeOptions, renderCafePdf, warmUpCafeRenderer } from './render';
export {
  type CafeAuthorization,
  type CafeContext,
  cafeLayoutOf,
  toCafeView,
  toContingencyCafeView,
  toDraftCafeView,
} from './to-cafe-view';
export type * from './view';
