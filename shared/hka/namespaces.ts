/**
 * Namespaces and SOAP actions of HKA's WCF service (basicHttpBinding, SOAP 1.1). WCF matches elements by
 * namespace, so every data-contract child must carry the namespace of its operation (domain brief §8.1).
 */
export const NS = {
  soapEnvelope: 'http://schemas.xmlsoap.org/soap/envelope/',
  tempuri: 'http://tempuri.org/',
  objComprobante: 'http://schemas.datacontract.org/2004/07/Services.ObjComprobante.v1_0',
  model: 'http://schemas.datacontract.org/2004/07/Services.Model',
  apiRest: 'http://schemas.datacontract.org/2004/07/Services.ApiRest',
  response: 'http://schemas.datacontract.org/2004/07/Services.Response',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export const HKA_OPERATIONS = [
  'Enviar',
  'EstadoDocumento',
  'AnulacionDocumento',
  'DescargaXML',
  'DescargaPDF',
  'FoliosRestantes',
  'EnvioCorreo',
  'RastreoCorreo',
  'ConsultarRucDV',
] as const;

export type HkaOperation = (typeof HKA_OPERATIONS)[number];

/** Every call the HKA integration makes: the nine SOAP operations plus the DGI-standard PAC reception. */
export type HkaCallName = HkaOperation | 'RecepcionFE';

export function soapActionOf(operation: HkaOperation): string {
  return `http://tempuri.org/IService/${operation}`;
}

export function isHkaOperation(name: string): name is HkaOperation {
  return (HKA_OPERATIONS as readonly string[]).includes(name);
}
