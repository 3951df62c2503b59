"use server";
// The /cli/authorize page's actions: approve `keyhold login` for an organization and scopes (a member who may create
// keys there, after step-up), or deny it. The key itself is created when the CLI collects it (lib/cli-device).
import { approveDevice, denyDevice } from "../cli-device/service";
import { keyStepUpGuard } from "../keys/step-up-policy";
import { approveDeviceSchema, denyDeviceSchema } from "../validations/cli-device";
import { defineAction } from "./define-action";

// Approves the sign-in with this code; the key's checks (role, approval policy, MFA for admin) run now and again later.
export const approveDeviceAction = defineAction(
  { schema: approveDeviceSchema, auth: { capability: "keys.create" }, stepUp: true },
  async ({ code, environment, scopes }, { current, actor }) =>
    approveDevice(actor, code, { environment, scopes }, keyStepUpGuard(current)),
);

// Denies the sign-in with this code: the CLI's next poll answers access_denied.
export const denyDeviceAction = defineAction(
  { schema: denyDeviceSchema, auth: "user" },
  async ({ code }): Promise<{ denied: true }> => {
    await denyDevice(code);
    return { denied: true };
  },
);
