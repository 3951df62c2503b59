"use client";
// Security page: which notification mails this account gets (each kind can be turned off).
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { useFormAction } from "@/components/ui/use-form-action";
import { saveMailPreferencesAction } from "@/lib/actions/security";
import { MAIL_KIND_LABELS, MAIL_KINDS, type MailKind } from "@/lib/events/mail-kinds";

export function MailPreferencesForm({ optedOut, enabled }: { optedOut: readonly MailKind[]; enabled: boolean }) {
  const form = useFormAction(saveMailPreferencesAction);
  return (
    <form {...form.formProps} className="flex flex-col gap-2">
      {!enabled ? (
        <p className="text-sm text-slate-600">
          This Keyhold sends no mail (SMTP is not configured); your choice is kept.
        </p>
      ) : null}
      <CheckboxGroup
        legend="Mail me when"
        legendHidden
        name="mail"
        options={MAIL_KINDS.map((kind) => ({ value: kind, label: MAIL_KIND_LABELS[kind] }))}
        isChecked={(kind) => !optedOut.includes(kind)}
        validated={false}
      />
      <p aria-live="polite" className="min-h-4 text-sm">
        {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : form.result?.ok ? "Saved." : ""}
      </p>
      <Button type="submit" look="secondary" pending={form.pending} className="self-start">
        {form.pending ? "Saving…" : "Save mail preferences"}
      </Button>
    </form>
  );
}
