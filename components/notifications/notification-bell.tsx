"use client";
// The bell in the dashboard header: unread count of the organization's events, a dropdown of the recent ones in words,
// and "Mark all read". Rendered by the organization layout (which has the data) into the shell's header slot.
import { Bell as BellIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import { useOrg } from "@/components/orgs/org-context";
import { MenuButton } from "@/components/ui/menu-button";
import { useFormAction } from "@/components/ui/use-form-action";
import { markNotificationsReadAction } from "@/lib/actions/notifications";
import type { Notifications } from "@/lib/events/notifications";
import { UNREAD_CAP } from "@/lib/events/types";
import { formatDateTime } from "@/lib/format-date";

// The slot never changes while the shell is mounted: nothing to subscribe to.
const noSubscription = () => () => {};

// The element of the shell's header the bell is shown in.
export const BELL_SLOT_ID = "notification-bell-slot";

export function NotificationBell({ notifications }: { notifications: Notifications }) {
  // The shell (a parent layout) has rendered the slot by the time this hydrates; on the server there is none.
  const slot = useSyncExternalStore(
    noSubscription,
    () => document.getElementById(BELL_SLOT_ID),
    () => null,
  );
  if (!slot) return null;
  return createPortal(<Bell notifications={notifications} />, slot);
}

function Bell({ notifications }: { notifications: Notifications }) {
  const { slug } = useOrg();
  const router = useRouter();
  const mark = useFormAction(markNotificationsReadAction, {
    toInput: () => ({ org: slug }),
    onSuccess: () => router.refresh(),
  });
  const { unread, events } = notifications;
  const count = unread >= UNREAD_CAP ? `${UNREAD_CAP - 1}+` : String(unread);
  return (
    <MenuButton
      label={
        <>
          <BellIcon aria-hidden="true" className="size-5" />
          <span className="sr-only">Notifications{unread > 0 ? `: ${count} unread` : ""}</span>
          {unread > 0 ? (
            <span aria-hidden="true" className="ml-1 rounded-full bg-brand-600 px-1.5 py-0.5 text-xs text-white">
              {count}
            </span>
          ) : null}
        </>
      }
      className="relative inline-flex items-center rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
      popup="region"
      popupLabel="Notifications"
      popupClassName="right-0 w-80"
    >
      <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
        <p className="text-sm font-semibold">Notifications</p>
        {unread > 0 ? (
          <form {...mark.formProps}>
            <button type="submit" disabled={mark.pending} className="text-xs font-medium text-brand-700 underline">
              {mark.pending ? "Marking…" : "Mark all read"}
            </button>
          </form>
        ) : null}
      </div>
      {mark.failure ? (
        <p role="alert" className="px-3 py-2 text-xs text-red-700">
          {mark.failure.message}
        </p>
      ) : null}
      {events.length === 0 ? (
        <p className="px-3 py-4 text-sm text-slate-600">Nothing has happened yet.</p>
      ) : (
        <ul className="max-h-96 overflow-auto">
          {events.map((e) => (
            <li key={e.id} className={`border-b border-slate-100 px-3 py-2 text-sm ${e.unread ? "bg-brand-50" : ""}`}>
              <p>
                {e.unread ? <span className="sr-only">Unread: </span> : null}
                {e.text}
              </p>
              <p className="text-xs text-slate-600">{formatDateTime(e.createdAt)}</p>
            </li>
          ))}
        </ul>
      )}
    </MenuButton>
  );
}
