import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/ui/Card";
import { ChangePasswordCard } from "./ChangePasswordCard";
import { SessionsCard } from "./SessionsCard";
import { TokensCard } from "./TokensCard";

/** `/w/:id/settings/security`: the password, where the account is signed in, and API tokens. */
export default function SecurityPage() {
  const { t } = useTranslation("account");
  return (
    <div className="space-y-6">
      <PageHeader title={t("security.title")} description={t("security.description")} />
      <ChangePasswordCard />
      <SessionsCard />
      <TokensCard />
    </div>
  );
}
