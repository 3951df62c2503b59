// The key page's banner for a key found in public: red while a leaked secret still works or once it was revoked for it,
// amber when a rotation has already replaced the leaked secret.
import { Alert } from "@/components/ui/alert";
import type { LeakNotice, LeakState } from "@/lib/leaks/notices";
import { LeakPlace } from "./leak-place";

const OUTCOME: Record<LeakState, string> = {
  revoked: "revoked",
  exposed: "rotate it now",
  replaced: "the leaked secret has since been rotated out",
};

export function LeakBanner({ notice }: { notice: LeakNotice }) {
  return (
    <div className="mb-4">
      <Alert tone={notice.state === "replaced" ? "warning" : "error"}>
        <strong>Found in a public place</strong> <LeakPlace notice={notice} /> — {OUTCOME[notice.state]}
        {notice.state === "exposed" ? ". Anyone who saw it can use this key until you rotate or revoke it." : "."}
      </Alert>
    </div>
  );
}
