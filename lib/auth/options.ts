// next-auth configuration: email + password credentials, JWT sessions in an httpOnly cookie for 12 hours.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import { ApiError } from "../api/errors";
import { authenticate } from "./accounts";
import { clientIp } from "../ip/client-ip";

export const SESSION_MAX_AGE_S = 12 * 60 * 60;

// Whether session cookies carry the Secure flag and __Secure- prefix (as next-auth decides it).
export function secureCookies(): boolean {
  return env().NEXTAUTH_URL?.startsWith("https://") ?? false;
}

// The session cookie's name.
export function sessionCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
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
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) throw new Error("Invalid email or password");
          const headers = new Headers(req.headers as Record<string, string>);
          try {
            const user = await authenticate(credentials.email, credentials.password, clientIp(headers));
            return { id: user.id, email: user.email, role: user.role, mfaEnabled: user.mfaEnabledAt !== null };
          } catch (err) {
            if (err instanceof ApiError) throw new Error(err.message);
            throw err;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.role = user.role;
          token.mfa = user.mfaEnabled ? "pending" : "none";
        }
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? "", email: token.email ?? "", role: token.role ?? "USER" };
        return session;
      },
    },
  };
  return cached;
}
