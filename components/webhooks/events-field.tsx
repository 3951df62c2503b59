// The event checkboxes of the webhook forms, with the field error (a new endpoint: every type but the opt-in audit
// stream checked).
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { EVENT_LABELS } from "@/lib/events/describe";
import { AUDIT_EVENT_TYPE, EVENT_TYPES } from "@/lib/events/types";

export function EventsField({ error, checked }: { error?: string; checked?: readonly string[] }) {
  return (
    <CheckboxGroup
      legend="Events"
      name="events"
      columns
      options={EVENT_TYPES.map((type) => ({
        value: type,
        label: (
          <>
            <span className="font-mono text-xs">{type}</span>{" "}
            <span className="text-slate-600">— {EVENT_LABELS[type]}</span>
          </>
        ),
      }))}
      isChecked={(type) => (checked ? checked.includes(type) : type !== AUDIT_EVENT_TYPE)}
      error={error}
    />
  );
}
