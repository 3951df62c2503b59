"use client";
// The key's platform permissions: catalogue checkboxes (named `permissions`) grouped by resource, with a search box.
// Filtering only hides rows, so a checked permission outside the search is still submitted.
import { useId, useMemo, useState } from "react";
import { resourceOf } from "@/lib/permissions/names";

export type PermissionOption = { name: string; description: string };

// The checked permissions of a form post.
export function permissionsFromForm(form: FormData): string[] {
  return form.getAll("permissions").map(String);
}

export function PermissionsField({
  catalogue,
  defaultValue = [],
  error,
}: {
  catalogue: readonly PermissionOption[];
  defaultValue?: readonly string[];
  error?: string;
}) {
  const [query, setQuery] = useState("");
  const searchId = useId();
  const groups = useMemo(() => {
    const byResource = new Map<string, PermissionOption[]>();
    for (const p of [...catalogue].sort((a, b) => a.name.localeCompare(b.name))) {
      const resource = resourceOf(p.name);
      byResource.set(resource, [...(byResource.get(resource) ?? []), p]);
    }
    return [...byResource.entries()];
  }, [catalogue]);
  const q = query.trim().toLowerCase();
  const matches = (p: PermissionOption) => !q || p.name.includes(q) || p.description.toLowerCase().includes(q);
  const shown = groups.filter(([, list]) => list.some(matches)).length;

  return (
    <fieldset aria-describedby="field-permissions-error" className="flex flex-col gap-1">
      <legend className="mb-1 text-sm font-medium text-slate-800">Permissions</legend>
      {catalogue.length === 0 ? (
        <p className="text-xs text-slate-600">No permissions are defined yet: an administrator adds them.</p>
      ) : (
        <>
          <label htmlFor={searchId} className="sr-only">
            Search permissions
          </label>
          <input
            id={searchId}
            type="search"
            placeholder="Search permissions"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            className="mb-1 rounded border border-slate-300 px-2 py-1 text-sm"
          />
          <div className="flex max-h-56 flex-col gap-2 overflow-y-auto rounded border border-slate-200 p-2">
            {groups.map(([resource, list]) => (
              <div key={resource} role="group" aria-label={resource} hidden={!list.some(matches)}>
                <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{resource}</p>
                {list.map((p) => (
                  <label key={p.name} className="flex items-start gap-2 text-sm" hidden={!matches(p)}>
                    <input
                      type="checkbox"
                      name="permissions"
                      value={p.name}
                      defaultChecked={defaultValue.includes(p.name)}
                      className="mt-0.5"
                    />
                    <span>
                      <span className="font-mono">{p.name}</span>
                      {p.description ? <span className="text-slate-600"> — {p.description}</span> : null}
                    </span>
                  </label>
                ))}
              </div>
            ))}
            {shown === 0 ? <p className="text-xs text-slate-600">No permission matches “{query}”.</p> : null}
          </div>
          <p className="text-xs text-slate-600">A resource:* permission grants every action of its resource.</p>
        </>
      )}
      <p id="field-permissions-error" aria-live="polite" className="min-h-4 text-xs text-red-600">
        {error ?? ""}
      </p>
    </fieldset>
  );
}
