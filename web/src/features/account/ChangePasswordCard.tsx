import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { MIN_PASSWORD_LENGTH } from "@/lib/passwords";
import { accountKeys } from "./queries";

const FIELDS = ["current_password", "new_password"] as const;

export function ChangePasswordCard() {
  const { t } = useTranslation("account");
  const queryClient = useQueryClient();
  const schema = useMemo(
    () =>
      z
        .object({
          current_password: z.string().min(1, t("password.currentRequired")),
          new_password: z.string().min(MIN_PASSWORD_LENGTH, t("password.tooShort", { min: MIN_PASSWORD_LENGTH })),
          confirm_password: z.string(),
        })
        .refine((values) => values.new_password === values.confirm_password, {
          path: ["confirm_password"],
          message: t("password.mismatch"),
        }),
    [t],
  );
  const form = useForm({
    resolver: zodResolver(schema),
    defaultValues: { current_password: "", new_password: "", confirm_password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ current_password, new_password }) => {
    try {
      await unwrap(api.POST("/api/v1/auth/password", { body: { current_password, new_password } }));
      form.reset();
      // The server ended every other session.
      void queryClient.invalidateQueries({ queryKey: accountKeys.sessions });
      toast.success(t("password.changed"));
    } catch (error) {
      showError(error, { setError: form.setError, fields: FIELDS });
    }
  });

  return (
    <Card title={t("password.title")} description={t("password.description")}>
      <form onSubmit={onSubmit} noValidate className="max-w-md space-y-4">
        <FormError message={errors.root?.server?.message} />
        <Field label={t("password.current")} error={errors.current_password?.message}>
          {(control) => (
            <Input
              {...control}
              {...form.register("current_password")}
              type="password"
              autoComplete="current-password"
            />
          )}
        </Field>
        <Field
          label={t("password.new")}
          error={errors.new_password?.message}
          hint={t("password.hint", { min: MIN_PASSWORD_LENGTH })}
        >
          {(control) => (
            <Input {...control} {...form.register("new_password")} type="password" autoComplete="new-password" />
          )}
        </Field>
        <Field label={t("password.confirm")} error={errors.confirm_password?.message}>
          {(control) => (
            <Input {...control} {...form.register("confirm_password")} type="password" autoComplete="new-password" />
          )}
        </Field>
        <Button type="submit" loading={isSubmitting}>
          {t("password.submit")}
        </Button>
      </form>
    </Card>
  );
}
