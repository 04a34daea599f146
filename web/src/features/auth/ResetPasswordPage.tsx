/** `/reset-password?token=`: the page a reset mail links to; a new password ends every session of the account. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { z } from "zod";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { useResetSession } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { MIN_PASSWORD_LENGTH } from "@/lib/passwords";
import AuthLayout from "./AuthLayout";
import { isInvalidLink } from "./invalidLink";
import { Outcome } from "./Outcome";
import { newPasswordField } from "./schemas";
import { TextLink } from "./TextLink";

type Outcome = "form" | "done" | "invalid";

export default function ResetPasswordPage() {
  const { t } = useTranslation("auth");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [outcome, setOutcome] = useState<Outcome>(token ? "form" : "invalid");

  if (outcome === "invalid") return <InvalidResetLink />;
  if (outcome === "done") {
    return (
      <AuthLayout title={t("reset.doneTitle")}>
        <Outcome kind="done" message={t("reset.done")}>
          <TextLink to="/signin">{t("reset.signIn")}</TextLink>
        </Outcome>
      </AuthLayout>
    );
  }
  return <ResetForm token={token} onDone={() => setOutcome("done")} onInvalid={() => setOutcome("invalid")} />;
}

function ResetForm({ token, onDone, onInvalid }: { token: string; onDone: () => void; onInvalid: () => void }) {
  const { t } = useTranslation("auth");
  const resetSession = useResetSession();

  const schema = useMemo(
    () =>
      z
        .object({ new_password: newPasswordField(t), confirm: z.string().min(1, t("validation.confirmRequired")) })
        .refine((values) => values.new_password === values.confirm, {
          message: t("validation.passwordsDiffer"),
          path: ["confirm"],
        }),
    [t],
  );
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { new_password: "", confirm: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ new_password }) => {
    try {
      await unwrap(api.POST("/api/v1/auth/password/reset", { body: { token, new_password } }));
    } catch (error) {
      if (isInvalidLink(error)) onInvalid();
      else showError(error, { setError: form.setError, fields: ["new_password"] });
      return;
    }
    // The reset ended every session of the account, this browser's too if it had one.
    resetSession();
    onDone();
  });

  return (
    <AuthLayout title={t("reset.title")} description={t("reset.description")}>
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormError message={errors.root?.server?.message} />
        <Field
          label={t("fields.newPassword")}
          error={errors.new_password?.message}
          hint={t("passwordHint", { min: MIN_PASSWORD_LENGTH })}
        >
          {(control) => (
            <Input {...control} type="password" autoComplete="new-password" {...form.register("new_password")} />
          )}
        </Field>
        <Field label={t("fields.confirmPassword")} error={errors.confirm?.message}>
          {(control) => (
            <Input {...control} type="password" autoComplete="new-password" {...form.register("confirm")} />
          )}
        </Field>
        <Button type="submit" className="w-full justify-center" loading={isSubmitting}>
          {t("reset.submit")}
        </Button>
      </form>
    </AuthLayout>
  );
}

function InvalidResetLink() {
  const { t } = useTranslation("auth");
  return (
    <AuthLayout title={t("reset.invalidTitle")}>
      <Outcome kind="failed" message={t("reset.invalid")}>
        <TextLink to="/forgot-password">{t("reset.askAgain")}</TextLink>
      </Outcome>
    </AuthLayout>
  );
}
