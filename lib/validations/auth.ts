// Sign-up and sign-in input schemas, shared by the forms and the server.
import { z } from "zod";
import { safeText } from "./text";

export const emailSchema = z
  .string({ error: "Email is required" })
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(254, "Email is too long")
  .check(safeText("Email"))
  .pipe(z.email({ error: "Enter a valid email address" }));

export const signUpSchema = z
  .object({
    email: emailSchema,
    password: z
      .string({ error: "Password is required" })
      .min(12, "Password must be at least 12 characters")
      .max(256, "Password must be at most 256 characters")
      .check(safeText("Password")),
    confirmPassword: z.string({ error: "Confirm your password" }).check(safeText("Password")),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "Passwords do not match" });

export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Password is required").max(256).check(safeText("Password")),
});
