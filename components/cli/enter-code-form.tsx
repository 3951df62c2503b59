// The code from the terminal, typed by hand: a plain GET form back to /cli/authorize (works before JavaScript loads).
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

export function EnterCodeForm({ defaultValue, error }: { defaultValue?: string; error?: string }) {
  return (
    <form method="get" action="/cli/authorize" className="flex flex-col gap-1">
      <p className="mb-2 text-sm text-slate-600">
        Enter the code <code>keyhold login</code> printed in your terminal.
      </p>
      <TextField
        label="Code"
        name="code"
        required
        maxLength={32}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        placeholder="BCDF-GHJK"
        defaultValue={defaultValue}
        error={error}
        autoFocus
      />
      <Button type="submit">Continue</Button>
    </form>
  );
}
