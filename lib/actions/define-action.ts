// defineAction(): the one wrapper every server action is built with — session check, validation once at the edge,
// step-up, and the error table's mapping to an ActionResult. Works with a typed object (client code) and with a form
// post (useActionState; also before JavaScript loads).
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { ApiError } from "../errors";
import { getCurrentUser, type CurrentUser } from "../auth/session";
import { clientIp } from "../ip/client-ip";
import { requireStepUp } from "../mfa/step-up";
import { assertCan, memberActor, type Actor } from "../orgs/actor";
import { findMembership, type OrgMember } from "../orgs/organizations";
import { meetsMfaPolicy } from "../orgs/policies";
import type { Capability } from "../orgs/roles";
import { fieldErrors } from "../validations/field-errors";
import { fail, ok, toActionResult, type ActionResult, type ActionState } from "./result";

// public: anyone (sign-up, sign-in); user: a signed-in, verified session; admin: an instance administrator;
// { capability }: a member of the organization named by the input's `org` slug whose role holds that capability in the
// one table (lib/orgs/roles; another organization answers not_found, a role without it forbidden). Capabilities over
// one key (a developer's own) are decided again by the service, on the row, inside its transaction.
export type ActionAuth = "public" | "user" | "admin" | { capability: Capability };

type OrgAuth = { capability: Capability };

export type ActionContext<A extends ActionAuth> = {
  current: A extends "public" ? null : CurrentUser;
  member: A extends OrgAuth ? OrgMember : null;
  // The member as the Actor the services take (how they came: a session; the client IP).
  actor: A extends OrgAuth ? Actor : null;
  ip: string | null;
};

export type ActionOptions<S extends z.ZodType, A extends ActionAuth> = {
  schema: S;
  auth: A;
  // Needs a TOTP check within the step-up window when the user has MFA (requireEnrolled: MFA must be on at all).
  stepUp?: boolean | { requireEnrolled: boolean };
};

// A server action callable with its input object, or as a form action (previous state, FormData).
export type Action<I, T> = {
  (input: I): Promise<ActionResult<T>>;
  (previous: ActionState<T>, form: FormData): Promise<ActionResult<T>>;
};

// An organization action's input names the organization by slug.
export type ActionInput<S extends z.ZodType, A extends ActionAuth> = A extends OrgAuth
  ? z.input<S> & { org: string }
  : z.input<S>;

const INVALID = "Check the highlighted fields.";

// A form post as an input object: one value per field, repeated fields as arrays, Next's own $ACTION fields dropped.
export function formInput(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(form.keys())) {
    if (name.startsWith("$ACTION")) continue;
    const values = form.getAll(name).filter((v): v is string => typeof v === "string");
    out[name] = values.length > 1 ? values : values[0];
  }
  return out;
}

// Who is calling, per the action's auth level; throws ApiError when they may not.
async function authorize<A extends ActionAuth>(auth: A): Promise<ActionContext<A>["current"]> {
  if (auth === "public") return null as ActionContext<A>["current"];
  const current = await getCurrentUser();
  if (!current) throw new ApiError("unauthenticated");
  if (auth === "admin" && current.user.role !== "ADMIN")
    throw new ApiError("forbidden", "Only administrators can do this.");
  return current as ActionContext<A>["current"];
}

// The caller's membership of the organization the input names, holding `capability`; the organization's MFA policy
// and suspension apply to every change made in it.
export async function authorizeMember(current: CurrentUser, slug: unknown, capability: Capability): Promise<OrgMember> {
  const member = typeof slug === "string" ? await findMembership(current.user.id, slug) : null;
  if (!member) throw new ApiError("not_found", "No organization with this slug", "org");
  if (member.organization.suspendedAt)
    throw new ApiError("account_suspended", "This organization is suspended. Contact your administrator.");
  if (!meetsMfaPolicy(member.organization, current))
    throw new ApiError("mfa_required", "This organization requires two-factor authentication: enable it first.");
  assertCan(memberActor(member), capability);
  return member;
}

// The input without the organization slug (validated by authorizeMember, not by the action's schema).
function withoutOrg(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const rest = { ...(raw as Record<string, unknown>) };
  delete rest.org;
  return rest;
}

// Builds a server action: authorize → validate → step-up → fn, every failure answered as an ActionResult.
export function defineAction<S extends z.ZodType, A extends ActionAuth, T>(
  opts: ActionOptions<S, A>,
  fn: (input: z.output<S>, ctx: ActionContext<A>) => Promise<T>,
): Action<ActionInput<S, A>, T> {
  async function action(...args: unknown[]): Promise<ActionResult<T>> {
    try {
      const raw = args.length === 2 && args[1] instanceof FormData ? formInput(args[1]) : args[0];
      const current = await authorize(opts.auth);
      const capability = typeof opts.auth === "object" ? opts.auth.capability : null;
      const member = (
        capability && current
          ? await authorizeMember(current, (raw as { org?: unknown } | null)?.org, capability)
          : null
      ) as ActionContext<A>["member"];
      const parsed = opts.schema.safeParse(capability ? withoutOrg(raw) : raw);
      if (!parsed.success) return fail("invalid_request", INVALID, fieldErrors(parsed.error));
      if (opts.stepUp && current) {
        requireStepUp(current, typeof opts.stepUp === "object" ? opts.stepUp : {});
      }
      const ip = clientIp(await headers());
      const actor = (member ? memberActor(member, ip) : null) as ActionContext<A>["actor"];
      return ok(await fn(parsed.data, { current, member, actor, ip }));
    } catch (err) {
      unstable_rethrow(err);
      return toActionResult(err);
    }
  }
  return action as Action<ActionInput<S, A>, T>;
}

// An instance administrator's action (auth "admin"): `change` runs as the signed-in administrator, then the `revalidate`
// page shows its result.
export function defineAdminAction<S extends z.ZodType, T>(
  opts: { schema: S; stepUp?: boolean; revalidate: string },
  change: (admin: CurrentUser["user"], input: z.output<S>, ip: string | null) => Promise<T>,
): Action<z.input<S>, T> {
  return defineAction({ schema: opts.schema, auth: "admin", stepUp: opts.stepUp }, async (input, { current, ip }) => {
    const result = await change(current.user, input, ip);
    revalidatePath(opts.revalidate);
    return result;
  });
}
