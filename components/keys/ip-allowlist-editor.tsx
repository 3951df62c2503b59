"use client";
// Editor for a key's IP allowlist: one row per address or CIDR range with an optional note; says how entries will be normalised.
// Its inputs post as `<field>Value` and `<field>Note`, which draftsFromForm reads back.
import { parseAllowlistEntry, MAX_ALLOWLIST_ENTRIES } from "@/lib/ip/allowlist";
import type { FieldErrors } from "@/lib/validations/field-errors";

export interface AllowlistDraft {
  value: string;
  note: string;
}

export function IpAllowlistEditor({
  value,
  onChange,
  errors = {},
  disabled,
  field = "ipAllowlist",
}: {
  value: AllowlistDraft[];
  onChange: (next: AllowlistDraft[]) => void;
  errors?: FieldErrors;
  disabled?: boolean;
  field?: string;
}) {
  const update = (index: number, patch: Partial<AllowlistDraft>) =>
    onChange(value.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const listError = errors[field];

  return (
    <fieldset className="flex flex-col gap-2" disabled={disabled}>
      <legend className="text-sm font-medium text-slate-800">IP allowlist</legend>
      <p className="text-xs text-slate-500">
        Addresses or CIDR ranges, IPv4 or IPv6 (up to {MAX_ALLOWLIST_ENTRIES}). Leave empty to allow any address.
      </p>
      {value.map((row, index) => {
        const error = errors[`${field}.${index}.value`];
        const noteError = errors[`${field}.${index}.note`];
        const parsed = row.value.trim() ? parseAllowlistEntry(row.value) : null;
        const notice = parsed?.ok && parsed.normalisedFrom ? `Will be saved as ${parsed.value}` : null;
        const id = `${field}-${index}`;
        return (
          <div key={index} className="flex flex-wrap items-start gap-2">
            <div className="flex min-w-48 flex-1 flex-col gap-1">
              <label htmlFor={`${id}-value`} className="sr-only">
                Address or range {index + 1}
              </label>
              <input
                id={`${id}-value`}
                name={`${field}Value`}
                value={row.value}
                placeholder="203.0.113.0/24"
                onChange={(e) => update(index, { value: e.target.value })}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${id}-msg`}
                className={`rounded-md border px-3 py-2 font-mono text-sm ${error ? "border-red-500" : "border-slate-300"}`}
              />
              <p
                id={`${id}-msg`}
                aria-live="polite"
                className={`min-h-4 text-xs ${error ? "text-red-600" : "text-slate-500"}`}
              >
                {error ?? (parsed && !parsed.ok ? parsed.error : notice) ?? ""}
              </p>
            </div>
            <div className="flex min-w-40 flex-1 flex-col gap-1">
              <label htmlFor={`${id}-note`} className="sr-only">
                Note for entry {index + 1}
              </label>
              <input
                id={`${id}-note`}
                name={`${field}Note`}
                value={row.note}
                placeholder="Note (optional)"
                maxLength={200}
                onChange={(e) => update(index, { note: e.target.value })}
                aria-invalid={noteError ? true : undefined}
                className="rounded-md border border-slate-300 px-3 py-2 text-sm"
              />
              {noteError ? <p className="text-xs text-red-600">{noteError}</p> : null}
            </div>
            <button
              type="button"
              onClick={() => onChange(value.filter((_, i) => i !== index))}
              className="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100"
              aria-label={`Remove entry ${index + 1}`}
            >
              Remove
            </button>
          </div>
        );
      })}
      <div>
        <button
          type="button"
          onClick={() => onChange([...value, { value: "", note: "" }])}
          disabled={value.length >= MAX_ALLOWLIST_ENTRIES}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100 disabled:text-slate-400"
        >
          Add address or range
        </button>
      </div>
      <p aria-live="polite" className="min-h-4 text-xs text-red-600">
        {listError ?? ""}
      </p>
    </fieldset>
  );
}

// Drafts from stored entries, for editing.
export function toDrafts(entries: readonly { value: string; note?: string }[]): AllowlistDraft[] {
  return entries.map((e) => ({ value: e.value, note: e.note ?? "" }));
}

// The editor's rows as posted in a form (none when it is disabled).
export function draftsFromForm(form: FormData, field = "ipAllowlist"): AllowlistDraft[] {
  const notes = form.getAll(`${field}Note`).map(String);
  return form.getAll(`${field}Value`).map((value, i) => ({ value: String(value), note: notes[i] ?? "" }));
}

// Stored-entry input from drafts: blank rows dropped, empty notes omitted.
export function fromDrafts(drafts: readonly AllowlistDraft[]): { value: string; note?: string }[] {
  return drafts
    .filter((d) => d.value.trim() || d.note.trim())
    .map((d) => (d.note.trim() ? { value: d.value, note: d.note.trim() } : { value: d.value }));
}
