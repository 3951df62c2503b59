"use client";
// Signed-in shell: organization switcher, side navigation for the organization in the URL (a menu button on phones),
// account menu with sign-out, main content; the one step-up dialog of the signed-in pages (StepUpProvider).
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { StepUpProvider } from "@/components/mfa/step-up-provider";
import { BELL_SLOT_ID } from "@/components/notifications/notification-bell";
import { OrgSwitcher, type OrgChoice } from "@/components/orgs/org-switcher";
import { MenuButton, menuItemClass } from "@/components/ui/menu-button";

// The organization pages, relative to /dashboard/[org].
const orgNav = [
  { path: "", label: "Overview" },
  { path: "/keys", label: "Keys" },
  { path: "/requests", label: "Key requests" },
  { path: "/usage", label: "Usage" },
  { path: "/audit", label: "Audit log" },
  { path: "/members", label: "Members" },
  // Admins and owners only (the page is not there for others).
  { path: "/webhooks", label: "Webhooks", adminsOnly: true },
  { path: "/settings", label: "Settings" },
];

function isActive(pathname: string, href: string, exact: boolean): boolean {
  return exact ? pathname === href : pathname === href || pathname.startsWith(href + "/");
}

// The signed-in user's role in an organization of the switcher.
function roleIn(organizations: OrgChoice[], slug: string): string | undefined {
  return organizations.find((o) => o.slug === slug)?.role;
}

// The organization the URL names, if it names one of the user's.
function slugInPath(pathname: string, organizations: OrgChoice[]): string | null {
  const segment = pathname.split("/")[2];
  return organizations.some((o) => o.slug === segment) ? segment : null;
}

export function AppShell({
  email,
  isAdmin,
  organizations,
  defaultSlug,
  pendingRequests,
  children,
}: {
  email: string;
  isAdmin: boolean;
  organizations: OrgChoice[];
  defaultSlug: string | null;
  // Pending key requests per organization slug the user may review (the badge on "Key requests").
  pendingRequests: Record<string, number>;
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const [navOpen, setNavOpen] = useState(false);
  // Account pages (Security, New organization) keep the organization the user came from. The shell is rendered once
  // per full load, in the same render in which an organization page records itself as the last one used, so
  // `defaultSlug` can be one organization behind: the organization seen in the URL is remembered here instead.
  const inPath = slugInPath(pathname, organizations);
  const [cameFrom, setCameFrom] = useState(inPath ?? defaultSlug);
  if (inPath && inPath !== cameFrom) setCameFrom(inPath);
  const slug = inPath ?? (organizations.some((o) => o.slug === cameFrom) ? cameFrom : defaultSlug);
  const nav = [
    ...(slug
      ? orgNav
          .filter((item) => !item.adminsOnly || ["owner", "admin"].includes(roleIn(organizations, slug) ?? ""))
          .map((item) => ({
            href: `/dashboard/${slug}${item.path}`,
            label: item.label,
            exact: item.path === "",
            badge: item.path === "/requests" ? (pendingRequests[slug] ?? 0) : 0,
          }))
      : []),
    { href: "/dashboard/settings/security", label: "Security", exact: false, badge: 0 },
    ...(isAdmin ? [{ href: "/admin", label: "Admin", exact: false, badge: 0 }] : []),
  ];

  return (
    <StepUpProvider>
      <div className="min-h-screen md:flex">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-3 md:hidden">
          <Link href="/dashboard" className="text-lg font-semibold">
            Keyhold
          </Link>
          <button
            type="button"
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
            aria-expanded={navOpen}
            aria-controls="main-nav"
            onClick={() => setNavOpen((v) => !v)}
          >
            Menu
          </button>
        </header>
        <aside
          className={`${navOpen ? "block" : "hidden"} border-b border-slate-200 bg-white md:block md:w-60 md:shrink-0 md:border-b-0 md:border-r`}
        >
          {/* The aside stretches to the page's full height (its background and border with it); its content stays in view. */}
          <div className="md:sticky md:top-0 md:max-h-screen md:overflow-y-auto">
            <div className="hidden px-5 py-5 text-lg font-semibold md:block">
              <Link href="/dashboard">Keyhold</Link>
            </div>
            <div className="px-3 pb-2 pt-3 md:pt-0">
              <OrgSwitcher organizations={organizations} current={slug} />
            </div>
            <nav id="main-nav" aria-label="Main" className="flex flex-col gap-1 px-3 py-3 md:py-0">
              {nav.map((item) => {
                const active = isActive(pathname, item.href, item.exact);
                return (
                  <Link
                    key={item.href}
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    onClick={() => setNavOpen(false)}
                    className={`rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
                  >
                    {item.label}
                    {item.badge > 0 ? (
                      <span className="ml-2 rounded-full bg-brand-600 px-2 py-0.5 text-xs text-white">
                        {item.badge}
                        <span className="sr-only"> pending</span>
                      </span>
                    ) : null}
                  </Link>
                );
              })}
            </nav>
          </div>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <div className="flex justify-end gap-2 border-b border-slate-200 bg-white px-4 py-2">
            {/* The organization layout renders its notification bell here. */}
            <div id={BELL_SLOT_ID} />
            <MenuButton
              label={
                <>
                  <span className="sr-only">Account menu for </span>
                  {email}
                </>
              }
              className="rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
              popupClassName="right-0 w-48 py-1"
            >
              {(close) => (
                <>
                  <Link role="menuitem" href="/dashboard/settings/security" className={menuItemClass} onClick={close}>
                    Security settings
                  </Link>
                  <SignOutButton role="menuitem" className={menuItemClass}>
                    Sign out
                  </SignOutButton>
                </>
              )}
            </MenuButton>
          </div>
          <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 md:px-8">
            {children}
          </main>
        </div>
      </div>
    </StepUpProvider>
  );
}
