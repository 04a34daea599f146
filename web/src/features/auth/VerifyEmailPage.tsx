/** `/verify-email?token=`: the page a verification mail links to; it spends the token as soon as it opens. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useSearchParams } from "react-router";
import { api } from "@/api/client";
import { errorMessage } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { queryKeys, useMe } from "@/app/session";
import { useResendVerification } from "@/components/EmailVerificationNotice";
import { Button } from "@/components/ui/Button";
import AuthLayout from "./AuthLayout";
import { isInvalidLink } from "./invalidLink";
import { Outcome } from "./Outcome";
import { TextLink } from "./TextLink";

export default function VerifyEmailPage() {
  const { t } = useTranslation("auth");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const queryClient = useQueryClient();

  const verify = useMutation({
    mutationFn: (value: string) => unwrap(api.POST("/api/v1/auth/verify-email", { body: { token: value } })),
    // The signed-in account (if it is this one) now shows as verified.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.me }),
  });

  // A token works once: post it once per token, even when StrictMode runs effects twice.
  const posted = useRef<string | null>(null);
  const { mutate } = verify;
  useEffect(() => {
    if (!token || posted.current === token) return;
    posted.current = token;
    mutate(token);
  }, [token, mutate]);

  if (verify.isSuccess) {
    return (
      <AuthLayout title={t("verify.doneTitle")}>
        <Outcome kind="done" message={t("verify.done")}>
          <TextLink to="/">{t("verify.openApp")}</TextLink>
        </Outcome>
      </AuthLayout>
    );
  }
  if (!token || verify.isError) {
    const reason = !token || isInvalidLink(verify.error) ? t("verify.invalid") : errorMessage(verify.error);
    return <VerificationFailed reason={reason} />;
  }
  return (
    <AuthLayout title={t("verify.title")}>
      <div role="status" className="flex flex-col items-center gap-3 text-center">
        <Loader2 aria-hidden className="h-8 w-8 animate-spin text-brand-600 dark:text-brand-500" />
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{t("verify.verifying")}</p>
      </div>
    </AuthLayout>
  );
}

/** Why the link did not work, and the way out: a new link when signed in, signing in first otherwise. */
function VerificationFailed({ reason }: { reason: string }) {
  const { t } = useTranslation("auth");
  const me = useMe();
  const location = useLocation();
  const resend = useResendVerification(me.data?.email ?? "");

  return (
    <AuthLayout title={t("verify.failedTitle")}>
      <Outcome kind="failed" message={reason}>
        {me.data ? (
          <Button loading={resend.isPending} onClick={() => resend.mutate()}>
            {t("verify.resend")}
          </Button>
        ) : (
          !me.isPending && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {t("verify.signInToResend")} {/* Back here after signing in, where the button above then appears. */}
              <TextLink to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`}>
                {t("verify.signIn")}
              </TextLink>
            </p>
          )
        )}
      </Outcome>
    </AuthLayout>
  );
}
