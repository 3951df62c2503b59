// The event checkboxes of the webhook forms, with the field error (a new endpoint: every type but the opt-in audit
// stream checked).
import { EVENT_LABELS } from "@/lib/events/describe";
import { AUDIT_EVENT_TYPE, EVENT_TYPES } from "@/lib/events/types";

export function EventsField({ error, checked }: { error?: string; checked?: readonly string[] }) {
  return (
    <fieldset aria-describedby="field-events-error" className="flex flex-col gap-1">
      <legend className="mb-1 text-sm font-medium text-slate-800">Events</legend>
      <div className="grid gap-1 sm:grid-cols-2">
        {EVENT_TYPES.map((type) => (
          <label key={type} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name="events"
              value={type}
              defaultChecked={checked ? checked.includes(type) : type !== AUDIT_EVENT_TYPE}
              className="mt-0.5"
            />
            <span>
              <span className="font-mono text-xs">{type}</span>{" "}
              <span className="text-slate-600">— {EVENT_LABELS[type]}</span>
            </span>
          </label>
        ))}
      </div>
      <p id="field-events-error" aria-live="polite" className="min-h-4 text-xs text-red-600">
        {error ?? ""}
      </p>
    </fieldset>
  );
}
