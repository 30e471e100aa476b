import forge from 'node-forge';

// node-forge (~300 KB) is what parsing a certificate's subject costs: the signing path loads this module only
// when the subject was not stored with the key (see `SigningIdentity.subjectName`).

/** RFC 4514 §3 attribute type keywords; everything else is written with forge's long name or the OID. */
const RFC4514_KEYWORDS = new Set(['CN', 'L', 'ST', 'O', 'OU', 'C', 'STREET', 'DC', 'UID']);

/**
 * The subject as an RFC 4514 (ex-2253) string, most specific RDN first — the form `X509SubjectName`
 * carries (XMLDSig §4.5.4) and the one the DGI sample shows: `CN=[F] …,OU=FACTURA ELECTRONICA,…`.
 */
export function subjectRfc4514(certificatePem: string): string {
  return nameRfc4514(forge.pki.certificateFromPem(certificatePem).subject.attributes);
}

export function nameRfc4514(attributes: forge.pki.CertificateField[]): string {
  return attributes
    .slice()
    .reverse()
    .map((attribute) => `${attributeType(attribute)}=${escapeRfc4514(attributeValue(attribute))}`)
    .join(',');
}

/**
 * forge hands attribute values back as the raw bytes of the ASN.1 string (a "binary" JS string), so a
 * UTF8String "PANADERÍA" would read as "PANADERÃ\x8DA". Decode by the string type.
 */
export function attributeValue(attribute: forge.pki.CertificateField): string {
  const raw = typeof attribute.value === 'string' ? attribute.value : String(attribute.value ?? '');
  const tag = attribute.valueTagClass as unknown as number;
  if (tag === forge.asn1.Type.UTF8) return Buffer.from(raw, 'binary').toString('utf8');
  if (tag === forge.asn1.Type.BMPSTRING) return Buffer.from(raw, 'binary').swap16().toString('utf16le');
  return raw;
}

function attributeType(attribute: forge.pki.CertificateField): string {
  if (attribute.shortName && RFC4514_KEYWORDS.has(attribute.shortName)) return attribute.shortName;
  return attribute.name ?? attribute.type ?? 'UNKNOWN';
}

/** RFC 4514 §2.4: backslash-escape the specials, a leading `#`/space and a trailing space. */
function escapeRfc4514(value: string): string {
  return value
    .replace(/[\\"+,;<>]/g, (c) => `\\${c}`)
    .replace(/\0/g, '\\00')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}
