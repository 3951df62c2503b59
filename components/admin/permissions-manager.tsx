"use client";
// The permission catalogue for instance administrators: add a permission, edit a description, delete one no active key
// holds (its delete button is disabled, with the reason, while keys hold it). Every form posts before JavaScript loads.
import { useRef } from "react";
import { ActionError } from "@/components/keys/action-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormButtons } from "@/components/ui/form-buttons";
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { addPermissionAction, deletePermissionAction, describePermissionAction } from "@/lib/actions/permissions";

export type PermissionRow = { name: string; description: string; keys: number };

// Adds a permission (name and description).
export function AddPermissionForm() {
  const form = useRef<HTMLFormElement>(null);
  const action = useFormAction(addPermissionAction, {
    fields: ["name", "description"],
    onSuccess: () => form.current?.reset(),
  });
  return (
    <form
      ref={form}
      {...action.formProps}
      noValidate
      aria-label="Add permission"
      className="flex max-w-xl flex-col gap-1"
    >
      <ActionError failure={action.failure} />
      {action.result?.ok ? <Alert tone="success">Added {action.result.data.name}.</Alert> : null}
      <TextField
        label="Name"
        name="name"
        id="add-permission-name"
        required
        maxLength={65}
        placeholder="inference:write"
        hint="resource:action in lower case; resource:* grants every action of the resource."
        error={action.errors.name}
      />
      <TextField
        label="Description"
        name="description"
        id="add-permission-description"
        maxLength={200}
        error={action.errors.description}
      />
      <FormButtons label="Add permission" pendingLabel="Adding…" pending={action.pending} />
    </form>
  );
}

function DescribeForm({ row }: { row: PermissionRow }) {
  const action = useFormAction(describePermissionAction, { fields: ["description"] });
  return (
    <form {...action.formProps} noValidate aria-label={`Description of ${row.name}`} className="flex items-start gap-2">
      <input type="hidden" name="name" value={row.name} />
      <TextField
        label={`Description of ${row.name}`}
        name="description"
        id={`description-${row.name}`}
        defaultValue={row.description}
        maxLength={200}
        error={action.errors.description ?? action.failure?.message}
        className="min-w-64 flex-1"
      />
      <Button type="submit" look="secondary" pending={action.pending} className="mt-6">
        {action.pending ? "Saving…" : "Save"}
      </Button>
      <span aria-live="polite" className="mt-8 text-xs text-emerald-700">
        {action.result?.ok ? "Saved" : ""}
      </span>
    </form>
  );
}

function DeleteForm({ row }: { row: PermissionRow }) {
  const action = useFormAction(deletePermissionAction);
  const held = row.keys > 0;
  const reasonId = `delete-reason-${row.name}`;
  return (
    <form {...action.formProps} aria-label={`Delete ${row.name}`}>
      <input type="hidden" name="name" value={row.name} />
      <Button
        type="submit"
        look="danger"
        disabled={held}
        pending={action.pending}
        aria-describedby={held ? reasonId : undefined}
      >
        Delete
      </Button>
      {held ? (
        <p id={reasonId} className="mt-1 text-xs text-slate-600">
          Held by {row.keys} active {row.keys === 1 ? "key" : "keys"}: remove it from them first.
        </p>
      ) : null}
      <p aria-live="polite" className="text-xs text-red-600">
        {action.failure?.message ?? ""}
      </p>
    </form>
  );
}

// The catalogue with how many active keys hold each permission.
export function PermissionsTable({ rows }: { rows: PermissionRow[] }) {
  if (rows.length === 0)
    return <EmptyTable title="No permissions yet" hint="Add the first one below, or PUT /api/v1/permissions." />;
  return (
    <Table caption="Permission catalogue, by name">
      <THeadLabels labels={["Name", "Description", "Keys", "Delete"]} />
      <TBody>
        {rows.map((row) => (
          <tr key={row.name}>
            <TD className="font-mono text-xs whitespace-nowrap">{row.name}</TD>
            <TD>
              <DescribeForm row={row} />
            </TD>
            <TD>{row.keys}</TD>
            <TD>
              <DeleteForm row={row} />
            </TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
