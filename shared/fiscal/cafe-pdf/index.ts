// Public surface of the CAFE (printed representation) module; see docs/contracts.md.
export {
  CONSULTATION_LEGEND,
  CONSULTATION_URL,
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
  toDraftCafeView,
} from './to-cafe-view';
export type * from './view';
