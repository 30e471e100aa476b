import { describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/cloud';
import { describeStack } from '#local/describe';

const stack = (apiKeys: Array<{ role: string; secret: string }>) =>
  ({
    startupMs: 6100,
    apiUrl: 'http://127.0.0.1:3000',
    docsUrl: 'http://127.0.0.1:3000/docs',
    mailUrl: 'http://127.0.0.1:8005',
    hkaSandboxUrl: 'http://127.0.0.1:8088/ws/obj/v1.0/Service.svc',
    cognito: {
      endpoint: 'http://127.0.0.1:9229',
      userPoolId: 'local_1',
      clientId: 'c1',
      hostedUiUrl: 'http://127.0.0.1:9230',
    },
    demo: {
      tenants: [
        {
          tenantId: 'demo-cafe',
          users: [{ role: 'ADMIN', email: 'admin@cafe-demo.example.com', password: 'Demo-Passw0rd!' }],
          apiKeys,
        },
      ],
      platformUsers: [],
    },
    example: { curl: 'curl …' },
  }) as unknown as LocalStack;

describe('the summary npm start prints', () => {
  it('lists each demo API key with its tenant and role', () => {
    // Act
    const text = describeStack(stack([{ role: 'USER', secret: 'fk_test_abc' }]), '.local/stack.json');

    // Assess
    expect(text).toMatch(/^ {2}demo-cafe +USER +fk_test_abc$/m);
  });

  it('says how to get demo keys when the data directory was seeded without them', () => {
    // Act
    const text = describeStack(stack([]), '.local/stack.json');

    // Assess
    expect(text).toContain('none in this data directory (seeded by an older version): npm start -- --reset');
  });
});
