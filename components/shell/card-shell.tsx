// A centred card under the product name (linking `home`): the sign-in pages' shell, and, `wide`, the CLI's (its
// approval form is wider and taller, so on small screens it starts at the top).
import Link from "next/link";

export function CardShell({
  home,
  wide = false,
  children,
}: {
  home: string;
  wide?: boolean;
  children: React.ReactNode;
}) {
  return (
    <main
      className={`flex min-h-screen justify-center px-4 py-10 ${wide ? "items-start sm:items-center" : "items-center"}`}
    >
      <div className={`w-full ${wide ? "max-w-md" : "max-w-sm"}`}>
        <Link href={home} className="mb-6 block text-center text-2xl font-semibold tracking-tight">
          Keyhold
        </Link>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
      </div>
    </main>
  );
}
