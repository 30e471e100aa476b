/**
 * Object keys of the documents bucket (docs/contracts.md). Always built by the server from ids it has
 * already checked belong to the caller's tenant; the tenant prefix is what the bucket policy and IAM
 * conditions scope on.
 */
export const documentObjectKeys = (tenantId: string, documentId: string) => {
  const prefix = `tenants/${tenantId}/documents/${documentId}`;
  return {
    prefix,
    input: `${prefix}/input.json`,
    /** The validated, computed document (emission date stamped); every pipeline step rebuilds from it. */
    computed: `${prefix}/computed.json`,
    unsignedXml: `${prefix}/rfe-unsigned.xml`,
    /** Our signed rFE before authorization (emitter-signed channel). */
    signedXml: `${prefix}/rfe-signed.xml`,
    /** The authorized, signed rFE with gNoFirm. */
    authorizedXml: `${prefix}/rfe.xml`,
    pdf: `${prefix}/cafe.pdf`,
    hkaResponse: `${prefix}/hka-response.xml`,
  };
};
