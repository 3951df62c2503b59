// The CLI's sign-in shell: a centred card, as the sign-in pages have, wide enough for the approval form; the approval
// asks for a step-up code.
import Link from "next/link";
import { StepUpProvider } from "@/components/mfa/step-up-provider";

export default function CliLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-10 sm:items-center">
      <div className="w-full max-w-md">
        <Link href="/dashboard" className="mb-6 block text-center text-2xl font-semibold tracking-tight">
          Keyhold
        </Link>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <StepUpProvider>{children}</StepUpProvider>
        </div>
      </div>
    </main>
  );
}
