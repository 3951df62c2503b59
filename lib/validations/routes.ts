// The forward-authentication route table document (PUT /api/v1/routes, the /admin/routes editor): a default for
// unmatched requests and routes of method + path pattern → scope, permissions, cost, or public.
import { z } from "zod";
import { parsePattern, patternShape, ROUTE_METHODS } from "../routes/match";
import { requiredPermissionsSchema } from "./permissions";

export const MAX_ROUTES = 1000;
export const MAX_ROUTE_COST = 10_000;

export const routeMethodSchema = z
  .string({ error: "Method must be a string" })
  .transform((m) => m.trim().toUpperCase())
  .pipe(z.enum(ROUTE_METHODS, { error: `Method must be one of ${ROUTE_METHODS.join(", ")}` }));

export const routePathSchema = z.string({ error: "Path must be a string" }).superRefine((path, ctx) => {
  const parsed = parsePattern(path);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
});

export const routeEntrySchema = z
  .strictObject({
    method: routeMethodSchema,
    path: routePathSchema,
    scope: z.enum(["read", "write", "admin"], { error: "Scope must be read, write or admin" }).optional(),
    permissions: requiredPermissionsSchema.optional(),
    cost: z
      .number({ error: "Cost must be a number" })
      .int("Cost must be a whole number")
      .min(0, "Cost must be at least 0")
      .max(MAX_ROUTE_COST, `Cost must be at most ${MAX_ROUTE_COST}`)
      .optional(),
    public: z.boolean({ error: "public must be true or false" }).optional(),
  })
  .superRefine((route, ctx) => {
    if (!route.public) return;
    for (const field of ["scope", "permissions", "cost"] as const)
      if (route[field] !== undefined)
        ctx.addIssue({ code: "custom", path: [field], message: `A public route takes no ${field}: it needs no key` });
  });

export type RouteEntryInput = z.input<typeof routeEntrySchema>;
export type RouteEntry = z.output<typeof routeEntrySchema>;

// The whole table: routes in the order written; one method and pattern shape once (/v1/:id and /v1/:name are the same).
export const routeTableSchema = z.strictObject({
  default: z.enum(["deny", "allow"], { error: "default must be deny or allow" }).default("deny"),
  routes: z
    .array(routeEntrySchema, { error: "routes must be a list of {method, path, scope?, permissions?, cost?, public?}" })
    .max(MAX_ROUTES, `At most ${MAX_ROUTES} routes`)
    .superRefine((routes, ctx) => {
      const seen = new Map<string, string>();
      routes.forEach((r, i) => {
        const segments = parsePattern(r.path);
        if (typeof segments === "string") return;
        const key = `${r.method} ${patternShape(segments)}`;
        const earlier = seen.get(key);
        if (earlier !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [i, "path"],
            message: `Duplicate route: ${r.method} ${r.path} matches the same requests as ${r.method} ${earlier}`,
          });
        else seen.set(key, r.path);
      });
    }),
});

export type RouteTableInput = z.input<typeof routeTableSchema>;
export type RouteTableDocument = z.output<typeof routeTableSchema>;

// The /admin/routes editor: the table as JSON text in one field, parsed and validated as the API validates it.
export const routeTableFormSchema = z.strictObject({ table: z.string().max(1_000_000, "The table is too large") });

// The "which route matches" tester: a method and a path.
export const routeTestSchema = z.strictObject({
  method: z
    .string()
    .transform((m) => m.trim().toUpperCase())
    .pipe(z.enum(ROUTE_METHODS.filter((m) => m !== "*") as [string, ...string[]], { error: "Pick a method" })),
  path: z.string().trim().min(1, "Enter a path, e.g. /v1/chat/completions").max(2048, "Path is too long"),
});
