import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import type { Workspace } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { useLeaveWorkspace } from "./useLeaveWorkspace";

/** Any member may leave; the server refuses the last owner, whose message then shows. */
export function LeaveWorkspaceCard({ workspace, userId }: { workspace: Workspace; userId: string }) {
  const { t } = useTranslation("workspace");
  const leave = useLeaveWorkspace();
  const [confirming, setConfirming] = useState(false);
  const names = { workspace: workspace.name };

  const removeSelf = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/members/{user_id}", {
          params: { path: { workspace_id: workspace.id, user_id: userId } },
        }),
      ),
    onSuccess: async () => {
      setConfirming(false);
      toast.success(t("leave.done", names));
      await leave(workspace.id);
    },
    onError: (error) => {
      setConfirming(false);
      showError(error);
    },
  });

  return (
    <Card title={t("leave.title")} description={t("leave.description", names)}>
      <Button variant="secondary" onClick={() => setConfirming(true)}>
        {t("leave.button")}
      </Button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t("leave.confirmTitle", names)}
        description={t("leave.confirmDescription", names)}
        confirmLabel={t("leave.button")}
        busy={removeSelf.isPending}
        onConfirm={() => removeSelf.mutate()}
      />
    </Card>
  );
}
