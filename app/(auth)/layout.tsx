// Sign-in shell: a centred card with the product name.
import { CardShell } from "@/components/shell/card-shell";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return <CardShell home="/">{children}</CardShell>;
}
