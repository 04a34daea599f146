/** `/network/signin?next=`: the email or the username, and the password; then back where the person was. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { z } from "zod";
import { showError } from "@/api/errors";
import { ApiError } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { useNetworkMe } from "./api";
import { AuthFormSkeleton, NetworkAuthLayout } from "./components/NetworkAuthLayout";
import { useNetworkSignIn } from "./queries";
import { networkNext } from "./safeNext";

const FIELDS = ["login", "password"] as const;

export default function NetworkSignInPage() {
  const { t } = useTranslation("network");
  const [params] = useSearchParams();
  const next = params.get("next");
  const me = useNetworkMe();
  const signIn = useNetworkSignIn();
  const navigate = useNavigate();

  const schema = useMemo(
    () =>
      z.object({
        login: z.string().trim().min(1, t("validation.loginRequired")),
        password: z.string().min(1, t("validation.passwordRequired")),
      }),
    [t],
  );
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { login: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const person = await signIn.mutateAsync(values);
      navigate(networkNext(next, person ? `/network/${person.username}` : "/network"), { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        // The server does not say which of the two is wrong (on purpose); neither do we.
        form.setError("root.server", { type: "server", message: t("signIn.wrongCredentials") });
        return;
      }
      showError(error, { setError: form.setError, fields: FIELDS });
    }
  });

  if (me.isPending) return <AuthFormSkeleton />;
  // Already signed in (a bookmark, the back button): nothing to do here. Not while this form signs in.
  if (me.data && signIn.isIdle) return <Navigate to={networkNext(next, `/network/${me.data.username}`)} replace />;

  return (
    <NetworkAuthLayout
      title={t("signIn.title")}
      description={t("signIn.description")}
      footer={
        <p>
          {t("signIn.noAccount")}{" "}
          <Link
            to={`/network/signup${next ? `?next=${encodeURIComponent(next)}` : ""}`}
            className="font-semibold text-brand-600 dark:text-brand-500"
          >
            {t("signIn.signUp")}
          </Link>
        </p>
      }
    >
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormError message={errors.root?.server?.message} />
        <Field label={t("fields.login")} error={errors.login?.message}>
          {(control) => (
            <Input {...control} autoComplete="username" autoCapitalize="none" {...form.register("login")} />
          )}
        </Field>
        <Field label={t("fields.password")} error={errors.password?.message}>
          {(control) => (
            <Input {...control} type="password" autoComplete="current-password" {...form.register("password")} />
          )}
        </Field>
        <Button type="submit" className="w-full justify-center" loading={isSubmitting}>
          {t("signIn.submit")}
        </Button>
      </form>
    </NetworkAuthLayout>
  );
}
