// /dashboard/keys — the account's keys, newest first by cursor, and the "Generate key" dialog.
import { GenerateKeyDialog } from "@/components/keys/generate-key-dialog";
import { KeysTable } from "@/components/keys/keys-table";
import { PageHeader } from "@/components/shell/page-header";
import { CursorPager } from "@/components/ui/cursor-pager";
import { requireUser } from "@/lib/auth/session";
import { PLAN_LIMITS } from "@/lib/ratelimit/limiter";
import { ApiError } from "@/lib/api/errors";
import { listKeys } from "@/lib/keys/list";

export const metadata = { title: "Keys" };

const PAGE_SIZE = 25;

export default async function KeysPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const { user } = await requireUser("/dashboard/keys");
  const { cursor } = await searchParams;
  const page = await listKeys(user.id, { cursor, limit: PAGE_SIZE }).catch((err: unknown) => {
    // A stale or hand-edited cursor shows the first page rather than an error.
    if (err instanceof ApiError) return listKeys(user.id, { limit: PAGE_SIZE });
    throw err;
  });
  return (
    <>
      <PageHeader
        title="Keys"
        description="API keys for your account. Secrets are shown once, when generated or rotated."
        actions={<GenerateKeyDialog mfaEnabled={!!user.mfaEnabledAt} planLimit={PLAN_LIMITS[user.plan]} />}
      />
      <KeysTable keys={page.data} />
      <CursorPager basePath="/dashboard/keys" cursor={cursor} nextCursor={page.nextCursor} label="Keys" />
    </>
  );
}
