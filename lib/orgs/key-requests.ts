// Key requests: a member asks for a key an administrator must approve (the organization's key-request policy); admins
// approve or deny; the requester then reveals the secret once. The key is made at reveal time, through the key
// service, so no administrator ever sees it. A pending or approved-but-unrevealed request lapses after 7 days.
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { mailRequestDecision, mailSafely } from "../events/mail";
import { db } from "../db";
import type { KeyRequest, Prisma } from "../generated/prisma/client";
import type { KeyRequestStatus } from "../generated/prisma/enums";
import { storedAllowlist, toKeyObject } from "../keys/record";
import {
  asJson,
  assertNameFree,
  assertWithinPlan,
  insertKey,
  withNameConflict,
  type KeyGuard,
  type KeyWithSecret,
} from "../keys/service";
import type { CreateKeyRequestData } from "../validations/organizations";
import type { OrgMember } from "./organizations";
import { assertKeyCompliant, policiesOf, type KeyShape } from "./policies";
import { assertKnownPermissions } from "../permissions/catalogue";
import { normalisePermissions } from "../permissions/names";
import { can } from "./roles";
import { assertCan, authorizeInTx, memberActor } from "./actor";
import { recordChange } from "../record-change";

type Meta = { ip: string | null };
type Tx = Prisma.TransactionClient;

// A request as events describe it (never a secret: none exists before the reveal).
function requestEventData(r: KeyRequest) {
  return {
    request: {
      id: r.id,
      name: r.name,
      environment: r.environment,
      scopes: r.scopes,
      permissions: r.permissions,
      keyExpiresAt: r.keyExpiresAt?.toISOString() ?? null,
      reason: r.reason,
      status: r.status,
      requesterId: r.requesterId,
      decidedById: r.decidedById,
      denyReason: r.denyReason,
    },
  };
}

export const REQUEST_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export const REQUEST_EXPIRED = "This request expired";

// What a request shows: its stored status, or "expired" once a pending or approved one outlived its 7 days.
export type KeyRequestView = KeyRequestStatus | "expired";

export function requestStatus(request: Pick<KeyRequest, "status" | "expiresAt">, now = new Date()): KeyRequestView {
  const open = request.status === "pending" || request.status === "approved";
  return open && request.expiresAt.getTime() <= now.getTime() ? "expired" : request.status;
}

function shapeOf(request: Pick<KeyRequest, "scopes" | "keyExpiresAt" | "ipAllowlist" | "permissions">): KeyShape {
  return {
    scopes: request.scopes,
    expiresAt: request.keyExpiresAt,
    ipAllowlist: storedAllowlist(request.ipAllowlist),
    permissions: request.permissions,
  };
}

function conflict(message: string, reason: string): ApiError {
  return new ApiError("conflict", message, undefined, reason);
}

// Why a request cannot move on from where it is (expired first: a lapsed request says so whatever it was).
function refusal(request: KeyRequest, now: Date): ApiError {
  switch (requestStatus(request, now)) {
    case "expired":
      return conflict(REQUEST_EXPIRED, "request_expired");
    case "pending":
      return conflict("This request is still waiting for an administrator's approval", "request_pending");
    case "approved":
      return conflict("This request was already approved", "request_approved");
    case "denied":
      return conflict("This request was denied", "request_denied");
    case "revealed":
      return conflict("This key was already revealed: its secret is shown only once", "already_revealed");
  }
}

async function findRequest(tx: Tx, where: Prisma.KeyRequestWhereInput): Promise<KeyRequest> {
  const request = await tx.keyRequest.findFirst({ where });
  if (!request) throw new ApiError("not_found", "No key request with this id");
  return request;
}

// Submits a request. It must meet the policies already (lifetime, allowlist for admin scope), and its name must be free.
export async function createKeyRequest(
  member: OrgMember,
  data: CreateKeyRequestData,
  meta: Meta,
  now = new Date(),
): Promise<KeyRequest> {
  assertCan(memberActor(member), "keys.request");
  const org = member.organization;
  assertKeyCompliant(
    policiesOf(org),
    { scopes: data.scopes, expiresAt: data.expiresAt, ipAllowlist: data.ipAllowlist },
    now,
  );
  assertWithinPlan(org, data.rateLimit);
  const permissions = normalisePermissions(data.permissions ?? []);
  return db.$transaction(async (tx) => {
    await authorizeInTx(tx, memberActor(member), "keys.request");
    await assertNameFree(tx, org.id, data.name);
    await assertKnownPermissions(tx, permissions);
    const request = await tx.keyRequest.create({
      data: {
        organizationId: org.id,
        requesterId: member.userId,
        name: data.name,
        environment: data.environment,
        scopes: data.scopes,
        permissions,
        keyExpiresAt: data.expiresAt,
        ipAllowlist: asJson(data.ipAllowlist),
        rateLimit: data.rateLimit,
        reason: data.reason,
        createdAt: now,
        expiresAt: new Date(now.getTime() + REQUEST_LIFETIME_MS),
      },
    });
    await recordChange(tx, {
      audit: {
        organizationId: org.id,
        userId: member.userId,
        action: "key_request.created",
        ip: meta.ip,
        metadata: {
          requestId: request.id,
          name: data.name,
          environment: data.environment,
          scopes: data.scopes,
          permissions,
          expiresAt: data.expiresAt?.toISOString() ?? null,
          ipAllowlist: data.ipAllowlist.map((e) => e.value),
          reason: data.reason,
        },
      },
      event: { type: "key_request.created", data: requestEventData(request) },
    });
    return request;
  });
}

export type KeyRequestRow = KeyRequest & { view: KeyRequestView; requesterEmail: string | null };

// The request page: the member's own requests (newest first), and for reviewers the queue of pending, unexpired ones
// (oldest first), each with its requester's email.
export async function listKeyRequests(
  member: OrgMember,
  now = new Date(),
): Promise<{ mine: KeyRequestRow[]; queue: KeyRequestRow[] | null }> {
  const organizationId = member.organization.id;
  const reviewer = can(member, "requests.review");
  const [mine, queue] = await Promise.all([
    db.keyRequest.findMany({
      where: { organizationId, requesterId: member.userId },
      orderBy: { createdAt: "desc" },
      take: 50,
    }),
    reviewer
      ? db.keyRequest.findMany({
          where: { organizationId, status: "pending", expiresAt: { gt: now } },
          orderBy: { createdAt: "asc" },
          take: 100,
        })
      : Promise.resolve(null),
  ]);
  const ids = [...new Set([...mine, ...(queue ?? [])].map((r) => r.requesterId))];
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  const row = (r: KeyRequest): KeyRequestRow => ({
    ...r,
    view: requestStatus(r, now),
    requesterEmail: emailOf.get(r.requesterId) ?? null,
  });
  return { mine: mine.map(row), queue: queue?.map(row) ?? null };
}

// Decides a pending request (one conditional update: of two concurrent decisions one wins, the other is refused).
async function decide(
  member: OrgMember,
  id: string,
  decision: { status: "approved"; denyReason?: undefined } | { status: "denied"; denyReason: string },
  meta: Meta,
  now: Date,
): Promise<KeyRequest> {
  assertCan(memberActor(member), "requests.review");
  const org = member.organization;
  const result = await db.$transaction(async (tx) => {
    await authorizeInTx(tx, memberActor(member), "requests.review");
    const request = await findRequest(tx, { id, organizationId: org.id });
    if (requestStatus(request, now) !== "pending") throw refusal(request, now);
    // An approval must not hand out a key today's policies refuse (they may have changed since the request).
    if (decision.status === "approved") assertKeyCompliant(policiesOf(org), shapeOf(request), now);
    const { count } = await tx.keyRequest.updateMany({
      where: { id, status: "pending", expiresAt: { gt: now } },
      data: { status: decision.status, decidedById: member.userId, decidedAt: now, denyReason: decision.denyReason },
    });
    if (count === 0) throw refusal(await findRequest(tx, { id }), now);
    const decided: KeyRequest = {
      ...request,
      status: decision.status,
      decidedById: member.userId,
      decidedAt: now,
      denyReason: decision.denyReason ?? null,
    };
    const type = decision.status === "approved" ? "key_request.approved" : "key_request.denied";
    await recordChange(tx, {
      audit: {
        organizationId: org.id,
        userId: member.userId,
        action: type,
        ip: meta.ip,
        metadata: {
          requestId: id,
          requesterId: request.requesterId,
          name: request.name,
          ...(decision.denyReason ? { reason: decision.denyReason } : {}),
        },
      },
      event: { type, data: requestEventData(decided) },
    });
    return decided;
  });
  await mailSafely(() => mailRequestDecision(result, result.denyReason));
  return result;
}

// Approves a pending request (the action asks for a step-up first).
export function approveKeyRequest(member: OrgMember, id: string, meta: Meta, now = new Date()): Promise<KeyRequest> {
  return decide(member, id, { status: "approved" }, meta, now);
}

// Denies a pending request, with the reason the requester will see.
export function denyKeyRequest(
  member: OrgMember,
  id: string,
  reason: string,
  meta: Meta,
  now = new Date(),
): Promise<KeyRequest> {
  return decide(member, id, { status: "denied", denyReason: reason }, meta, now);
}

// The requester's one reveal of an approved request: the key is created now, by the requester, through the key
// service (approval satisfied, every other policy and the guard still applied). Claiming the request and creating the
// key share one transaction, so two concurrent reveals make one key and a failed creation leaves it approved.
export async function revealKeyRequest(
  member: OrgMember,
  id: string,
  meta: Meta,
  opts: { authorize?: KeyGuard } = {},
  now = new Date(),
): Promise<KeyWithSecret & { requestId: string }> {
  const org = member.organization;
  const request = await findRequest(db, { id, organizationId: org.id, requesterId: member.userId });
  if (requestStatus(request, now) !== "approved") throw refusal(request, now);
  if (request.keyExpiresAt && request.keyExpiresAt.getTime() <= now.getTime())
    throw new ApiError("invalid_request", "The expiry this request asked for has passed: submit a new request");
  const revealed = await withNameConflict(() =>
    db.$transaction(async (tx) => {
      const { count } = await tx.keyRequest.updateMany({
        where: { id, status: "approved", expiresAt: { gt: now } },
        data: { status: "revealed" },
      });
      if (count === 0) throw refusal(await findRequest(tx, { id }), now);
      const created = await insertKey(
        tx,
        memberActor(member),
        {
          name: request.name,
          environment: request.environment,
          scopes: request.scopes,
          permissions: request.permissions,
          expiresAt: request.keyExpiresAt,
          ipAllowlist: storedAllowlist(request.ipAllowlist),
          rateLimit: request.rateLimit,
        },
        meta,
        { authorize: opts.authorize, approved: true },
      );
      await tx.keyRequest.update({ where: { id }, data: { keyId: created.key.id } });
      await recordAudit(
        {
          organizationId: org.id,
          userId: member.userId,
          action: "key_request.revealed",
          keyId: created.key.id,
          ip: meta.ip,
          metadata: { requestId: id, name: request.name, prefix: created.key.prefix },
        },
        tx,
      );
      return created;
    }),
  );
  return { key: toKeyObject(revealed.key), secret: revealed.secret, requestId: id };
}
