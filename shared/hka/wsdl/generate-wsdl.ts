/**
 * Renders `Service.wsdl`, the WSDL the client loads and the sandbox serves at `?wsdl`. It mirrors HKA's
 * WCF service (single-file form of `Service.svc?singleWsdl`): SOAP 1.1 document/literal, wrappers in
 * `http://tempuri.org/`, data contracts in the namespaces of brief §8.1. The `documento` types come from
 * `documento-schema.ts` so the WSDL follows the same element order as the client and the sandbox.
 *
 * Run after changing the schema table: `tsx shared/hka/wsdl/write-wsdl.ts` (a unit test fails if the
 * committed file is stale). Importing this module has no side effects (bundles include it).
 */
import { DATOS_DOCUMENTO_FIELDS, DOCUMENTO_FIELDS, type SchemaField } from '../documento-schema.ts';
import { HKA_OPERATIONS, NS } from '../namespaces.ts';

/** Data-contract type name of a complex element: its name capitalised (element names are unique). */
const typeNameOf = (field: SchemaField): string => field.name[0]!.toUpperCase() + field.name.slice(1);

function complexTypes(fields: readonly SchemaField[], typeName: string, out: string[]): void {
  const elements = fields.map((field) => {
    const occurs = field.repeated ? ' maxOccurs="unbounded"' : '';
    if (!field.children) {
      return `<xs:element minOccurs="0"${occurs} name="${field.name}" nillable="true" type="xs:string"/>`;
    }
    const childType = typeNameOf(field);
    complexTypes(field.children, childType, out);
    return `<xs:element minOccurs="0"${occurs} name="${field.name}" nillable="true" type="tns:${childType}"/>`;
  });
  out.push(
    `<xs:complexType name="${typeName}"><xs:sequence>\n        ${elements.join('\n        ')}\n      </xs:sequence></xs:complexType>`,
  );
}

function dataContractSchema(namespace: string, types: string[]): string {
  return `    <xs:schema elementFormDefault="qualified" targetNamespace="${namespace}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${namespace}">
      ${types.join('\n      ')}
    </xs:schema>`;
}

const str = (name: string) => `<xs:element minOccurs="0" name="${name}" nillable="true" type="xs:string"/>`;

/** Request wrappers: children of `tem:<Operation>`, in the order of the official examples (§8.3). */
const requestWrappers: Record<string, string[]> = {
  Enviar: [str('tokenEmpresa'), str('tokenPassword'), '<xs:element minOccurs="0" name="documento" nillable="true" type="q1:DocumentoElectronico"/>'],
  EstadoDocumento: [str('tokenEmpresa'), str('tokenPassword'), '<xs:element minOccurs="0" name="datosDocumento" nillable="true" type="q2:DatosDocumento"/>'],
  AnulacionDocumento: [str('tokenEmpresa'), str('tokenPassword'), str('motivoAnulacion'), '<xs:element minOccurs="0" name="datosDocumento" nillable="true" type="q2:DatosDocumento"/>'],
  DescargaXML: [str('tokenEmpresa'), str('tokenPassword'), '<xs:element minOccurs="0" name="datosDocumento" nillable="true" type="q2:DatosDocumento"/>'],
  DescargaPDF: [str('tokenEmpresa'), str('tokenPassword'), '<xs:element minOccurs="0" name="datosDocumento" nillable="true" type="q2:DatosDocumento"/>', str('serialDispositivo')],
  FoliosRestantes: [str('tokenEmpresa'), str('tokenPassword')],
  EnvioCorreo: [str('tokenEmpresa'), str('tokenPassword'), '<xs:element minOccurs="0" name="datosDocumento" nillable="true" type="q2:DatosDocumento"/>', str('correo')],
  RastreoCorreo: [str('tokenEmpresa'), str('tokenPassword'), str('cufe')],
  ConsultarRucDV: ['<xs:element minOccurs="0" name="consultarRucDVRequest" nillable="true" type="q3:ConsultarRucDVRequest"/>'],
};

/** `<Operation>Result` fields (§8.3), all in Services.Response. */
const resultFields: Record<string, string[]> = {
  Enviar: ['codigo', 'resultado', 'mensaje', 'cufe', 'qr', 'fechaRecepcionDGI', 'nroProtocoloAutorizacion', 'fechaLimite'],
  EstadoDocumento: ['codigo', 'mensaje', 'cufe', 'fechaEmisionDocumento', 'fechaRecepcionDocumento', 'estatusDocumento', 'mensajeDocumento', 'resultado'],
  AnulacionDocumento: ['codigo', 'resultado', 'mensaje', 'estatusDocumento'],
  DescargaXML: ['codigo', 'resultado', 'mensaje', 'documento'],
  DescargaPDF: ['codigo', 'resultado', 'mensaje', 'documento'],
  FoliosRestantes: ['codigo', 'mensaje', 'licencia', 'fechaLicencia', 'ciclo', 'fechaCiclo', 'foliosTotalesCiclo', 'foliosUtilizadosCiclo', 'foliosDisponibleCiclo', 'foliosDisponiblesCiclo', 'foliosTotales', 'resultado'],
  EnvioCorreo: ['codigo', 'resultado', 'mensaje'],
  RastreoCorreo: ['codigo', 'mensaje', 'listaRastreo', 'resultado'],
  ConsultarRucDV: ['codigo', 'infoRuc', 'mensaje', 'resultado'],
};

function responseTypes(): string[] {
  const types: string[] = [];
  for (const op of HKA_OPERATIONS) {
    const fields = resultFields[op]!.map((name) => {
      if (name === 'listaRastreo') return '<xs:element minOccurs="0" name="listaRastreo" nillable="true" type="tns:ArrayOfTracking"/>';
      if (name === 'infoRuc') return '<xs:element minOccurs="0" name="infoRuc" nillable="true" type="tns:InfoRuc"/>';
      return str(name);
    });
    types.push(`<xs:complexType name="${op}Respuesta"><xs:sequence>\n        ${fields.join('\n        ')}\n      </xs:sequence></xs:complexType>`);
  }
  types.push(
    `<xs:complexType name="ArrayOfTracking"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="listTracking" nillable="true" type="tns:Tracking"/></xs:sequence></xs:complexType>`,
    `<xs:complexType name="Tracking"><xs:sequence>${['correo', 'creado_en', 'estado', 'messageId'].map(str).join('')}</xs:sequence></xs:complexType>`,
    `<xs:complexType name="InfoRuc"><xs:sequence>${['tipoRuc', 'ruc', 'dv', 'razonSocial', 'afiliadoFE'].map(str).join('')}</xs:sequence></xs:complexType>`,
  );
  return types;
}

export function renderWsdl(): string {
  const documentoTypes: string[] = [];
  complexTypes(DOCUMENTO_FIELDS, 'DocumentoElectronico', documentoTypes);
  const modelTypes: string[] = [];
  complexTypes(DATOS_DOCUMENTO_FIELDS, 'DatosDocumento', modelTypes);
  const apiRestTypes = [
    `<xs:complexType name="ConsultarRucDVRequest"><xs:sequence>${['tokenEmpresa', 'tokenPassword', 'tipoRuc', 'ruc'].map(str).join('')}</xs:sequence></xs:complexType>`,
  ];

  const wrapperElements = HKA_OPERATIONS.flatMap((op) => [
    `<xs:element name="${op}"><xs:complexType><xs:sequence>\n          ${requestWrappers[op]!.join('\n          ')}\n        </xs:sequence></xs:complexType></xs:element>`,
    `<xs:element name="${op}Response"><xs:complexType><xs:sequence>\n          <xs:element minOccurs="0" name="${op}Result" nillable="true" type="q4:${op}Respuesta"/>\n        </xs:sequence></xs:complexType></xs:element>`,
  ]);

  const messages = HKA_OPERATIONS.flatMap((op) => [
    `  <wsdl:message name="IService_${op}_InputMessage"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>`,
    `  <wsdl:message name="IService_${op}_OutputMessage"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`,
  ]);
  const portOps = HKA_OPERATIONS.map(
    (op) => `    <wsdl:operation name="${op}">
      <wsdl:input wsaw:Action="http://tempuri.org/IService/${op}" message="tns:IService_${op}_InputMessage"/>
      <wsdl:output wsaw:Action="http://tempuri.org/IService/${op}Response" message="tns:IService_${op}_OutputMessage"/>
    </wsdl:operation>`,
  );
  const bindingOps = HKA_OPERATIONS.map(
    (op) => `    <wsdl:operation name="${op}">
      <soap:operation soapAction="http://tempuri.org/IService/${op}" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>`,
  );

  return `<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by shared/hka/wsdl/generate-wsdl.ts from shared/hka/documento-schema.ts. Do not edit by hand. -->
<wsdl:definitions name="Service" targetNamespace="${NS.tempuri}"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="${NS.tempuri}"
    xmlns:q1="${NS.objComprobante}"
    xmlns:q2="${NS.model}"
    xmlns:q3="${NS.apiRest}"
    xmlns:q4="${NS.response}">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="${NS.tempuri}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${NS.tempuri}" xmlns:q1="${NS.objComprobante}" xmlns:q2="${NS.model}" xmlns:q3="${NS.apiRest}" xmlns:q4="${NS.response}">
      <xs:import namespace="${NS.objComprobante}"/>
      <xs:import namespace="${NS.model}"/>
      <xs:import namespace="${NS.apiRest}"/>
      <xs:import namespace="${NS.response}"/>
      ${wrapperElements.join('\n      ')}
    </xs:schema>
${dataContractSchema(NS.objComprobante, documentoTypes)}
${dataContractSchema(NS.model, modelTypes)}
${dataContractSchema(NS.apiRest, apiRestTypes)}
${dataContractSchema(NS.response, responseTypes())}
  </wsdl:types>
${messages.join('\n')}
  <wsdl:portType name="IService">
${portOps.join('\n')}
  </wsdl:portType>
  <wsdl:binding name="BasicHttpBinding_IService" type="tns:IService">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
${bindingOps.join('\n')}
  </wsdl:binding>
  <wsdl:service name="Service">
    <wsdl:port name="BasicHttpBinding_IService" binding="tns:BasicHttpBinding_IService">
      <soap:address location="https://demoemision.thefactoryhka.com.pa/ws/obj/v1.0/Service.svc"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
