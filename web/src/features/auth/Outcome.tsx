import { CircleCheck, Link2Off, MailCheck } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

const KINDS = {
  done: { Icon: CircleCheck, tone: "text-emerald-600 dark:text-emerald-400", role: "status" },
  sent: { Icon: MailCheck, tone: "text-brand-600 dark:text-brand-500", role: "status" },
  failed: { Icon: Link2Off, tone: "text-zinc-400", role: "alert" },
} as const;

/**
 * How a request or a mailed link ended (done, mail sent, link unusable): an icon, the message, and the way on
 * (`children`). Announced as it appears: politely when it worked, at once when it did not.
 */
export function Outcome({
  kind,
  message,
  children,
}: {
  kind: keyof typeof KINDS;
  message: string;
  children?: ReactNode;
}) {
  const { Icon, tone, role } = KINDS[kind];
  return (
    <div role={role} className="flex flex-col items-center gap-3 text-center">
      <Icon aria-hidden className={cn("h-10 w-10", tone)} />
      <p className="text-sm text-zinc-700 dark:text-zinc-300">{message}</p>
      {children}
    </div>
  );
}
