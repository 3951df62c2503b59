"use server";
// The forward-authentication route table's server actions (instance administrators): replace the table from its JSON
// document, and ask which route a request would meet.
import { revalidatePath } from "next/cache";
import { ApiError } from "../errors";
import { replaceRouteTable, testRoute } from "../routes/table";
import { routeTableFormSchema, routeTestSchema } from "../validations/routes";
import { defineAction } from "./define-action";

// Replaces the route table with the document in the form's `table` field (validated as PUT /api/v1/routes validates).
export const saveRouteTableAction = defineAction(
  { schema: routeTableFormSchema, auth: "admin" },
  async ({ table }, { current, ip }) => {
    let document: unknown;
    try {
      document = JSON.parse(table);
    } catch (err) {
      throw new ApiError("invalid_request", `Not JSON: ${(err as Error).message}`, "table");
    }
    try {
      const saved = await replaceRouteTable(current.user, document, ip);
      revalidatePath("/admin/routes");
      return { routes: saved.routes.length };
    } catch (err) {
      // Every problem is shown next to the one field, naming where in the document it is.
      if (err instanceof ApiError && err.field && err.code === "invalid_request")
        throw new ApiError(err.code, `${err.field}: ${err.message}`, "table");
      throw err;
    }
  },
);

// Which route a method and path meet in the current table.
export const testRouteAction = defineAction(
  { schema: routeTestSchema, auth: "admin" },
  async ({ method, path }, { current }) => testRoute(current.user, method, path),
);
