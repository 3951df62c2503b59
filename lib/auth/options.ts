// next-auth configuration: email + password credentials and the OIDC providers from env, JWT sessions in an httpOnly
// cookie for 12 hours (SSO sessions end sooner: SSO_SESSION_MAX_AGE).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import { recordAudit } from "../audit";
import { authenticate, signInError } from "./accounts";
import { clientIp } from "../ip/client-ip";
import { authRedirectUrl } from "./redirects";
import { throttleSignIn } from "./throttle";
import { endSessions, sessionUser } from "./session-version";
import { oidcProvider, ssoProvider } from "../sso/providers";
import { idpReportsMfa, signInWithSso, SsoRefusal, type SsoClaims } from "../sso/sign-in";

export const SESSION_MAX_AGE_S = 12 * 60 * 60;

// Whether session cookies carry the Secure flag and __Secure- prefix (as next-auth decides it).
export function secureCookies(): boolean {
  return env().NEXTAUTH_URL?.startsWith("https://") ?? false;
}

// The session cookie's name.
export function sessionCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
}

// The cookie in which next-auth keeps the callback URL between requests.
export function callbackUrlCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.callback-url`;
}

let cached: NextAuthOptions | undefined;

// Built on first use so `next build` needs no secret.
export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: env().authSecret,
    useSecureCookies: secureCookies(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    jwt: { maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        // Same path as the sign-in form's action: the per-IP throttle, then validation, lockout and suspension in
        // authenticate(); any unexpected error is logged and answered generically, since next-auth puts the message in
        // the error page's URL.
        async authorize(credentials, req) {
          const headers = new Headers(req.headers as Record<string, string>);
          const ip = clientIp(headers);
          try {
            await throttleSignIn(ip);
            const user = await authenticate(credentials?.email ?? "", credentials?.password ?? "", ip);
            return {
              id: user.id,
              email: user.email,
              role: user.role,
              mfaEnabled: user.mfaEnabledAt !== null,
              sv: user.sessionVersion,
            };
          } catch (err) {
            throw new Error(signInError(err).message);
          }
        },
      }),
      ...env().oidcProviders.map(oidcProvider),
    ],
    callbacks: {
      // An OIDC sign-in (its ID token verified by next-auth: issuer, audience, nonce; PKCE and state checked) becomes a
      // Keyhold account here; `user` is the object the jwt callback receives next, so it is filled in with the account.
      // A refusal goes back to the login page with its code.
      async signIn({ user, account, profile }) {
        const provider = account?.type === "oauth" ? ssoProvider(account.provider) : undefined;
        if (!provider) return true;
        try {
          // Imported here, not at the top: next/headers' test stand-in imports this module.
          const ip = clientIp(await (await import("next/headers")).headers());
          const found = await signInWithSso(provider, profile as SsoClaims, ip);
          Object.assign(user, {
            id: found.id,
            email: found.email,
            role: found.role,
            mfaEnabled: found.mfaEnabledAt !== null,
            sv: found.sessionVersion,
            idpMfa: idpReportsMfa((profile as SsoClaims).amr),
          });
          return true;
        } catch (err) {
          const code = err instanceof SsoRefusal ? err.code : "SsoFailed";
          if (!(err instanceof SsoRefusal)) signInError(err);
          return `${env().NEXTAUTH_URL ?? ""}/login?error=${code}`;
        }
      },
      redirect: ({ url, baseUrl }) => authRedirectUrl(url, baseUrl),
      // At sign-in, stamps the session; on every later call (/api/auth/session), refuses an ended session — throwing
      // makes next-auth clear the cookie instead of extending it.
      async jwt({ token, user, account }) {
        if (user) {
          token.role = user.role;
          token.mfa = user.mfaEnabled ? "pending" : "none";
          token.sv = user.sv;
          if (account?.type === "oauth") {
            token.sso = account.provider;
            token.ssoExp = Math.floor(Date.now() / 1000) + env().SSO_SESSION_MAX_AGE;
            token.idpMfa = user.idpMfa === true;
            delete token.name;
            delete token.picture;
          }
          return token;
        }
        if (!(await sessionUser(token))) throw new Error("Session ended");
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? "", email: token.email ?? "", role: token.role ?? "USER" };
        return session;
      },
    },
    events: {
      // next-auth's own sign-out route ends every session of the account too, like the app's sign-out action.
      async signOut({ token }) {
        if (!(await sessionUser(token))) return;
        await endSessions(token.sub!);
        await recordAudit({ userId: token.sub!, action: "auth.signout", ip: null });
      },
    },
  };
  return cached;
}
