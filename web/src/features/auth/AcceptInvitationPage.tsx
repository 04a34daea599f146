/**
 * `/invitations/:token`: the page an invitation mail links to. It shows what the invitation is for; a signed-in
 * person accepts it, someone new creates an account for the invited address (which joins them at once).
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { toast } from "sonner";
import { z } from "zod";
import { api } from "@/api/client";
import { errorMessage, showError } from "@/api/errors";
import { ApiError, unwrap, type Schemas } from "@/api/problem";
import { queryKeys, useMe, type Account } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { ErrorState, Skeleton } from "@/components/ui/States";
import { useDateFormat } from "@/lib/dates";
import { MIN_PASSWORD_LENGTH } from "@/lib/passwords";
import AuthLayout from "./AuthLayout";
import { AuthPageSkeleton } from "./AuthPageSkeleton";
import { hasErrorCode } from "./invalidLink";
import { Outcome } from "./Outcome";
import { nameField, newPasswordField } from "./schemas";
import { TextLink } from "./TextLink";
import { useSignIn } from "./useSignIn";

type Preview = Schemas["InvitationPreview"];
const INVITATION_KEY = "invitation";

export default function AcceptInvitationPage() {
  const { t } = useTranslation("auth");
  const token = useParams().token ?? "";
  const me = useMe();
  const preview = useQuery({
    queryKey: [INVITATION_KEY, token],
    queryFn: () => unwrap(api.GET("/api/v1/invitations/{token}", { params: { path: { token } } })),
  });

  if (preview.isPending) return <AuthPageSkeleton title={t("invitation.loadingTitle")} />;
  if (preview.isError) {
    // 404: no such link; 410: accepted, withdrawn or expired. Anything else may pass: offer to try again.
    if (preview.error instanceof ApiError && [404, 410].includes(preview.error.status)) {
      return <InvitationUnavailable error={preview.error} />;
    }
    return (
      <AuthLayout title={t("invitation.loadingTitle")}>
        <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
      </AuthLayout>
    );
  }

  const invitation = preview.data;
  const footer = me.data ? null : (
    <p>
      <TextLink to={`/signin?next=${encodeURIComponent(`/invitations/${token}`)}`}>
        {t("invitation.haveAccount")}
      </TextLink>
    </p>
  );
  return (
    <AuthLayout
      title={t("invitation.title", { workspace: invitation.workspace_name })}
      description={
        invitation.invited_by_name
          ? t("invitation.invitedBy", { name: invitation.invited_by_name, workspace: invitation.workspace_name })
          : t("invitation.invited", { workspace: invitation.workspace_name })
      }
      footer={footer}
    >
      <InvitationSummary invitation={invitation} />
      <div className="mt-6">
        {me.isPending ? (
          <Skeleton className="h-10 w-full" />
        ) : me.data ? (
          <AcceptAsMember token={token} invitation={invitation} account={me.data} />
        ) : (
          <InvitationSignUpForm token={token} invitation={invitation} />
        )}
      </div>
    </AuthLayout>
  );
}

function InvitationSummary({ invitation }: { invitation: Preview }) {
  const { t } = useTranslation("auth");
  const format = useDateFormat();
  const expires = format.dateTime(invitation.expires_at);
  const rows = [
    { key: "workspace", label: t("invitation.workspace"), value: invitation.workspace_name },
    { key: "role", label: t("invitation.role"), value: t(`common:roles.${invitation.role}`) },
    { key: "email", label: t("fields.email"), value: invitation.email },
    { key: "expires", label: t("invitation.expires"), value: expires },
  ];
  return (
    <dl className="divide-y divide-zinc-200 rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
      {rows.map((row) => (
        <div key={row.key} className="flex flex-col gap-0.5 px-3 py-2 sm:flex-row sm:justify-between sm:gap-4">
          <dt className="text-zinc-500 dark:text-zinc-400">{row.label}</dt>
          <dd className="break-all font-medium sm:text-right">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Signed in: accept as this account, which must be the invited address (the server insists too). */
function AcceptAsMember({ token, invitation, account }: { token: string; invitation: Preview; account: Account }) {
  const { t } = useTranslation("auth");
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const accept = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/invitations/{token}/accept", { params: { path: { token } } })),
    onSuccess: async (workspace) => {
      queryClient.setQueryData(queryKeys.workspace(workspace.id), workspace);
      await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
      toast.success(t("invitation.joined", { workspace: workspace.name }));
      navigate(`/w/${workspace.id}`, { replace: true });
    },
  });

  const signOut = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/logout")),
    onSuccess: () => {
      // Forget everything about the person who signed out (workspaces, sessions, tokens) but the invitation on
      // screen, which stays, now with the sign-up form.
      const kept = new Set<unknown>([INVITATION_KEY, queryKeys.me[0]]);
      queryClient.removeQueries({ predicate: (query) => !kept.has(query.queryKey[0]) });
      queryClient.setQueryData(queryKeys.me, null);
    },
    onError: (error) => showError(error),
  });

  if (account.email.toLowerCase() !== invitation.email.toLowerCase()) {
    return (
      <div className="space-y-4">
        <p
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          {t("invitation.otherAccount", { current: account.email, invited: invitation.email })}
        </p>
        <Button
          variant="secondary"
          className="w-full justify-center"
          loading={signOut.isPending}
          onClick={() => signOut.mutate()}
        >
          {t("invitation.signOut")}
        </Button>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <FormError message={accept.isError ? errorMessage(accept.error) : undefined} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("invitation.signedInAs", { email: account.email })}</p>
      <Button className="w-full justify-center" loading={accept.isPending} onClick={() => accept.mutate()}>
        {t("invitation.accept")}
      </Button>
    </div>
  );
}

/** Signed out: an account for the invited address; the server joins it to the workspace, then we sign in. */
function InvitationSignUpForm({ token, invitation }: { token: string; invitation: Preview }) {
  const { t } = useTranslation("auth");
  const signIn = useSignIn();
  const navigate = useNavigate();

  const schema = useMemo(() => z.object({ name: nameField(t), password: newPasswordField(t) }), [t]);
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { name: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await unwrap(api.POST("/api/v1/invitations/{token}/signup", { params: { path: { token } }, body: values }));
    } catch (error) {
      if (hasErrorCode(error, "email_taken"))
        form.setError("root.server", { type: "server", message: t("invitation.emailTaken") });
      else showError(error, { setError: form.setError, fields: ["name", "password"] });
      return;
    }
    try {
      await signIn.mutateAsync({ email: invitation.email, password: values.password });
    } catch (error) {
      // The account exists and has joined; only the sign-in failed (a rate limit, say).
      toast.error(t("signUp.createdSignInFailed", { reason: errorMessage(error) }));
      navigate("/signin", { replace: true });
      return;
    }
    toast.success(t("invitation.joined", { workspace: invitation.workspace_name }));
    // The new account's only workspace is the one it joined: "/" opens it.
    navigate("/", { replace: true });
  });

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("invitation.signUpIntro")}</p>
      <FormError message={errors.root?.server?.message} />
      <Field label={t("fields.email")} hint={t("invitation.emailFixed")}>
        {(control) => <Input {...control} type="email" value={invitation.email} readOnly autoComplete="username" />}
      </Field>
      <Field label={t("fields.name")} error={errors.name?.message}>
        {(control) => <Input {...control} autoComplete="name" {...form.register("name")} />}
      </Field>
      <Field
        label={t("fields.password")}
        error={errors.password?.message}
        hint={t("passwordHint", { min: MIN_PASSWORD_LENGTH })}
      >
        {(control) => <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />}
      </Field>
      <Button type="submit" className="w-full justify-center" loading={isSubmitting}>
        {t("signUp.submit")}
      </Button>
    </form>
  );
}

function InvitationUnavailable({ error }: { error: ApiError }) {
  const { t } = useTranslation("auth");
  return (
    <AuthLayout title={t("invitation.unavailableTitle")}>
      <Outcome kind="failed" message={error.status === 410 ? t("invitation.gone") : t("invitation.unknown")}>
        {/* The server says which case it is (accepted, withdrawn, expired on a date): the most useful detail. */}
        {error.problem.detail && <p className="text-sm text-zinc-500 dark:text-zinc-400">{error.problem.detail}</p>}
        <div className="flex flex-wrap justify-center gap-4 text-sm">
          <TextLink to="/signin">{t("invitation.signIn")}</TextLink>
          <TextLink to="/">{t("invitation.home")}</TextLink>
        </div>
      </Outcome>
    </AuthLayout>
  );
}
