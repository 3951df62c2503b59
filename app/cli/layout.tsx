// The CLI's sign-in shell: a centred card, as the sign-in pages have, wide enough for the approval form; the approval
// asks for a step-up code.
import { StepUpProvider } from "@/components/mfa/step-up-provider";
import { CardShell } from "@/components/shell/card-shell";

export default function CliLayout({ children }: { children: React.ReactNode }) {
  return (
    <CardShell home="/dashboard" wide>
      <StepUpProvider>{children}</StepUpProvider>
    </CardShell>
  );
}
