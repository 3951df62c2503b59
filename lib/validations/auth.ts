// Sign-up and sign-in input schemas, shared by the forms and the server.
import { z } from "zod";
import { isSafeText, requiredRawText, safeText } from "./text";

export const emailSchema = z
  .string({ error: "Email is required" })
  // No NUL or lone surrogate: such input is never a real email (and PostgreSQL text cannot hold it).
  .refine(isSafeText, "Enter a valid email address")
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(254, "Email is too long")
  .pipe(z.email({ error: "Enter a valid email address" }));

// A new password: sign-up, password change and reset share the rules.
export const newPasswordSchema = z
  .string({ error: "Password is required" })
  .min(12, "Password must be at least 12 characters")
  .max(256, "Password must be at most 256 characters")
  .check(safeText("Password"));

const passwordsMatch = (v: { password: string; confirmPassword: string }) => v.password === v.confirmPassword;
const mismatch = { path: ["confirmPassword"], message: "Passwords do not match" };

const signUpFields = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  confirmPassword: z.string({ error: "Confirm your password" }).check(safeText("Password")),
});

export const signUpSchema = signUpFields.refine(passwordsMatch, mismatch);

export type SignUpInput = z.infer<typeof signUpSchema>;

const nextSchema = z.string().max(2048).check(safeText("Next")).optional();

// The sign-up form: the account plus where to go afterwards (an invitation page, say).
export const signUpFormSchema = signUpFields.extend({ next: nextSchema }).refine(passwordsMatch, mismatch);

const currentPasswordSchema = requiredRawText("Password", 256, "Password must be at most 256 characters");

export const signInSchema = z.object({
  email: emailSchema,
  password: currentPasswordSchema,
});

// The sign-in form: credentials plus where to go afterwards.
export const signInFormSchema = signInSchema.extend({ next: nextSchema });

// Security page: the current password, the new one twice.
export const changePasswordSchema = z
  .object({
    currentPassword: currentPasswordSchema,
    password: newPasswordSchema,
    confirmPassword: z.string({ error: "Confirm your new password" }),
  })
  .refine(passwordsMatch, mismatch);

// A reset link's form: the token from the link and the new password twice.
export const resetPasswordSchema = z
  .object({
    token: z.string().min(1).max(128).check(safeText("Token")),
    password: newPasswordSchema,
    confirmPassword: z.string({ error: "Confirm your new password" }),
  })
  .refine(passwordsMatch, mismatch);

// The forgot-password form: just the address.
export const forgotPasswordSchema = z.object({ email: emailSchema });

// An administrator's "issue reset link" control.
export const issueResetLinkSchema = z.object({
  userId: z.string().min(1, "Choose an account").max(64, "Choose an account").check(safeText("Account id")),
});
