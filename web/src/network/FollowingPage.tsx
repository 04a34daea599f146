/** `/network/:username/following`. */
import { PeopleListPage } from "./components/PeopleListPage";

export default function FollowingPage() {
  return <PeopleListPage kind="following" />;
}
