// The OpenID Connect providers configured by OIDC_* variables, as next-auth OAuth providers: authorization code with
// PKCE, state and nonce; the user's claims come from the verified ID token and the userinfo endpoint.
import type { OAuthConfig } from "next-auth/providers/oauth";
import { env, type OidcProviderConfig } from "../env";
import type { SsoClaims } from "./sign-in";

// Milliseconds next-auth waits for the identity provider (discovery, token, JWKS) before the sign-in fails with a message.
const IDP_TIMEOUT_MS = 5000;

// The configured providers (id, label): what the login page shows one button for.
export function ssoProviders(): { id: string; name: string }[] {
  return env().oidcProviders.map(({ id, name }) => ({ id, name }));
}

// The configuration of a next-auth provider id, when it is one of the OIDC providers.
export function ssoProvider(id: string): OidcProviderConfig | undefined {
  return env().oidcProviders.find((p) => p.id === id);
}

// next-auth's provider for one configured identity provider. profile() keeps the claims the sign-in rules need; the
// signIn callback (lib/auth/options) turns them into a Keyhold account.
export function oidcProvider(config: OidcProviderConfig): OAuthConfig<SsoClaims> {
  return {
    id: config.id,
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    // The ID token is verified (signature, issuer, audience, nonce); many IdPs put email claims only in userinfo, so
    // the profile is the userinfo answer (openid-client checks its subject against the ID token's) under the ID
    // token's own claims.
    idToken: true,
    userinfo: {
      async request({ client, tokens }) {
        // next-auth hands over openid-client's TokenSet (typed as its plain parameters).
        const set = tokens as unknown as Parameters<typeof client.userinfo>[0] & { claims(): Record<string, unknown> };
        const idClaims = set.claims();
        const info = client.issuer.metadata.userinfo_endpoint && tokens.access_token ? await client.userinfo(set) : {};
        return { ...info, ...idClaims } as Record<string, unknown> & { sub: string };
      },
    },
    checks: ["pkce", "state", "nonce"],
    httpOptions: { timeout: IDP_TIMEOUT_MS },
    profile: (claims) => ({
      id: claims.sub,
      email: typeof claims.email === "string" ? claims.email : null,
      // Placeholders until the signIn callback resolves the Keyhold account.
      role: "USER",
      mfaEnabled: false,
      sv: -1,
    }),
  };
}
