import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap, type Schemas } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/ui/States";
import { useDateFormat } from "@/lib/dates";
import { CreateTokenDialog } from "./CreateTokenDialog";
import { accountKeys, useApiTokens } from "./queries";

type Token = Schemas["ApiTokenInfo"];

/** Personal API tokens: scripts act as the person, within the scopes given. */
export function TokensCard() {
  const { t } = useTranslation("account");
  const tokens = useApiTokens();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token | null>(null);
  return (
    <Card title={t("tokens.title")} description={t("tokens.description")}>
      <div className="mb-4">
        <Button onClick={() => setCreating(true)}>
          <Plus aria-hidden className="h-4 w-4" />
          {t("tokens.create")}
        </Button>
      </div>
      {tokens.isPending ? (
        <ListSkeleton rows={2} />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title={t("tokens.empty")}>{t("tokens.emptyHint")}</EmptyState>
      ) : (
        <>
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {tokens.data.map((token) => (
              <TokenRow key={token.id} token={token} onRevoke={() => setRevoking(token)} />
            ))}
          </ul>
          <LoadMoreButton query={tokens} />
        </>
      )}
      <CreateTokenDialog open={creating} onOpenChange={setCreating} />
      <RevokeTokenDialog token={revoking} onDone={() => setRevoking(null)} />
    </Card>
  );
}

function TokenRow({ token, onRevoke }: { token: Token; onRevoke: () => void }) {
  const { t } = useTranslation("account");
  const format = useDateFormat();
  const expired = token.expires_at !== null && new Date(token.expires_at) <= new Date();
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start">
      <div className="min-w-0 flex-1 space-y-1">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium">{token.name}</span>
          <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">{token.display_prefix}…</code>
          {expired && (
            <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
              {t("tokens.expired")}
            </span>
          )}
        </p>
        <ul aria-label={t("tokens.scopes")} className="flex flex-wrap gap-1">
          {token.scopes.map((scope) => (
            <li
              key={scope}
              className="rounded border border-zinc-200 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-700"
            >
              {scope}
            </li>
          ))}
        </ul>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {[
            t("tokens.createdAt", { date: format.dateTime(token.created_at) }),
            token.expires_at
              ? t("tokens.expiresAt", { date: format.dateTime(token.expires_at) })
              : t("tokens.neverExpires"),
            token.last_used_at
              ? t("tokens.lastUsedAt", { date: format.dateTime(token.last_used_at) })
              : t("tokens.neverUsed"),
          ].join(" · ")}
        </p>
      </div>
      <Button
        variant="secondary"
        size="sm"
        className="self-start"
        onClick={onRevoke}
        aria-label={t("tokens.revokeLabel", { name: token.name })}
      >
        {t("tokens.revoke")}
      </Button>
    </li>
  );
}

function RevokeTokenDialog({ token, onDone }: { token: Token | null; onDone: () => void }) {
  const { t } = useTranslation("account");
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/auth/tokens/{token_id}", { params: { path: { token_id: id } } })),
    onSuccess: () => {
      toast.success(t("tokens.revoked"));
      void queryClient.invalidateQueries({ queryKey: accountKeys.tokens });
      onDone();
    },
    onError: (error) => showError(error),
  });
  return (
    <ConfirmDialog
      open={token !== null}
      onOpenChange={(open) => !open && onDone()}
      title={t("tokens.revokeTitle")}
      description={t("tokens.revokeDescription", { name: token?.name ?? "" })}
      confirmLabel={t("tokens.revokeConfirm")}
      busy={revoke.isPending}
      onConfirm={() => token && revoke.mutate(token.id)}
    />
  );
}
