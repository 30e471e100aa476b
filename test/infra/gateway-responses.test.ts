import { beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_RESPONSE_CODES } from '#infra/constructs/api';
import { contextVariables, renderGatewayTemplate, templateVariables } from '#local/api/gateway-responses';
import { resourcesOfType, type Synthesized, synth } from './synth';

let s: Synthesized;
beforeAll(async () => {
  s = await synth();
});

type GatewayResponseProperties = {
  ResponseType: string;
  StatusCode?: string;
  ResponseTemplates?: Record<string, string>;
};

function gatewayResponses(): Map<string, GatewayResponseProperties> {
  return new Map(
    resourcesOfType(s.templates.stateless, 'AWS::ApiGateway::GatewayResponse').map(([, resource]) => {
      const properties = resource.Properties as GatewayResponseProperties;
      return [properties.ResponseType, properties];
    }),
  );
}

/** A request as API Gateway knows it when it answers itself. */
const request = {
  requestId: '6f1c1c2e-8a8e-4c57-9d5d-1d8f7a0d6a11',
  requestTimeEpoch: Date.UTC(2026, 10, 22, 17, 0, 0),
  apiId: 'abc123',
  stage: 'v1',
  httpMethod: 'POST',
  path: '/v1/documents',
};

describe('API Gateway responses in the house error envelope', () => {
  it('declares a gateway response for every type worth naming, each with its stable code', () => {
    const declared = gatewayResponses();

    expect([...declared.keys()].sort()).toEqual(Object.keys(GATEWAY_RESPONSE_CODES).sort());
    for (const [type, properties] of declared) {
      expect(properties.StatusCode, `${type} keeps API Gateway's status`).toBeUndefined();
      expect(Object.keys(properties.ResponseTemplates ?? {}), type).toEqual(['application/json']);
    }
  });

  it.each(Object.keys(GATEWAY_RESPONSE_CODES))(
    '%s renders the envelope with only $context variables the local API renders too',
    (type) => {
      // Prepare
      const template = gatewayResponses().get(type)?.ResponseTemplates?.['application/json'] ?? '';
      const message = 'Message with "quotes" and a \\ backslash';
      const variables = contextVariables(request, type, message);

      // Act
      const body = JSON.parse(renderGatewayTemplate(template, variables));

      // Assess
      expect(templateVariables(template).filter((name) => !variables.has(name))).toEqual([]);
      expect(body).toEqual({
        success: false,
        error: message,
        code: GATEWAY_RESPONSE_CODES[type] ?? type,
        details: [],
        requestId: request.requestId,
        timestamp: '22/Nov/2026:17:00:00 +0000',
      });
    },
  );
});
