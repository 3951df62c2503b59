// Type-checked against the installed declarations: the verdict narrows on `valid`, scopes are the union.
import { createVerifier, Keyhold, KeyholdError, type VerifyResponse } from "@keyhold/sdk";

export async function check(key: string): Promise<string> {
  const created = await new Keyhold().keys.create({ name: "typed", environment: "test", scopes: ["read", "write"] });
  const verdict = await createVerifier().verify(key);
  if (verdict.valid) return verdict.keyId + created.key.id;
  const refusal: Exclude<VerifyResponse["code"], "VALID"> | "SERVICE_UNAVAILABLE" = verdict.code;
  throw new KeyholdError("unexpected_response", refusal);
}
