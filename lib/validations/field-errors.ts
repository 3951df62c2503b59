// Zod issues as one message per field, for forms (next to the field) and the API (named in the message).
import type { z } from "zod";
import { ApiError } from "../errors";

// Field name → first error message.
export type FieldErrors = Partial<Record<string, string>>;

// The field an issue is about: its path ("name", "ipAllowlist.2.value"), the unknown key it names, or `root`.
function issueField(issue: z.core.$ZodIssue, root: string): string {
  if (issue.path.length > 0) return issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") return issue.keys[0] ?? root;
  return root;
}

// One message per field path; unknown keys are reported against their own name, whole-input problems against `root`.
export function fieldErrors(error: z.ZodError, root = "form"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issueField(issue, root);
    out[field] ??= issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys.join(", ")}` : issue.message;
  }
  return out;
}

// The 400 for input that fails its schema: invalid_request naming the first field at fault ("<field>: <message>").
export function invalidRequest(error: z.ZodError): ApiError {
  const [field, message] = Object.entries(fieldErrors(error, "body"))[0] ?? ["body", "Invalid request"];
  return new ApiError("invalid_request", message, field);
}
