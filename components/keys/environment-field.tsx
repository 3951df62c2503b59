// The key's environment (live or test), for the key settings and the CLI's approval form.
import { SelectField } from "@/components/ui/select-field";

const ENVIRONMENTS = [
  { value: "live", label: "Live" },
  { value: "test", label: "Test" },
];

export function EnvironmentField({ error }: { error?: string }) {
  return (
    <SelectField label="Environment" name="environment" defaultValue="live" options={ENVIRONMENTS} error={error} />
  );
}
