// /signup — create an account.
import Link from "next/link";
import { SignUpForm } from "@/components/auth/signup-form";

export const metadata = { title: "Sign up" };

export default function SignUpPage() {
  return (
    <>
      <SignUpForm />
      <p className="mt-4 text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/login" className="font-medium text-brand-600 underline">
          Sign in
        </Link>
      </p>
    </>
  );
}
