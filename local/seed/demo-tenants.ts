/** The demo data `npm start` seeds: two tenants (to try isolation), a user per role each, one platform admin. */

export const DEMO_PASSWORD = 'Demo-Passw0rd!';
export const TENANT_ROLES = ['ADMIN', 'USER', 'OPERATOR'] as const;

export type DemoUser = {
  email: string;
  password: string;
  role: 'SUPER_ADMIN' | (typeof TENANT_ROLES)[number];
};

export type DemoTenantSeed = {
  tenantId: string;
  name: string;
  tradeName: string;
  /** Used only when the HKA sandbox does not supply a RUC with its tokens. */
  fallbackRuc: string;
  address: string;
  location: { code: string; province: string; district: string; corregimiento: string };
  phones: string[];
  emailDomain: string;
};

export const DEMO_TENANTS: DemoTenantSeed[] = [
  {
    tenantId: 'demo-cafe',
    name: 'CAFE DEMO DEL ISTMO, S.A.',
    tradeName: 'Café del Istmo',
    fallbackRuc: '155704849-2-2021',
    address: 'Calle 50, Edificio Demo, Local 1',
    location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
    phones: ['507-0001'],
    emailDomain: 'cafe-demo.example.com',
  },
  {
    tenantId: 'demo-ferreteria',
    name: 'FERRETERIA DEMO CHIRIQUI, S.A.',
    tradeName: 'Ferretería Chiriquí',
    fallbackRuc: '155612345-2-2015',
    address: 'Avenida Central, David, Local 12',
    location: { code: '4-1-1', province: 'CHIRIQUI', district: 'DAVID', corregimiento: 'DAVID' },
    phones: ['775-0002'],
    emailDomain: 'ferreteria-demo.example.com',
  },
];

export const PLATFORM_ADMIN: DemoUser = {
  email: 'superadmin@factu.example.com',
  password: DEMO_PASSWORD,
  role: 'SUPER_ADMIN',
};

export function tenantUsers(tenant: DemoTenantSeed): DemoUser[] {
  return TENANT_ROLES.map((role) => ({
    email: `${role.toLowerCase()}@${tenant.emailDomain}`,
    password: DEMO_PASSWORD,
    role,
  }));
}
