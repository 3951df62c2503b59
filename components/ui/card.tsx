// A titled section of a page on a white card; the title labels the section.
export function Card({
  id,
  title,
  className = "",
  children,
}: {
  // Unique on the page: the heading's id is `${id}-heading`.
  id: string;
  title: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className={`rounded-xl border border-slate-200 bg-white p-5 ${className}`}
    >
      <h2 id={`${id}-heading`} className="mb-3 font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
