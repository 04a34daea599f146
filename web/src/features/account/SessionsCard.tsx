import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Monitor } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap, type Schemas } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { Card } from "@/components/ui/Card";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/ui/States";
import { useDateFormat } from "@/lib/dates";
import { describeUserAgent } from "./device";
import { accountKeys, useSessions } from "./queries";

type Session = Schemas["SessionInfo"];

/** Where the account is signed in; any session but this one can be ended. */
export function SessionsCard() {
  const { t } = useTranslation("account");
  const sessions = useSessions();
  return (
    <Card title={t("sessions.title")} description={t("sessions.description")}>
      {sessions.isPending ? (
        <ListSkeleton rows={2} />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : sessions.data.length === 0 ? (
        <EmptyState title={t("sessions.empty")} />
      ) : (
        <>
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {sessions.data.map((session) => (
              <SessionRow key={session.id} session={session} />
            ))}
          </ul>
          <LoadMoreButton query={sessions} />
        </>
      )}
    </Card>
  );
}

function useDeviceName() {
  const { t } = useTranslation("account");
  return (userAgent: string) => {
    if (!userAgent.trim()) return t("sessions.unknownDevice");
    const known = describeUserAgent(userAgent);
    return known ? t("sessions.device", known) : userAgent;
  };
}

function SessionRow({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  const format = useDateFormat();
  const deviceName = useDeviceName()(session.device);
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () =>
      unwrap(api.DELETE("/api/v1/auth/sessions/{session_id}", { params: { path: { session_id: session.id } } })),
    onSuccess: () => {
      toast.success(t("sessions.revoked"));
      void queryClient.invalidateQueries({ queryKey: accountKeys.sessions });
    },
    onError: (error) => showError(error),
  });
  return (
    <li className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center">
      <Monitor aria-hidden className="hidden h-5 w-5 shrink-0 text-zinc-400 sm:block" />
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
          <span className="truncate" title={session.device}>
            {deviceName}
          </span>
          {session.current && (
            <span className="rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700 dark:bg-zinc-800 dark:text-brand-100">
              {t("sessions.current")}
            </span>
          )}
        </p>
        <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
          {t("sessions.details", {
            ip: session.ip,
            created: format.dateTime(session.created_at),
            lastActive: format.dateTime(session.last_active_at),
          })}
        </p>
      </div>
      {!session.current && (
        <Button
          variant="secondary"
          size="sm"
          className="self-start sm:self-auto"
          loading={revoke.isPending}
          onClick={() => revoke.mutate()}
          aria-label={t("sessions.revokeLabel", { device: deviceName })}
        >
          {t("sessions.revoke")}
        </Button>
      )}
    </li>
  );
}
