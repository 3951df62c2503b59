"use server";
// The notification bell's one write: "mark all read" (any member, for themselves).
import { revalidatePath } from "next/cache";
import { markNotificationsRead } from "../events/notifications";
import { organizationOnlySchema } from "../validations/members";
import { defineAction } from "./define-action";

// Marks the organization's events read for the signed-in member.
export const markNotificationsReadAction = defineAction(
  { schema: organizationOnlySchema, auth: { capability: "org.read" } },
  async (_input, { member }) => {
    await markNotificationsRead(member);
    revalidatePath(`/dashboard/${member.organization.slug}`, "layout");
  },
);
