// /admin/keys — every account's keys for administrators: search by prefix or name, page by cursor, revoke any key.
import { BackLink } from "@/components/ui/back-link";
import { AllKeysTable } from "@/components/admin/all-keys-table";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { CursorPager } from "@/components/ui/cursor-pager";
import { TextField } from "@/components/ui/text-field";
import { listKeysForAdmin } from "@/lib/admin/keys";
import { requireAdmin } from "@/lib/auth/session";
import { ApiError } from "@/lib/errors";
import { adminKeySearchSchema } from "@/lib/validations/admin";
import { fieldErrors } from "@/lib/validations/field-errors";

export const metadata = { title: "All keys" };

const PAGE_SIZE = 25;

export default async function AdminKeysPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; cursor?: string }>;
}) {
  const { user } = await requireAdmin();
  const raw = await searchParams;
  const parsed = adminKeySearchSchema.safeParse({ q: raw.q, cursor: raw.cursor });
  const error = parsed.success ? undefined : fieldErrors(parsed.error).q;
  const q = parsed.success ? parsed.data.q || undefined : undefined;
  const cursor = parsed.success ? parsed.data.cursor : undefined;
  const page = await listKeysForAdmin(user, { q, cursor, limit: PAGE_SIZE }).catch((err: unknown) => {
    // A stale or hand-edited cursor shows the first page rather than an error.
    if (err instanceof ApiError) return listKeysForAdmin(user, { q, limit: PAGE_SIZE });
    throw err;
  });
  return (
    <>
      <BackLink href="/admin">Accounts</BackLink>
      <PageHeader
        title="All keys"
        description="Every account's API keys, newest first. Revoking one takes effect at once and is recorded in its owner's audit log."
      />
      <form method="get" action="/admin/keys" role="search" className="mb-4 flex flex-wrap items-end gap-2">
        <TextField
          label="Search keys"
          name="q"
          defaultValue={raw.q ?? ""}
          placeholder="kh_live_Ab… or a name"
          error={error}
          hint="The start of a prefix, or part of a name"
          className="min-w-64 flex-1"
        />
        <Button type="submit" look="secondary" className="mb-9">
          Search
        </Button>
      </form>
      <AllKeysTable keys={page.data} searched={!!q} />
      <CursorPager basePath="/admin/keys" cursor={cursor} nextCursor={page.nextCursor} label="Keys" query={{ q }} />
    </>
  );
}
