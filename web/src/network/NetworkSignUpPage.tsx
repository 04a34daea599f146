/**
 * `/network/signup?next=`: a Sandbox account (apart from any Viewfinder account). The server creates it without
 * signing in, so we sign in with the same credentials, then go on to `next` or the new profile.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { toast } from "sonner";
import { z } from "zod";
import { errorMessage, showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { MIN_PASSWORD_LENGTH } from "@/lib/passwords";
import { networkApi, useNetworkMe } from "./api";
import { AuthFormSkeleton, NetworkAuthLayout } from "./components/NetworkAuthLayout";
import { useNetworkSignIn } from "./queries";
import { networkNext } from "./safeNext";
import { MAX_USERNAME_LENGTH, usernameField } from "./username";

const FIELDS = ["email", "username", "name", "password"] as const;
const MAX_NAME_LENGTH = 64;

export default function NetworkSignUpPage() {
  const { t } = useTranslation("network");
  const [params] = useSearchParams();
  const next = params.get("next");
  const me = useNetworkMe();
  const signIn = useNetworkSignIn();
  const navigate = useNavigate();

  const schema = useMemo(
    () =>
      z.object({
        email: z
          .string()
          .trim()
          .min(1, t("validation.emailRequired"))
          .pipe(z.email(t("validation.emailInvalid"))),
        username: usernameField(t),
        name: z
          .string()
          .trim()
          .min(1, t("validation.nameRequired"))
          .max(MAX_NAME_LENGTH, t("validation.nameTooLong", { max: MAX_NAME_LENGTH })),
        password: z
          .string()
          .min(1, t("validation.passwordRequired"))
          .min(MIN_PASSWORD_LENGTH, t("validation.passwordTooShort", { min: MIN_PASSWORD_LENGTH })),
      }),
    [t],
  );
  const form = useForm({
    resolver: zodResolver(schema),
    defaultValues: { email: "", username: "", name: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    let username: string;
    try {
      username = (await unwrap(networkApi.POST("/network/api/v1/auth/signup", { body: values }))).username;
    } catch (error) {
      showError(error, { setError: form.setError, fields: FIELDS });
      return;
    }
    try {
      await signIn.mutateAsync({ login: values.email, password: values.password });
    } catch (error) {
      // The account exists now; only signing in failed (a rate limit, say): the sign-in page can finish it.
      toast.error(t("signUp.createdSignInFailed", { reason: errorMessage(error) }));
      navigate("/network/signin", { replace: true });
      return;
    }
    toast.success(t("signUp.created"));
    navigate(networkNext(next, `/network/${username}`), { replace: true });
  });

  if (me.isPending) return <AuthFormSkeleton />;
  if (me.data && signIn.isIdle && !isSubmitting) {
    return <Navigate to={networkNext(next, `/network/${me.data.username}`)} replace />;
  }

  return (
    <NetworkAuthLayout
      title={t("signUp.title")}
      description={t("signUp.description")}
      footer={
        <p>
          {t("signUp.haveAccount")}{" "}
          <Link
            to={`/network/signin${next ? `?next=${encodeURIComponent(next)}` : ""}`}
            className="font-semibold text-brand-600 dark:text-brand-500"
          >
            {t("signUp.signIn")}
          </Link>
        </p>
      }
    >
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <FormError message={errors.root?.server?.message} />
        <Field label={t("fields.email")} error={errors.email?.message}>
          {(control) => (
            <Input {...control} type="email" autoComplete="email" inputMode="email" {...form.register("email")} />
          )}
        </Field>
        <Field
          label={t("fields.username")}
          error={errors.username?.message}
          hint={t("usernameHint", { max: MAX_USERNAME_LENGTH })}
        >
          {(control) => (
            <Input
              {...control}
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              {...form.register("username")}
            />
          )}
        </Field>
        <Field label={t("fields.name")} error={errors.name?.message}>
          {(control) => <Input {...control} autoComplete="name" {...form.register("name")} />}
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
    </NetworkAuthLayout>
  );
}
