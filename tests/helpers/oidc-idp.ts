// A real OpenID Connect identity provider for tests: panva's oidc-provider on 127.0.0.1 with its own development
// interaction pages (any password; the login name picks the account), confidential clients that must use PKCE.
import { createServer, type Server } from "node:http";
import Provider from "oidc-provider";

export type IdpAccount = { email: string; email_verified: boolean; amr?: string[] };

export type TestIdp = {
  issuer: string;
  // Login name → account; deleting one removes the user at the IdP (its next sign-in fails there).
  accounts: Map<string, IdpAccount>;
  close(): Promise<void>;
};

// Starts the IdP on `port` (0: any free port); `redirectUris` are the clients' callback URLs.
export async function startTestIdp(opts: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  accounts?: Record<string, IdpAccount>;
}): Promise<TestIdp> {
  const accounts = new Map(Object.entries(opts.accounts ?? {}));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(opts.port, "127.0.0.1", () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    // Every client must send a PKCE challenge (oidc-provider requires it only for public clients by default).
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    cookies: { keys: ["keyhold-test-idp-cookie-key-0123456789"] },
    // Short lifetimes for everything the IdP issues (seconds); an authorization code is single-use regardless.
    ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 600, Grant: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: true } },
    // First-party client: consent is granted without a second page.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["email", "email_verified"]);
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: account.email, email_verified: account.email_verified, amr: account.amr };
        },
      };
    },
  });
  // The IdP's own state (sessions, codes) lives in memory; silence its development-mode warnings.
  provider.on("server_error", (_ctx, err) => console.error("test IdP:", err));
  server.on("request", provider.callback());
  return {
    issuer,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
