"use server";
// Sign-up server action: validate, create the account, report field errors.
import { headers } from "next/headers";
import { AccountError, createAccount } from "@/lib/auth/accounts";
import { clientIp } from "@/lib/ip/client-ip";
import { fieldErrors, signUpSchema, type FieldErrors } from "@/lib/validations/auth";

export type SignUpState = { ok: boolean; errors: FieldErrors };

// Creates an account from the sign-up form; the client then signs in with the same credentials.
export async function signUpAction(input: { email: string; password: string; confirmPassword: string }): Promise<SignUpState> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  try {
    await createAccount(parsed.data, clientIp(await headers()));
    return { ok: true, errors: {} };
  } catch (err) {
    if (err instanceof AccountError && err.field) return { ok: false, errors: { [err.field]: err.message } };
    throw err;
  }
}
