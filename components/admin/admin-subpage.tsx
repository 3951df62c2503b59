// A page under /admin: the link back to the administrators' overview, the page's header, and its sections.
import { PageHeader } from "@/components/shell/page-header";
import { BackLink } from "@/components/ui/back-link";

export function AdminSubpage({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: React.ReactNode;
}) {
  return (
    <>
      <BackLink href="/admin">Admin</BackLink>
      <PageHeader title={title} description={description} />
      <div className="space-y-6">{children}</div>
    </>
  );
}
