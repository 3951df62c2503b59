// What the login page says for next-auth's error codes (?error=) from an SSO sign-in, and for Keyhold's own refusals.
import { SSO_REFUSALS } from "./sign-in";

const NEXT_AUTH_ERRORS: Record<string, string> = {
  OAuthSignin:
    "Could not reach the identity provider to start single sign-on. It may be down: try again shortly, or sign in " +
    "with your password.",
  OAuthCallback:
    "Single sign-on did not complete: the identity provider's answer was invalid, expired or already used. Start " +
    "again from this page.",
  OAuthCreateAccount: "Single sign-on could not create your account. Try again.",
  Callback: "Single sign-on did not complete. Start again from this page.",
  AccessDenied: "Single sign-on was refused.",
  SsoFailed: "Single sign-on is temporarily unavailable. Try again shortly.",
};

// The message for an error code, or null when there is none.
export function loginErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  if (code in SSO_REFUSALS) return SSO_REFUSALS[code as keyof typeof SSO_REFUSALS];
  return NEXT_AUTH_ERRORS[code] ?? "Sign-in did not complete. Try again.";
}
