// Names in mail are plain text on one line: an organization name saved before names refused control characters (a line
// break, a bidi override, an ESC) reaches the invitation mail's subject and body without them. Real SMTP server.
import { afterAll, describe, expect, it } from "vitest";
import { mailIdle, mailName } from "@/lib/mail";
import { createInvitation } from "@/lib/orgs/invitations";
import { findMembership } from "@/lib/orgs/organizations";
import { withTestDb } from "../helpers/db";
import { createMemberAccount, createTeam } from "../helpers/org-team";
import { startMailInbox } from "../helpers/smtp";

const mailServer = await startMailInbox({ unfold: true });

const db = withTestDb();

afterAll(async () => {
  await mailIdle();
  await mailServer.close();
});

describe("names in mail", () => {
  it("mailName removes control, line-break and bidi-override characters and keeps the rest", () => {
    expect(mailName("Evil\u202eCorp\r\nBcc: x@y\u0007\u0085\u2066!")).toBe("EvilCorpBcc: x@y!");
    expect(mailName("Zürich — 東京 🔑")).toBe("Zürich — 東京 🔑");
  });

  it("an invitation from an organization whose stored name holds such characters mails the clean name", async () => {
    const owner = await createMemberAccount("owner");
    const team = await createTeam(owner.id);
    // As a row written before the schema refused them.
    await db.current.client.organization.update({
      where: { id: team.id },
      data: { name: "Acme\u202e\nSubject: pwned\u001b[31m" },
    });
    const member = (await findMembership(owner.id, team.slug))!;
    await createInvitation(member, { email: "reader@example.com", role: "viewer" }, { ip: null });
    await mailIdle();
    const mail = mailServer.inbox.find((m) => m.to === "reader@example.com");
    expect(mail).toBeDefined();
    const [head, body] = mail!.raw.split("\r\n\r\n", 2);
    // Plain ASCII now, so neither the subject nor the body needs any encoding.
    expect(head).toMatch(/^Subject: You are invited to join AcmeSubject: pwned\[31m on Keyhold\r?$/m);
    expect(head).not.toMatch(/^Subject: pwned/m);
    expect(head).not.toContain("=?");
    expect(body).toContain("You have been invited to join AcmeSubject: pwned[31m on Keyhold as viewer.");
    expect(mail!.raw).not.toMatch(/=E2=80=AE|=1B|\u001b|\u202e/);
  });
});
