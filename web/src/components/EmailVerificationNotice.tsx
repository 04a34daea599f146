import { useMutation, useQueryClient } from "@tanstack/react-query";
import { MailWarning } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { ApiError, unwrap } from "@/api/problem";
import { queryKeys } from "@/app/session";
import { Button } from "@/components/ui/Button";

/** Mails the signed-in person a new verification link (the banner below and the failed-link page use it). */
export function useResendVerification(email: string) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/verify-email/resend")),
    onSuccess: () => toast.success(t("verifyEmail.sent", { email })),
    onError: (error) => {
      // Verified meanwhile (in another tab, say): refresh the account so the notices go away.
      if (error instanceof ApiError && error.status === 409) {
        toast.success(t("verifyEmail.already"));
        void queryClient.invalidateQueries({ queryKey: queryKeys.me });
        return;
      }
      showError(error);
    },
  });
}

/** Tells a person whose address is not verified yet, and mails the link again on request. */
export function EmailVerificationNotice({ email }: { email: string }) {
  const { t } = useTranslation();
  const resend = useResendVerification(email);
  return (
    <div className="flex flex-col gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 sm:flex-row sm:items-center dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <MailWarning aria-hidden className="h-5 w-5 shrink-0" />
      <p className="flex-1">{t("verifyEmail.notice", { email })}</p>
      <Button
        variant="secondary"
        size="sm"
        loading={resend.isPending}
        onClick={() => resend.mutate()}
        className="self-start sm:self-auto"
      >
        {t("verifyEmail.resend")}
      </Button>
    </div>
  );
}
