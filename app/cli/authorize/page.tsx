// /cli/authorize — approve `keyhold login` on another machine: the signed-in user checks the code the terminal shows,
// picks an organization (where they may create keys) and scopes, and approves after step-up, or denies.
import { AuthorizeDeviceForm } from "@/components/cli/authorize-device-form";
import { EnterCodeForm } from "@/components/cli/enter-code-form";
import { Alert } from "@/components/ui/alert";
import { ApiError } from "@/lib/errors";
import { requireUser } from "@/lib/auth/session";
import { deviceApprovalOptions, findPendingDevice } from "@/lib/cli-device/service";
import { keyStepUpGuard } from "@/lib/keys/step-up-policy";
import { normaliseUserCode } from "@/lib/validations/cli-device";

export const metadata = { title: "Sign in the Keyhold CLI" };

export default async function AuthorizeCliPage({
  searchParams,
}: {
  searchParams: Promise<{ code?: string | string[] }>;
}) {
  const { code: raw } = await searchParams;
  const typed = typeof raw === "string" ? raw.slice(0, 32) : undefined;
  const current = await requireUser(typed ? `/cli/authorize?code=${encodeURIComponent(typed)}` : "/cli/authorize");
  const code = typed ? normaliseUserCode(typed) : null;

  const heading = <h1 className="mb-2 text-lg font-semibold">Sign in the Keyhold CLI</h1>;
  if (!code)
    return (
      <>
        {heading}
        <EnterCodeForm
          defaultValue={typed}
          error={typed !== undefined ? "Enter the 8-letter code the CLI printed, like BCDF-GHJK" : undefined}
        />
      </>
    );

  let device: Awaited<ReturnType<typeof findPendingDevice>>;
  try {
    device = await findPendingDevice(current.user.id, code);
  } catch (err) {
    if (err instanceof ApiError && err.code === "locked")
      return (
        <>
          {heading}
          <Alert tone="error">{err.message}</Alert>
        </>
      );
    throw err;
  }
  if (!device)
    return (
      <>
        {heading}
        <Alert tone="error">
          The code {code} is unknown, expired or already used. Run <code>keyhold login</code> again for a new one.
        </Alert>
        <div className="mt-4">
          <EnterCodeForm />
        </div>
      </>
    );

  const organizations = await deviceApprovalOptions(current.user, device.clientName, keyStepUpGuard(current));
  return (
    <>
      {heading}
      <AuthorizeDeviceForm
        code={code}
        clientName={device.clientName}
        expiresAt={device.expiresAt.toISOString()}
        email={current.user.email}
        organizations={organizations}
      />
    </>
  );
}
