// The role matrix (DESIGN.md "Organizations") walked through the real server actions and page modules as signed-in
// members: every organization action exported from lib/actions/{keys,members,organizations,key-requests} is in the
// table below (an export missing from it fails the test), each role's outcome is stated there from DESIGN.md's role
// description — not from lib/orgs/roles.ts — and each case runs on a fresh organization, asserting the result code and,
// on refusal, that nothing in the database changed (and on success that something did). Key actions run on the actor's
// own key and on another member's. A non-member gets not_found from every action and notFound from every page; a
// viewer opens every page. Every member has MFA and a fresh step-up, so step-up never decides an outcome here.
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionResult } from "@/lib/actions/result";
import { db as prisma } from "@/lib/db";
import { createKey } from "@/lib/keys/service";
import { createInvitation } from "@/lib/orgs/invitations";
import { approveKeyRequest, createKeyRequest } from "@/lib/orgs/key-requests";
import { findMembership, type OrgMember } from "@/lib/orgs/organizations";
import { refusalOf, type OrgRole } from "@/lib/orgs/roles";
import { createWebhook, sendTestEvent } from "@/lib/webhooks/endpoints";
import { withTestDb } from "../helpers/db";
import { keyRequestInput } from "../helpers/keys";
import { createMemberAccount, createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const MODULES = {
  keys: await import("@/lib/actions/keys"),
  members: await import("@/lib/actions/members"),
  organizations: await import("@/lib/actions/organizations"),
  "key-requests": await import("@/lib/actions/key-requests"),
  webhooks: await import("@/lib/actions/webhooks"),
  notifications: await import("@/lib/actions/notifications"),
};
const { generateKeyAction, updateKeyAction, rotateKeyAction, revokeKeyAction, addCreditsAction } = MODULES.keys;
const {
  changeMemberRoleAction,
  removeMemberAction,
  leaveOrganizationAction,
  transferOwnershipAction,
  createInvitationAction,
  revokeInvitationAction,
  acceptInvitationAction,
} = MODULES.members;
const { createOrganizationAction, updateOrganizationAction, updatePoliciesAction, deleteOrganizationAction } =
  MODULES.organizations;
const { createKeyRequestAction, approveKeyRequestAction, denyKeyRequestAction, revealKeyRequestAction } =
  MODULES["key-requests"];
const {
  createWebhookAction,
  editWebhookAction,
  setWebhookEnabledAction,
  deleteWebhookAction,
  sendTestEventAction,
  redeliverAction,
} = MODULES.webhooks;
const { markNotificationsReadAction } = MODULES.notifications;

const db = withTestDb();

const ROLES = ["owner", "admin", "developer", "viewer"] as const satisfies readonly OrgRole[];
type Role = (typeof ROLES)[number];
type Actor = Role | "outsider";
const ACTORS: readonly Actor[] = [...ROLES, "outsider"];

// The members of every fixture organization: a second owner (so the first may leave or hand over ownership), and a
// second developer whose key and request are "someone else's" for the developer.
const users = { owner: "", owner2: "", admin: "", developer: "", developer2: "", viewer: "", outsider: "" };

type Outcome = "ok" | "forbidden" | "not_found";
type Expected = Record<Role, Outcome>;

// DESIGN.md: owner — everything, incl. deleting the organization and transferring ownership; admin — members,
// invitations, policies, webhooks, every key, approving key requests; developer — create keys and manage the keys they
// created, within policy; viewer — read keys, usage and audit, no changes.
const EVERY_MEMBER: Expected = { owner: "ok", admin: "ok", developer: "ok", viewer: "ok" };
const CREATORS: Expected = { owner: "ok", admin: "ok", developer: "ok", viewer: "forbidden" };
const ADMINS: Expected = { owner: "ok", admin: "ok", developer: "forbidden", viewer: "forbidden" };
const OWNERS: Expected = { owner: "ok", admin: "forbidden", developer: "forbidden", viewer: "forbidden" };
// Any key: owners and admins ("every key"); a developer only the keys they created; a viewer none.
const OTHERS_KEY: Expected = ADMINS;

// One organization, fresh per case, with a key created by each member (the viewer's made while they were a developer),
// a pending invitation, a pending key request from the second developer and an approved one from each member.
type Fixture = {
  slug: string;
  orgId: string;
  keys: Record<Role | "developer2", string>;
  invitationId: string;
  pendingRequestId: string;
  approved: Record<Role | "developer2", string>;
  webhookId: string;
  deliveryId: string;
};

const userOf = (who: Actor | "owner2" | "developer2") => users[who];

async function memberOf(userId: string, slug: string, role?: OrgRole): Promise<OrgMember> {
  const member = await findMembership(userId, slug);
  if (!member) throw new Error(`not a member: ${userId}`);
  return role ? { ...member, role } : member;
}

async function fixture(opts: { secondOwner?: boolean } = {}): Promise<Fixture> {
  const team = await createTeam(users.owner, [
    ...(opts.secondOwner === false ? [] : [{ userId: users.owner2, role: "owner" as const }]),
    { userId: users.admin, role: "admin" },
    { userId: users.developer, role: "developer" },
    { userId: users.developer2, role: "developer" },
    // The viewer makes their key and request as a developer first (services read the role as it is then).
    { userId: users.viewer, role: "developer" },
  ]);
  const slug = team.slug;
  const owner = await memberOf(users.owner, slug);
  const creators = ["owner", "admin", "developer", "developer2", "viewer"] as const;
  const keys = {} as Fixture["keys"];
  const approved = {} as Fixture["approved"];
  for (const who of creators) {
    // The viewer's key and request were made while they were a developer.
    const as = await memberOf(users[who], slug);
    const created = await createKey(
      { organizationId: team.id, userId: as.userId, role: as.role },
      {
        name: `${who}-key`,
        environment: "test",
        scopes: ["read"],
        expiresAt: null,
        ipAllowlist: [],
        rateLimit: null,
        // Credits an administrator can top up.
        credits: who === "developer2" ? { remaining: 5, refill: null } : null,
      },
      { ip: null },
    );
    keys[who] = created.key.id;
    const request = await createKeyRequest(as, keyRequestInput({ name: `${who}-requested`, reason: "CI" }), {
      ip: null,
    });
    await approveKeyRequest(owner, request.id, { ip: null });
    approved[who] = request.id;
  }
  await prisma.membership.update({
    where: { organizationId_userId: { organizationId: team.id, userId: users.viewer } },
    data: { role: "viewer" },
  });
  const pending = await createKeyRequest(
    await memberOf(users.developer2, slug),
    keyRequestInput({ name: "pending-request", reason: "CI" }),
    { ip: null },
  );
  const invitation = await createInvitation(owner, { email: "invitee@example.com", role: "developer" }, { ip: null });
  // A webhook endpoint (https to a public address literal: no DNS) with one delivery already made.
  const { webhook } = await createWebhook(
    { organizationId: team.id, userId: users.owner, role: "owner" },
    { url: "https://93.184.215.14/hook", events: ["key.created"] },
    { ip: null },
  );
  const delivery = await sendTestEvent(team.id, webhook.id);
  await db.current.client.webhookDelivery.update({
    where: { id: delivery.id },
    data: { status: "failed", attempts: 8, nextAttemptAt: null },
  });
  return {
    slug,
    orgId: team.id,
    keys,
    invitationId: invitation.invitation.id,
    pendingRequestId: pending.id,
    approved,
    webhookId: webhook.id,
    deliveryId: delivery.id,
  };
}

// Everything an organization action could change, for "nothing changed on refusal".
async function snapshot(orgId: string) {
  const c = db.current.client;
  const where = { organizationId: orgId };
  return {
    organization: await c.organization.findUnique({ where: { id: orgId } }),
    organizations: await c.organization.count(),
    members: await c.membership.findMany({
      where,
      select: { userId: true, role: true, notificationsReadAt: true },
      orderBy: { userId: "asc" },
    }),
    keys: await c.apiKey.findMany({ where, orderBy: { id: "asc" } }),
    invitations: await c.invitation.findMany({ where, orderBy: { id: "asc" } }),
    requests: await c.keyRequest.findMany({ where, orderBy: { id: "asc" } }),
    audit: await c.auditEvent.count({ where }),
    events: await c.event.count({ where }),
    webhooks: await c.webhookEndpoint.findMany({ where, orderBy: { id: "asc" } }),
    deliveries: await c.webhookDelivery.findMany({ where: { endpoint: where }, orderBy: { id: "asc" } }),
  };
}

// The outcome of a real action call: "ok", or the error code (a redirect is how some actions succeed).
async function outcomeOf(run: Promise<ActionResult<unknown>>): Promise<{ code: string; message?: string }> {
  try {
    const result = await run;
    return result.ok ? { code: "ok" } : { code: result.code, message: result.message };
  } catch (err) {
    const digest = (err as { digest?: unknown }).digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT;")) return { code: "ok" };
    throw err;
  }
}

type Case = {
  // What is acted on ("own key", "another member's key", …).
  target: string;
  expected: Expected;
  run: (fx: Fixture, actor: Actor) => Promise<ActionResult<unknown>>;
};

// The actor's own key (the non-member has none: they get the second developer's).
const ownKey = (fx: Fixture, actor: Actor) => (actor === "outsider" ? fx.keys.developer2 : fx.keys[actor]);
const ownApproved = (fx: Fixture, actor: Actor) => (actor === "outsider" ? fx.approved.developer2 : fx.approved[actor]);

// Every organization action (input names the organization), keyed "<module>.<export>".
const MATRIX: Record<string, Case[]> = {
  "keys.generateKeyAction": [
    {
      target: "a new read key",
      expected: CREATORS,
      run: (fx) => generateKeyAction({ org: fx.slug, name: "new-key", environment: "test", scopes: ["read"] }),
    },
  ],
  "keys.updateKeyAction": [
    {
      target: "own key",
      expected: CREATORS,
      run: (fx, a) => updateKeyAction({ org: fx.slug, id: ownKey(fx, a), name: "renamed" }),
    },
    {
      target: "another member's key",
      expected: OTHERS_KEY,
      run: (fx) => updateKeyAction({ org: fx.slug, id: fx.keys.developer2, name: "renamed" }),
    },
  ],
  "keys.rotateKeyAction": [
    {
      target: "own key",
      expected: CREATORS,
      run: (fx, a) => rotateKeyAction({ org: fx.slug, id: ownKey(fx, a) }),
    },
    {
      target: "another member's key",
      expected: OTHERS_KEY,
      run: (fx) => rotateKeyAction({ org: fx.slug, id: fx.keys.developer2 }),
    },
  ],
  "keys.revokeKeyAction": [
    { target: "own key", expected: CREATORS, run: (fx, a) => revokeKeyAction({ org: fx.slug, id: ownKey(fx, a) }) },
    {
      target: "another member's key",
      expected: OTHERS_KEY,
      run: (fx) => revokeKeyAction({ org: fx.slug, id: fx.keys.developer2 }),
    },
  ],
  "keys.addCreditsAction": [
    {
      target: "a key with credits",
      expected: ADMINS,
      run: (fx) => addCreditsAction({ org: fx.slug, id: fx.keys.developer2, amount: 10 }),
    },
  ],
  "members.changeMemberRoleAction": [
    {
      target: "a developer made viewer",
      expected: ADMINS,
      run: (fx) => changeMemberRoleAction({ org: fx.slug, userId: users.developer2, role: "viewer" }),
    },
  ],
  "members.removeMemberAction": [
    {
      target: "a developer",
      expected: ADMINS,
      run: (fx) => removeMemberAction({ org: fx.slug, userId: users.developer2 }),
    },
  ],
  // Leaving changes only one's own membership: any member (an owner while another owner remains).
  "members.leaveOrganizationAction": [
    { target: "themselves", expected: EVERY_MEMBER, run: (fx) => leaveOrganizationAction({ org: fx.slug }) },
  ],
  "members.transferOwnershipAction": [
    {
      target: "a developer",
      expected: OWNERS,
      run: (fx) => transferOwnershipAction({ org: fx.slug, userId: users.developer2 }),
    },
  ],
  "members.createInvitationAction": [
    {
      target: "a developer invitation",
      expected: ADMINS,
      run: (fx) => createInvitationAction({ org: fx.slug, email: "someone-new@example.com", role: "developer" }),
    },
  ],
  "members.revokeInvitationAction": [
    {
      target: "a pending invitation",
      expected: ADMINS,
      run: (fx) => revokeInvitationAction({ org: fx.slug, id: fx.invitationId }),
    },
  ],
  // DESIGN.md lists the settings page's "name, slug, policies" together; admins manage the organization's settings.
  "organizations.updateOrganizationAction": [
    {
      target: "its name",
      expected: ADMINS,
      run: (fx) => updateOrganizationAction({ org: fx.slug, name: "Renamed", slug: fx.slug }),
    },
  ],
  "organizations.updatePoliciesAction": [
    {
      target: "its policies",
      expected: ADMINS,
      run: (fx) =>
        updatePoliciesAction({
          org: fx.slug,
          maxKeyLifetimeDays: 90,
          requireAllowlistForAdmin: true,
          requireMfa: false,
          keyRequestPolicy: "always",
          leakResponse: "notify",
        }),
    },
  ],
  "organizations.deleteOrganizationAction": [
    {
      target: "the organization",
      expected: OWNERS,
      run: (fx) => deleteOrganizationAction({ org: fx.slug, confirmation: fx.slug }),
    },
  ],
  "key-requests.createKeyRequestAction": [
    {
      target: "a read key",
      expected: CREATORS,
      run: (fx) =>
        createKeyRequestAction({ org: fx.slug, name: "asked", environment: "test", scopes: ["read"], reason: "CI" }),
    },
  ],
  "key-requests.approveKeyRequestAction": [
    {
      target: "another member's pending request",
      expected: ADMINS,
      run: (fx) => approveKeyRequestAction({ org: fx.slug, id: fx.pendingRequestId }),
    },
  ],
  "key-requests.denyKeyRequestAction": [
    {
      target: "another member's pending request",
      expected: ADMINS,
      run: (fx) => denyKeyRequestAction({ org: fx.slug, id: fx.pendingRequestId, reason: "Not now" }),
    },
  ],
  "key-requests.revealKeyRequestAction": [
    // The viewer's approved request dates from when they were a developer: a viewer makes no keys.
    {
      target: "own approved request",
      expected: CREATORS,
      run: (fx, a) => revealKeyRequestAction({ org: fx.slug, id: ownApproved(fx, a) }),
    },
    // Only the requester ever sees the secret ("no admin ever sees it"): someone else's request is not even found.
    {
      target: "another member's approved request",
      expected: { owner: "not_found", admin: "not_found", developer: "not_found", viewer: "forbidden" },
      run: (fx) => revealKeyRequestAction({ org: fx.slug, id: fx.approved.developer2 }),
    },
  ],
};

// Webhooks: "admin — … webhooks".
Object.assign(MATRIX, {
  "webhooks.createWebhookAction": [
    {
      target: "a new endpoint",
      expected: ADMINS,
      run: (fx) => createWebhookAction({ org: fx.slug, url: "https://93.184.215.14/other", events: ["key.revoked"] }),
    },
  ],
  "webhooks.editWebhookAction": [
    {
      target: "an endpoint's events",
      expected: ADMINS,
      run: (fx) =>
        editWebhookAction({
          org: fx.slug,
          id: fx.webhookId,
          url: "https://93.184.215.14/hook",
          events: ["key.created", "key.revoked"],
        }),
    },
  ],
  "webhooks.setWebhookEnabledAction": [
    {
      target: "an endpoint",
      expected: ADMINS,
      run: (fx) => setWebhookEnabledAction({ org: fx.slug, id: fx.webhookId, enabled: false }),
    },
  ],
  "webhooks.deleteWebhookAction": [
    { target: "an endpoint", expected: ADMINS, run: (fx) => deleteWebhookAction({ org: fx.slug, id: fx.webhookId }) },
  ],
  "webhooks.sendTestEventAction": [
    { target: "an endpoint", expected: ADMINS, run: (fx) => sendTestEventAction({ org: fx.slug, id: fx.webhookId }) },
  ],
  "webhooks.redeliverAction": [
    {
      target: "a failed delivery",
      expected: ADMINS,
      run: (fx) => redeliverAction({ org: fx.slug, id: fx.webhookId, deliveryId: fx.deliveryId }),
    },
  ],
  // The bell's "mark all read" changes only one's own read mark: any member.
  "notifications.markNotificationsReadAction": [
    {
      target: "their own read mark",
      expected: EVERY_MEMBER,
      run: (fx) => markNotificationsReadAction({ org: fx.slug }),
    },
  ],
} satisfies Record<string, Case[]>);

// Account actions (auth "user": the input names no organization the caller belongs to), with their own rules below.
const ACCOUNT_ACTIONS = ["organizations.createOrganizationAction", "members.acceptInvitationAction"];

beforeAll(async () => {
  for (const name of Object.keys(users) as (keyof typeof users)[]) {
    users[name] = (await createMemberAccount(name, { mfa: true })).id;
  }
});

describe("the matrix covers every action", () => {
  it("every function exported from the action modules is in the matrix or the account actions, and nothing else", () => {
    const exported = Object.entries(MODULES).flatMap(([mod, exports]) =>
      Object.entries(exports)
        .filter(([, value]) => typeof value === "function")
        .map(([name]) => `${mod}.${name}`),
    );
    expect(exported.length).toBeGreaterThan(15);
    expect([...exported].sort()).toEqual([...Object.keys(MATRIX), ...ACCOUNT_ACTIONS].sort());
  });
});

const CASES = Object.entries(MATRIX).flatMap(([action, cases]) =>
  cases.flatMap((c) =>
    ACTORS.map((actor) => ({
      action,
      actor,
      case: c,
      expected: actor === "outsider" ? ("not_found" as const) : c.expected[actor],
    })),
  ),
);

describe("organization actions by role", () => {
  it.each(CASES.map((c) => [`${c.action} on ${c.case.target} as ${c.actor}: ${c.expected}`, c] as const))(
    "%s",
    async (_name, { actor, case: c, expected }) => {
      const fx = await fixture();
      await signInAs(userOf(actor), { stepUp: true });
      const before = await snapshot(fx.orgId);
      const result = await outcomeOf(c.run(fx, actor));
      expect(result.code, result.message).toBe(expected);
      const after = await snapshot(fx.orgId);
      if (expected === "ok") expect(after).not.toEqual(before);
      else expect(after).toEqual(before);
    },
  );
});

describe("the last owner", () => {
  it("cannot leave or be demoted (conflict), nor be demoted or removed by an admin (forbidden); nothing changed", async () => {
    const fx = await fixture({ secondOwner: false });
    const before = await snapshot(fx.orgId);
    await signInAs(users.owner, { stepUp: true });
    expect(await outcomeOf(leaveOrganizationAction({ org: fx.slug }))).toMatchObject({ code: "conflict" });
    expect(await outcomeOf(changeMemberRoleAction({ org: fx.slug, userId: users.owner, role: "admin" }))).toMatchObject(
      { code: "conflict" },
    );
    expect(await snapshot(fx.orgId)).toEqual(before);
    // An admin may not demote an owner at all.
    await signInAs(users.admin, { stepUp: true });
    expect(
      await outcomeOf(changeMemberRoleAction({ org: fx.slug, userId: users.owner, role: "viewer" })),
    ).toMatchObject({ code: "forbidden" });
    expect(await outcomeOf(removeMemberAction({ org: fx.slug, userId: users.owner }))).toMatchObject({
      code: "forbidden",
    });
    expect(await snapshot(fx.orgId)).toEqual(before);
  });
});

describe("account actions", () => {
  it("any signed-in user, whatever their roles elsewhere, creates an organization (and owns it)", async () => {
    for (const actor of ACTORS) {
      await signInAs(userOf(actor), { stepUp: true });
      const slug = `new-${actor}-org`;
      expect(await outcomeOf(createOrganizationAction({ name: `New ${actor}`, slug }))).toEqual({ code: "ok" });
      expect((await findMembership(userOf(actor), slug))?.role).toBe("owner");
    }
  });

  it("an invitation is accepted only by its email: members of every role are refused, the invitee joins", async () => {
    const fx = await fixture();
    const owner = await memberOf(users.owner, fx.slug);
    const outsider = await db.current.client.user.findUniqueOrThrow({ where: { id: users.outsider } });
    const { url } = await createInvitation(owner, { email: outsider.email, role: "viewer" }, { ip: null });
    const token = url.split("/invite/")[1];
    const before = await snapshot(fx.orgId);
    for (const role of ROLES) {
      await signInAs(users[role], { stepUp: true });
      expect(await outcomeOf(acceptInvitationAction({ token })), role).toMatchObject({ code: "forbidden" });
    }
    expect(await snapshot(fx.orgId)).toEqual(before);
    await signInAs(users.outsider, { stepUp: true });
    expect(await outcomeOf(acceptInvitationAction({ token }))).toEqual({ code: "ok" });
    expect((await findMembership(users.outsider, fx.slug))?.role).toBe("viewer");
  });
});

// Pages: every app/(dashboard)/dashboard/[org]/**/page.tsx module, called as Next calls it.
const ORG_PAGES_DIR = path.join(process.cwd(), "app/(dashboard)/dashboard/[org]");
// "refused": the page opens to say plainly what the member may not do (it streams under the organization's loading
// state, where a notFound could no longer answer 404).
type PageOutcome = "open" | "notFound" | "refused";
const VIEWER_UP: Record<Role, PageOutcome> = { owner: "open", admin: "open", developer: "open", viewer: "open" };
const PAGES: Record<string, Record<Role, PageOutcome>> = {
  "page.tsx": VIEWER_UP,
  "keys/page.tsx": VIEWER_UP,
  "keys/[id]/page.tsx": VIEWER_UP,
  "usage/page.tsx": VIEWER_UP,
  "audit/page.tsx": VIEWER_UP,
  "members/page.tsx": VIEWER_UP,
  "settings/page.tsx": VIEWER_UP,
  "requests/page.tsx": VIEWER_UP,
  // The form for asking for a key, which a viewer may not do: it tells them so instead of showing the form.
  "requests/new/page.tsx": { owner: "open", admin: "open", developer: "open", viewer: "refused" },
  // Webhooks are the administrators' (DESIGN.md): not there for developers and viewers.
  "webhooks/page.tsx": { owner: "open", admin: "open", developer: "notFound", viewer: "notFound" },
  "webhooks/[id]/page.tsx": { owner: "open", admin: "open", developer: "notFound", viewer: "notFound" },
};

function pageFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return pageFiles(path.join(dir, entry.name), rel);
    return entry.name === "page.tsx" ? [rel] : [];
  });
}

type PageModule = {
  default: (props: { params: Promise<Record<string, string>>; searchParams: Promise<object> }) => Promise<unknown>;
};

// Whether a rendered element's children (not its client components' props) contain `text`.
function saysText(node: unknown, text: string, seen = new Set<unknown>()): boolean {
  if (typeof node === "string") return node.includes(text);
  if (!node || typeof node !== "object" || seen.has(node)) return false;
  seen.add(node);
  if (Array.isArray(node)) return node.some((child) => saysText(child, text, seen));
  return saysText((node as { props?: { children?: unknown } }).props?.children, text, seen);
}

async function openPage(file: string, params: Record<string, string>): Promise<PageOutcome> {
  const mod = (await import(/* @vite-ignore */ path.join(ORG_PAGES_DIR, file))) as PageModule;
  try {
    const element = await mod.default({ params: Promise.resolve(params), searchParams: Promise.resolve({}) });
    expect(element).toBeTruthy();
    // The refusal is the capability table's own message (refusalOf), rendered instead of the page's content.
    return saysText(element, refusalOf("keys.request", "viewer")) ? "refused" : "open";
  } catch (err) {
    const digest = (err as { digest?: unknown }).digest;
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return "notFound";
    throw err;
  }
}

describe("organization pages by role", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fixture();
  });

  it("every page module is in the table", () => {
    expect(pageFiles(ORG_PAGES_DIR).sort()).toEqual(Object.keys(PAGES).sort());
  });

  it.each(ACTORS)("as %s: each page opens or is notFound as the table says (a non-member: notFound)", async (actor) => {
    await signInAs(userOf(actor));
    for (const [file, expected] of Object.entries(PAGES)) {
      const params = { org: fx.slug, id: file.startsWith("webhooks/") ? fx.webhookId : fx.keys.developer2 };
      expect(await openPage(file, params), file).toBe(actor === "outsider" ? "notFound" : expected[actor]);
    }
    const { default: Layout } = await import("@/app/(dashboard)/dashboard/[org]/layout");
    const layout = await Layout({ children: null, params: Promise.resolve({ org: fx.slug }) }).then(
      () => "open",
      (err: { digest?: string }) => (err.digest === "NEXT_HTTP_ERROR_FALLBACK;404" ? "notFound" : err),
    );
    expect(layout).toBe(actor === "outsider" ? "notFound" : "open");
  });
});
