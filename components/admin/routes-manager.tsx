"use client";
// The forward-authentication route table for instance administrators: the table as JSON (the document
// PUT /api/v1/routes takes), saved with its problems shown next to it, and a tester naming the route a request meets.
import { ActionError } from "@/components/keys/action-error";
import { Alert } from "@/components/ui/alert";
import { controlClass, Field } from "@/components/ui/field";
import { FormButtons } from "@/components/ui/form-buttons";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { saveRouteTableAction, testRouteAction } from "@/lib/actions/routes";

// Edits the whole table as its JSON document.
export function RouteTableEditor({ document }: { document: string }) {
  const action = useFormAction(saveRouteTableAction, { fields: ["table"] });
  const error = action.errors.table;
  return (
    <form {...action.formProps} noValidate aria-label="Route table" className="flex flex-col gap-1">
      <ActionError failure={action.failure} />
      {action.result?.ok ? <Alert tone="success">Saved {action.result.data.routes} routes.</Alert> : null}
      <Field
        id="route-table"
        label="Route table (JSON)"
        error={error}
        hint='{"default": "deny" | "allow", "routes": [{"method": "GET" | … | "*", "path": "/v1/models/:id", "scope"?, "permissions"?, "cost"?, "public"?}]}'
      >
        <textarea
          id="route-table"
          name="table"
          rows={18}
          spellCheck={false}
          defaultValue={document}
          aria-invalid={error ? true : undefined}
          aria-describedby="route-table-hint route-table-error"
          className={`${controlClass(error)} font-mono text-xs`}
        />
      </Field>
      <FormButtons label="Save table" pendingLabel="Saving…" pending={action.pending} />
    </form>
  );
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].map((m) => ({ value: m, label: m }));

// Which route would a request meet? Answers with the winning pattern and what it needs.
export function RouteTester() {
  const action = useFormAction(testRouteAction, { fields: ["method", "path"] });
  const result = action.result?.ok ? action.result.data : null;
  return (
    <form {...action.formProps} noValidate aria-label="Test a route" className="flex flex-col gap-2">
      <ActionError failure={action.failure} />
      <div className="flex flex-wrap items-start gap-2">
        <SelectField label="Method" name="method" id="test-method" options={METHODS} error={action.errors.method} />
        <TextField
          label="Path"
          name="path"
          id="test-path"
          placeholder="/v1/chat/completions"
          error={action.errors.path}
          className="min-w-72 flex-1"
        />
      </div>
      <FormButtons label="Which route matches?" pendingLabel="Checking…" pending={action.pending} />
      <p aria-live="polite" role="status" className="text-sm">
        {result
          ? result.route
            ? `${result.method} ${result.path} → ${result.route.method} ${result.route.path}: ${
                result.route.public
                  ? "public, no key needed"
                  : [
                      "a valid key",
                      result.route.scope ? `scope ${result.route.scope}` : null,
                      result.route.permissions?.length ? `permissions ${result.route.permissions.join(", ")}` : null,
                      `cost ${result.route.cost ?? 1}`,
                    ]
                      .filter(Boolean)
                      .join(", ")
              }`
            : `${result.method} ${result.path} → no route: ${
                result.outcome === "denied" ? "refused (the table denies by default)" : "any valid key (default allow)"
              }`
          : ""}
      </p>
    </form>
  );
}
