"use client";
// The organization switcher: the current organization, the others the user belongs to, and "New organization".
import Link from "next/link";
import { ChevronDown } from "lucide-react";
import { MenuButton, menuItemClass } from "@/components/ui/menu-button";
import { ROLE_LABELS, type OrgRole } from "@/lib/orgs/roles";

export type OrgChoice = { slug: string; name: string; role: OrgRole; personal: boolean };

export function OrgSwitcher({ organizations, current }: { organizations: OrgChoice[]; current: string | null }) {
  const active = organizations.find((o) => o.slug === current);
  return (
    <MenuButton
      label={
        <>
          <span className="truncate">
            <span className="sr-only">Organization: </span>
            {active?.name ?? "Choose an organization"}
          </span>
          <ChevronDown aria-hidden="true" className="size-4 shrink-0 text-slate-500" />
        </>
      }
      className="flex w-full items-center justify-between rounded-md border border-slate-300 px-3 py-2 text-left text-sm hover:bg-slate-50"
      popupLabel="Organizations"
      popupClassName="left-0 right-0 py-1"
    >
      {(close) => (
        <>
          {organizations.map((o) => (
            <Link
              key={o.slug}
              role="menuitem"
              href={`/dashboard/${o.slug}`}
              aria-current={o.slug === current ? "true" : undefined}
              onClick={close}
              className="flex justify-between gap-2 px-3 py-2 text-sm hover:bg-slate-100"
            >
              <span className="truncate">{o.name}</span>
              <span className="text-xs text-slate-500">{ROLE_LABELS[o.role]}</span>
            </Link>
          ))}
          <Link
            role="menuitem"
            href="/dashboard/new"
            onClick={close}
            className={`${menuItemClass} border-t border-slate-100 font-medium text-brand-700`}
          >
            New organization
          </Link>
        </>
      )}
    </MenuButton>
  );
}
