// Landing page: signed-in users go straight to their dashboard.
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  if (await getCurrentUser()) redirect("/dashboard");
  return (
    <main className="mx-auto flex min-h-screen max-w-2xl flex-col justify-center gap-6 px-6">
      <h1 className="text-4xl font-semibold tracking-tight">Keyhold</h1>
      <p className="text-lg text-slate-600">
        Issue API keys that are shown once, scope and expire them, restrict them to networks, rotate and revoke them,
        and watch how they are used.
      </p>
      <div className="flex gap-3">
        <Link href="/signup" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Create an account
        </Link>
        <Link
          href="/login"
          className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-100"
        >
          Sign in
        </Link>
      </div>
    </main>
  );
}
