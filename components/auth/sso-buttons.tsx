"use client";
// One button per configured identity provider: next-auth's OIDC sign-in (authorization code with PKCE, state and
// nonce), coming back through the MFA challenge page, which goes on to `next` when no Keyhold code is needed.
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

export function SsoButtons({ providers, next }: { providers: { id: string; name: string }[]; next: string }) {
  const [pending, setPending] = useState<string | null>(null);
  if (providers.length === 0) return null;
  return (
    <div className="mt-4 flex flex-col gap-2" aria-label="Single sign-on">
      <p className="text-center text-sm text-slate-600">or</p>
      {providers.map((provider) => (
        <Button
          key={provider.id}
          look="secondary"
          disabled={pending !== null}
          onClick={() => {
            setPending(provider.id);
            void signIn(provider.id, { callbackUrl: `/login/mfa?next=${encodeURIComponent(next)}` }).catch(() =>
              setPending(null),
            );
          }}
        >
          {pending === provider.id ? "Redirecting…" : `Continue with ${provider.name}`}
        </Button>
      ))}
    </div>
  );
}
