/**
 * `/forgot-password`: mails a reset link. The answer is the same whether or not the address has an account,
 * so this page cannot be used to learn who has one.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import AuthLayout from "./AuthLayout";
import { Outcome } from "./Outcome";
import { emailField } from "./schemas";
import { TextLink } from "./TextLink";

export default function ForgotPasswordPage() {
  const { t } = useTranslation("auth");
  const [sentTo, setSentTo] = useState<string | null>(null);

  const schema = useMemo(() => z.object({ email: emailField(t) }), [t]);
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { email: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ email }) => {
    try {
      await unwrap(api.POST("/api/v1/auth/password/forgot", { body: { email } }));
      setSentTo(email);
    } catch (error) {
      showError(error, { setError: form.setError, fields: ["email"] });
    }
  });

  const footer = (
    <p>
      <TextLink to="/signin">{t("forgot.backToSignIn")}</TextLink>
    </p>
  );

  if (sentTo) {
    return (
      <AuthLayout title={t("forgot.title")} footer={footer}>
        <Outcome kind="sent" message={t("forgot.sent", { email: sentTo })}>
          <Button variant="secondary" size="sm" onClick={() => setSentTo(null)}>
            {t("forgot.tryAnother")}
          </Button>
        </Outcome>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t("forgot.title")} description={t("forgot.description")} footer={footer}>
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormError message={errors.root?.server?.message} />
        <Field label={t("fields.email")} error={errors.email?.message}>
          {(control) => (
            <Input {...control} type="email" autoComplete="email" inputMode="email" {...form.register("email")} />
          )}
        </Field>
        <Button type="submit" className="w-full justify-center" loading={isSubmitting}>
          {t("forgot.submit")}
        </Button>
      </form>
    </AuthLayout>
  );
}
