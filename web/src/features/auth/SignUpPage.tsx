/**
 * `/signup`: a new account. The server mails a verification link but does not sign in, so we sign in with the
 * same credentials and go to "/", which leads a person without workspaces to /welcome to create one.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate } from "react-router";
import { toast } from "sonner";
import { z } from "zod";
import { api } from "@/api/client";
import { errorMessage, showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { useMe } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { MIN_PASSWORD_LENGTH } from "@/lib/passwords";
import AuthLayout from "./AuthLayout";
import { AuthPageSkeleton } from "./AuthPageSkeleton";
import { emailField, nameField, newPasswordField } from "./schemas";
import { TextLink } from "./TextLink";
import { useSignIn } from "./useSignIn";

const FIELDS = ["name", "email", "password"] as const;

export default function SignUpPage() {
  const { t } = useTranslation("auth");
  const me = useMe();
  const signIn = useSignIn();
  const navigate = useNavigate();

  const schema = useMemo(
    () => z.object({ name: nameField(t), email: emailField(t), password: newPasswordField(t) }),
    [t],
  );
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { name: "", email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await unwrap(api.POST("/api/v1/auth/signup", { body: values }));
    } catch (error) {
      showError(error, { setError: form.setError, fields: FIELDS });
      return;
    }
    try {
      await signIn.mutateAsync({ email: values.email, password: values.password });
    } catch (error) {
      // The account exists now; only the sign-in failed (a rate limit, say): the sign-in page can finish it.
      toast.error(t("signUp.createdSignInFailed", { reason: errorMessage(error) }));
      navigate("/signin", { replace: true });
      return;
    }
    toast.success(t("signUp.created", { email: values.email }));
    navigate("/", { replace: true });
  });

  if (me.isPending) return <AuthPageSkeleton title={t("signUp.title")} rows={3} />;
  // Already signed in (and not by this form, which navigates by itself): nothing to create here.
  if (me.data && signIn.isIdle && !isSubmitting) return <Navigate to="/" replace />;

  return (
    <AuthLayout
      title={t("signUp.title")}
      description={t("signUp.description")}
      footer={
        <p>
          {t("signUp.haveAccount")} <TextLink to="/signin">{t("signUp.signIn")}</TextLink>
        </p>
      }
    >
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormError message={errors.root?.server?.message} />
        <Field label={t("fields.name")} error={errors.name?.message}>
          {(control) => <Input {...control} autoComplete="name" {...form.register("name")} />}
        </Field>
        <Field label={t("fields.email")} error={errors.email?.message}>
          {(control) => (
            <Input {...control} type="email" autoComplete="email" inputMode="email" {...form.register("email")} />
          )}
        </Field>
        <Field
          label={t("fields.password")}
          error={errors.password?.message}
          hint={t("passwordHint", { min: MIN_PASSWORD_LENGTH })}
        >
          {(control) => (
            <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />
          )}
        </Field>
        <Button type="submit" className="w-full justify-center" loading={isSubmitting}>
          {t("signUp.submit")}
        </Button>
      </form>
    </AuthLayout>
  );
}
