/** `/signin?next=`: email and password; then back to the page that asked for a session. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { z } from "zod";
import { showError } from "@/api/errors";
import { ApiError } from "@/api/problem";
import { useMe } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import AuthLayout from "./AuthLayout";
import { AuthPageSkeleton } from "./AuthPageSkeleton";
import { safeNext } from "./safeNext";
import { currentPasswordField, emailField } from "./schemas";
import { TextLink } from "./TextLink";
import { useSignIn } from "./useSignIn";

export default function SignInPage() {
  const { t } = useTranslation("auth");
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const me = useMe();
  const signIn = useSignIn();
  const navigate = useNavigate();

  const schema = useMemo(() => z.object({ email: emailField(t), password: currentPasswordField(t) }), [t]);
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await signIn.mutateAsync(values);
      navigate(next, { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        // The server does not say which of the two is wrong (on purpose); neither do we.
        form.setError("root.server", { type: "server", message: t("signIn.wrongCredentials") });
        return;
      }
      showError(error, { setError: form.setError, fields: ["email", "password"] });
    }
  });

  // Someone already signed in (a bookmarked /signin, the back button) goes straight on. Not while this form
  // signs in: the submit handler navigates then.
  if (me.isPending) return <AuthPageSkeleton title={t("signIn.title")} />;
  if (me.data && signIn.isIdle) return <Navigate to={next} replace />;

  return (
    <AuthLayout
      title={t("signIn.title")}
      description={t("signIn.description")}
      footer={
        <p>
          {t("signIn.noAccount")} <TextLink to="/signup">{t("signIn.signUp")}</TextLink>
        </p>
      }
    >
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormError message={errors.root?.server?.message} />
        <Field label={t("fields.email")} error={errors.email?.message}>
          {(control) => (
            <Input {...control} type="email" autoComplete="username" inputMode="email" {...form.register("email")} />
          )}
        </Field>
        <Field label={t("fields.password")} error={errors.password?.message}>
          {(control) => (
            <Input {...control} type="password" autoComplete="current-password" {...form.register("password")} />
          )}
        </Field>
        <div className="flex justify-end">
          <TextLink to="/forgot-password" className="text-sm">
            {t("signIn.forgot")}
          </TextLink>
        </div>
        <Button type="submit" className="w-full justify-center" loading={isSubmitting}>
          {t("signIn.submit")}
        </Button>
      </form>
    </AuthLayout>
  );
}
