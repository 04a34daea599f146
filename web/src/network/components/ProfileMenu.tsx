/** The profile's "…" menu: block or unblock someone else; for oneself, requests, settings and signing out. */
import { MoreHorizontal } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { showError } from "@/api/errors";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { Menu, MenuItem, MenuSeparator } from "@/components/ui/Menu";
import type { Profile } from "../api";
import { useBlock, useNetworkSignOut } from "../queries";

/** An element, not a component: Radix's Trigger (asChild) gives it the props and ref that open the menu. */
function menuTrigger(label: string) {
  return (
    <Button variant="ghost" size="icon" aria-label={label}>
      <MoreHorizontal aria-hidden className="h-5 w-5" />
    </Button>
  );
}

export function OwnProfileMenu() {
  const { t } = useTranslation("network");
  const navigate = useNavigate();
  const signOut = useNetworkSignOut();
  return (
    <Menu trigger={menuTrigger(t("profile.moreOptions"))} label={t("profile.moreOptions")}>
      <MenuItem onSelect={() => navigate("/network/settings/profile")}>{t("profile.edit")}</MenuItem>
      <MenuItem onSelect={() => navigate("/network/requests")}>{t("requests.title")}</MenuItem>
      <MenuSeparator />
      <MenuItem
        onSelect={() =>
          signOut.mutate(undefined, {
            onSuccess: () => toast.success(t("signOut.done")),
            onError: (error) => showError(error),
            onSettled: () => navigate("/network/signin", { replace: true }),
          })
        }
      >
        {t("signOut.action")}
      </MenuItem>
    </Menu>
  );
}

export function PersonMenu({ profile }: { profile: Profile }) {
  const { t } = useTranslation("network");
  const block = useBlock(profile.username);
  const [confirming, setConfirming] = useState(false);
  const username = profile.username;

  const run = (doBlock: boolean) =>
    block.mutate(doBlock, {
      onSuccess: () => {
        setConfirming(false);
        toast.success(t(doBlock ? "block.blocked" : "block.unblocked", { username }));
      },
      onError: (error) => showError(error),
    });

  return (
    <>
      <Menu trigger={menuTrigger(t("profile.moreOptions"))} label={t("profile.moreOptions")}>
        {profile.blocked_by_viewer ? (
          <MenuItem onSelect={() => run(false)}>{t("block.unblock")}</MenuItem>
        ) : (
          <MenuItem danger onSelect={() => setConfirming(true)}>
            {t("block.block")}
          </MenuItem>
        )}
      </Menu>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t("block.confirmTitle", { username })}
        description={t("block.confirmDescription")}
        confirmLabel={t("block.block")}
        busy={block.isPending}
        onConfirm={() => run(true)}
      />
    </>
  );
}
