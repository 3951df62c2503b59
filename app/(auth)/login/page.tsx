// /login — sign in with email and password.
import Link from "next/link";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";

export const metadata = { title: "Sign in" };

export default function LoginPage() {
  return (
    <>
      <Suspense>
        <LoginForm />
      </Suspense>
      <p className="mt-4 text-center text-sm text-slate-600">
        New to Keyhold?{" "}
        <Link href="/signup" className="font-medium text-brand-600 underline">
          Create an account
        </Link>
      </p>
    </>
  );
}
