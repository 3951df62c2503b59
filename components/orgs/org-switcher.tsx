"use client";
// The organization switcher: the current organization, the others the user belongs to, and "New organization".
import Link from "next/link";
import { ChevronDown } from "lucide-react";
import { useState } from "react";
import { ROLE_LABELS, type OrgRole } from "@/lib/orgs/roles";

export type OrgChoice = { slug: string; name: string; role: OrgRole; personal: boolean };

export function OrgSwitcher({ organizations, current }: { organizations: OrgChoice[]; current: string | null }) {
  const [open, setOpen] = useState(false);
  const active = organizations.find((o) => o.slug === current);
  return (
    <div className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="org-menu"
        onClick={() => setOpen((v) => !v)}
        onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
        className="flex w-full items-center justify-between rounded-md border border-slate-300 px-3 py-2 text-left text-sm hover:bg-slate-50"
      >
        <span className="truncate">
          <span className="sr-only">Organization: </span>
          {active?.name ?? "Choose an organization"}
        </span>
        <ChevronDown aria-hidden="true" className="size-4 shrink-0 text-slate-500" />
      </button>
      {open ? (
        <div
          id="org-menu"
          role="menu"
          aria-label="Organizations"
          onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
          className="absolute left-0 right-0 z-30 mt-1 rounded-md border border-slate-200 bg-white py-1 shadow-lg"
        >
          {organizations.map((o) => (
            <Link
              key={o.slug}
              role="menuitem"
              href={`/dashboard/${o.slug}`}
              aria-current={o.slug === current ? "true" : undefined}
              onClick={() => setOpen(false)}
              className="flex justify-between gap-2 px-3 py-2 text-sm hover:bg-slate-100"
            >
              <span className="truncate">{o.name}</span>
              <span className="text-xs text-slate-500">{ROLE_LABELS[o.role]}</span>
            </Link>
          ))}
          <Link
            role="menuitem"
            href="/dashboard/new"
            onClick={() => setOpen(false)}
            className="block border-t border-slate-100 px-3 py-2 text-sm font-medium text-brand-700 hover:bg-slate-100"
          >
            New organization
          </Link>
        </div>
      ) : null}
    </div>
  );
}
