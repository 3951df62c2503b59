// /signup — create an account; `next` (an invitation page, say) comes from the URL and is posted back with the form.
import Link from "next/link";
import { SignUpForm } from "@/components/auth/signup-form";

export const metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next: raw } = await searchParams;
  const next = typeof raw === "string" ? raw : undefined;
  return (
    <>
      <SignUpForm next={next} />
      <p className="mt-4 text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link
          href={next ? `/login?next=${encodeURIComponent(next)}` : "/login"}
          className="font-medium text-brand-600 underline"
        >
          Sign in
        </Link>
      </p>
    </>
  );
}
