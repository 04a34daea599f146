/**
 * `/network/settings/apps`: the apps the person let use their account (through OAuth's consent), with what each
 * may do; Remove (confirmed) ends an app's access at once.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { showError } from "@/api/errors";
import { unwrap, type Schemas } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { PageHeader } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/ui/States";
import { useDateFormat } from "@/lib/dates";
import { networkApi, networkKeys } from "./api";
import { RequireNetworkSession } from "./components/RequireNetworkSession";
import { ScopeList } from "./oauth/ScopeList";

type ConnectedApp = Schemas["NetworkConnectedApp"];

const appsKey = [...networkKeys.all, "apps"] as const;

export default function ConnectedAppsPage() {
  return <RequireNetworkSession>{() => <ConnectedApps />}</RequireNetworkSession>;
}

function ConnectedApps() {
  const { t } = useTranslation("oauth");
  const apps = useQuery({
    queryKey: appsKey,
    queryFn: () => unwrap(networkApi.GET("/network/api/v1/me/apps")),
  });
  return (
    <>
      <PageHeader title={t("apps.title")} description={t("apps.description")} />
      {apps.isPending ? (
        <ListSkeleton rows={2} />
      ) : apps.isError ? (
        <ErrorState error={apps.error} onRetry={() => void apps.refetch()} />
      ) : apps.data.items.length === 0 ? (
        <EmptyState title={t("apps.empty")}>{t("apps.emptyBody")}</EmptyState>
      ) : (
        <ul className="space-y-3">
          {apps.data.items.map((app) => (
            <ConnectedAppRow key={app.id} app={app} />
          ))}
        </ul>
      )}
    </>
  );
}

function ConnectedAppRow({ app }: { app: ConnectedApp }) {
  const { t } = useTranslation("oauth");
  const { date } = useDateFormat();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () =>
      unwrap(networkApi.DELETE("/network/api/v1/me/apps/{app_id}", { params: { path: { app_id: app.id } } })),
    onSuccess: () => {
      setConfirming(false);
      toast.success(t("apps.removed", { app: app.name }));
      void queryClient.invalidateQueries({ queryKey: appsKey });
    },
    onError: (error) => showError(error),
  });
  return (
    <li className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="truncate font-semibold">{app.name}</h2>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">{t("apps.since", { date: date(app.since) })}</p>
        </div>
        <Button
          variant="secondary"
          size="sm"
          aria-label={`${t("apps.remove")} ${app.name}`}
          onClick={() => setConfirming(true)}
        >
          {t("apps.remove")}
        </Button>
      </div>
      <div className="mt-3">
        <ScopeList scopes={app.scopes} />
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t("apps.removeTitle", { app: app.name })}
        description={t("apps.removeDescription", { app: app.name })}
        confirmLabel={t("apps.remove")}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
      />
    </li>
  );
}
