/**
 * Follow / Requested / Following for one person. Following asks before unfollowing (a private account would
 * need a new request); Requested withdraws the request at once. Signed out, it leads to the sign-in page.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { toast } from "sonner";
import { showError } from "@/api/errors";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { cn } from "@/lib/cn";
import { useNetworkMe, type FollowState } from "../api";
import { useFollow } from "../queries";

interface FollowButtonProps {
  username: string;
  /** The viewer's state towards the person; undefined when unknown (lists do not tell), shown as Follow. */
  state: FollowState | undefined;
  size?: "sm" | "md";
  className?: string;
}

export function FollowButton({ username, state, size = "sm", className }: FollowButtonProps) {
  const { t } = useTranslation("network");
  const me = useNetworkMe();
  const location = useLocation();
  const follow = useFollow(username);
  const [confirming, setConfirming] = useState(false);

  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <Link
        to={`/network/signin?next=${next}`}
        className={cn(
          "inline-flex items-center rounded-md bg-brand-600 font-medium text-white hover:bg-brand-700",
          size === "sm" ? "h-8 px-3 text-sm" : "h-10 px-4 text-sm",
          className,
        )}
      >
        {t("follow.follow")}
      </Link>
    );
  }

  const run = (doFollow: boolean) =>
    follow.mutate(doFollow, {
      onSuccess: (status) => {
        setConfirming(false);
        const key =
          status.state === "following" ? "followed" : status.state === "requested" ? "requested" : "unfollowed";
        toast.success(
          t(`follow.toast.${doFollow ? key : state === "requested" ? "cancelled" : "unfollowed"}`, { username }),
        );
      },
      onError: (error) => showError(error),
    });

  if (state === "following") {
    return (
      <>
        <Button variant="secondary" size={size} className={className} onClick={() => setConfirming(true)}>
          {t("follow.following")}
        </Button>
        <ConfirmDialog
          open={confirming}
          onOpenChange={setConfirming}
          title={t("follow.unfollowTitle", { username })}
          description={t("follow.unfollowDescription")}
          confirmLabel={t("follow.unfollow")}
          busy={follow.isPending}
          onConfirm={() => run(false)}
        />
      </>
    );
  }
  if (state === "requested") {
    return (
      <Button
        variant="secondary"
        size={size}
        className={className}
        loading={follow.isPending}
        title={t("follow.cancelRequest")}
        onClick={() => run(false)}
      >
        {t("follow.requested")}
      </Button>
    );
  }
  return (
    <Button size={size} className={className} loading={follow.isPending} onClick={() => run(true)}>
      {t("follow.follow")}
    </Button>
  );
}
