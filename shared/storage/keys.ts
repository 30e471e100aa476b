/**
 * Object keys of the documents bucket (docs/contracts.md). Always built by the server from ids it has
 * already checked belong to the caller's tenant; the tenant prefix is what the bucket policy and IAM
 * conditions scope on.
 */
export const documentObjectKeys = (tenantId: string, documentId: string) => {
  const prefix = `tenants/${tenantId}/documents/${documentId}`;
  return {
    prefix,
    /** The validated, computed document (emission date stamped); every pipeline step rebuilds from it. */
    computed: `${prefix}/computed.json`,
    /**
     * The signed rFE with gNoFirm. emitter-signed: written when we sign it, before the PAC accepts it (it is
     * only served once the document is AUTHORIZED); hka-integration: HKA's authorized copy.
     */
    authorizedXml: `${prefix}/rfe.xml`,
    pdf: `${prefix}/cafe.pdf`,
    /**
     * The CAFE of a document issued in contingency, before its authorization (no protocol, the contingency
     * legend). Its own key: Object Lock keeps it, and the authorized CAFE goes to `pdf`.
     */
    contingencyPdf: `${prefix}/contingency-cafe.pdf`,
    /** HKA's (or the PAC reception's) answer verbatim: the authorization's evidence. */
    hkaResponse: `${prefix}/hka-response.xml`,
  };
};

/** Objects of the tenant itself (not of one document). */
export const tenantObjectKeys = (tenantId: string) => ({
  /**
   * A logo printed on the CAFEs we render (PNG or JPEG, as uploaded through PUT /v1/profile), named by its
   * content's hash: a profile change that fails after the upload leaves the logo the profile names intact.
   */
  logo: (contentHash: string) => `tenants/${tenantId}/profile/logo-${contentHash}`,
});
