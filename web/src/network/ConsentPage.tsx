/**
 * `/network/authorize`: OAuth's consent page, where `/network/oauth/authorize` sends a person. It shows the app,
 * the account and what the app may do; Allow sends the person back to the app with a code, Cancel with
 * access_denied. Only business and creator accounts can allow (a personal one is told how to switch).
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { errorMessage, showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { Avatar } from "@/components/Avatar";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { ListSkeleton } from "@/components/ui/States";
import { networkApi, networkKeys, type NetworkMe } from "./api";
import { RequireNetworkSession } from "./components/RequireNetworkSession";
import { browser } from "./oauth/leave";
import { ScopeList } from "./oauth/ScopeList";

export default function ConsentPage() {
  return <RequireNetworkSession>{(me) => <Consent me={me} />}</RequireNetworkSession>;
}

/** The authorisation request as `/network/oauth/authorize` passed it on. */
function useAuthorizeRequest() {
  const [search] = useSearchParams();
  return {
    client_id: search.get("client_id") ?? "",
    redirect_uri: search.get("redirect_uri") ?? "",
    scope: search.get("scope") ?? "",
    response_type: search.get("response_type") ?? "",
    state: search.get("state") ?? undefined,
  };
}

function Consent({ me }: { me: NetworkMe }) {
  const { t } = useTranslation("oauth");
  const asked = useAuthorizeRequest();
  const details = useQuery({
    queryKey: [...networkKeys.all, "consent", asked],
    queryFn: () => unwrap(networkApi.GET("/network/api/v1/oauth/consent", { params: { query: asked } })),
    staleTime: Infinity,
  });
  const answer = useMutation({
    mutationFn: (allow: boolean) =>
      unwrap(networkApi.POST("/network/api/v1/oauth/consent", { body: { ...asked, allow } })),
    // The person leaves for the app's own address; the button stays busy until the browser goes.
    onSuccess: ({ redirect_to }) => browser.leaveTo(redirect_to),
    onError: (error) => showError(error),
  });

  if (details.isPending) return <ListSkeleton rows={4} />;
  if (details.isError) {
    return (
      <Card title={t("consent.invalidTitle")} className="mx-auto max-w-md">
        <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-300">
          {errorMessage(details.error)}
        </p>
      </Card>
    );
  }
  const app = details.data.app_name;
  const personal = me.account_type === "personal";
  const busy = answer.isPending || answer.isSuccess;
  return (
    <Card title={t("consent.title", { app })} className="mx-auto max-w-md">
      <div className="space-y-5">
        <div className="flex items-center gap-3 rounded-lg bg-zinc-50 p-3 dark:bg-zinc-800">
          <Avatar name={me.name} url={me.avatar_url} size="md" />
          <div className="min-w-0">
            <p className="text-xs text-zinc-500 dark:text-zinc-400">{t("consent.account")}</p>
            <p className="truncate text-sm font-semibold">@{me.username}</p>
          </div>
        </div>
        <div className="space-y-3">
          <p className="text-sm">{t("consent.description", { app })}</p>
          <ScopeList scopes={details.data.scopes} />
        </div>
        {personal && (
          <div
            role="note"
            className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
          >
            <p className="font-semibold">{t("consent.personalTitle")}</p>
            <p className="mt-1">{t("consent.personalBody", { username: me.username })}</p>
            <Link
              to="/network/settings/profile"
              className="mt-2 inline-block font-semibold text-brand-600 hover:underline dark:text-brand-500"
            >
              {t("consent.switchAccount")}
            </Link>
          </div>
        )}
        <p className="text-xs text-zinc-500 dark:text-zinc-400">{t("consent.revokeHint")}</p>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" disabled={busy} onClick={() => answer.mutate(false)}>
            {t("consent.cancel")}
          </Button>
          <Button
            disabled={personal || busy}
            loading={answer.isPending && answer.variables}
            onClick={() => answer.mutate(true)}
          >
            {t("consent.allow")}
          </Button>
        </div>
      </div>
    </Card>
  );
}
