import { describe, expect, it } from "vitest";
import { signUpSchema } from "@/lib/validations/auth";
import { fieldErrors } from "@/lib/validations/field-errors";

const valid = { email: "Ada@Example.com ", password: "twelve-chars", confirmPassword: "twelve-chars" };

describe("signUpSchema", () => {
  it("normalises the email", () => {
    expect(signUpSchema.parse(valid).email).toBe("ada@example.com");
  });

  it.each([
    [{ ...valid, email: "not-an-email" }, "email", "Enter a valid email address"],
    [{ ...valid, password: "short", confirmPassword: "short" }, "password", "Password must be at least 12 characters"],
    [{ ...valid, confirmPassword: "twelve-charz" }, "confirmPassword", "Passwords do not match"],
    [{ ...valid, email: "" }, "email", "Email is required"],
  ])("rejects %o on %s", (input, field, message) => {
    const result = signUpSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrors(result.error)[field]).toBe(message);
  });
});
