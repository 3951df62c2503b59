// Honest placeholder for a page whose feature has not been built yet.
export function NotBuiltYet({ what }: { what: string }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="font-medium">Not built yet</p>
      <p className="mt-1 text-sm text-slate-600">{what}</p>
    </div>
  );
}
