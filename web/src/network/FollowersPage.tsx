/** `/network/:username/followers`. */
import { PeopleListPage } from "./components/PeopleListPage";

export default function FollowersPage() {
  return <PeopleListPage kind="followers" />;
}
