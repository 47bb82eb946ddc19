// The parts of oidc-provider 8 (no bundled types) that tests/helpers/oidc-provider.ts uses.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare module 'oidc-provider' {
  type Ctx = any;
  export interface ProviderConfiguration {
    [option: string]: unknown;
    issueRefreshToken?: (ctx: Ctx, client: Ctx, code: Ctx) => Promise<boolean>;
    loadExistingGrant?: (ctx: Ctx) => Promise<unknown>;
    findAccount?: (
      ctx: Ctx,
      sub: string,
    ) => Promise<{ accountId: string; claims: () => Promise<Record<string, unknown>> } | undefined>;
  }
  export default class Provider {
    constructor(issuer: string, configuration: ProviderConfiguration);
    use(middleware: (ctx: Ctx, next: () => Promise<void>) => Promise<void>): void;
    callback(): import('node:http').RequestListener;
  }
}
