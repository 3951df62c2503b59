"use client";
// The organization the page belongs to, for client components: its slug goes into every organization action's input.
import { createContext, useContext } from "react";
import type { OrgRole } from "@/lib/orgs/roles";

export type OrgInfo = { slug: string; name: string; role: OrgRole; personal: boolean };

const OrgContext = createContext<OrgInfo | null>(null);

export function OrgProvider({ org, children }: { org: OrgInfo; children: React.ReactNode }) {
  return <OrgContext.Provider value={org}>{children}</OrgContext.Provider>;
}

// The current organization; only inside /dashboard/[org].
export function useOrg(): OrgInfo {
  const org = useContext(OrgContext);
  if (!org) throw new Error("useOrg() outside an organization page");
  return org;
}
