// The CLI's sign-in shell: a centred card, as the sign-in pages have, wide enough for the approval form.
import Link from "next/link";

export default function CliLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-10 sm:items-center">
      <div className="w-full max-w-md">
        <Link href="/dashboard" className="mb-6 block text-center text-2xl font-semibold tracking-tight">
          Keyhold
        </Link>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
      </div>
    </main>
  );
}
