// Keyhold's fields on the next-auth JWT and session.
import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    role: "USER" | "ADMIN";
    mfaEnabled: boolean;
    // The account's session version when the session starts.
    sv: number;
    // Single sign-on only: the identity provider reported MFA at sign-in.
    idpMfa?: boolean;
  }
  interface Session {
    user: { id: string; email: string; role: "USER" | "ADMIN" };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: "USER" | "ADMIN";
    // "pending" until the TOTP challenge of an MFA-enrolled account passes.
    mfa?: "none" | "pending" | "verified";
    // Epoch ms of the last successful TOTP check in this session (step-up).
    stepUpAt?: number;
    // The account's session version at issue; a different current version means the session has ended.
    sv?: number;
    // Single sign-on: the next-auth provider id the session came through, when it did.
    sso?: string;
    // Epoch seconds after which an SSO session ends (SSO_SESSION_MAX_AGE from its sign-in).
    ssoExp?: number;
    // The identity provider reported MFA at sign-in (amr: mfa, otp or hwk).
    idpMfa?: boolean;
  }
}
