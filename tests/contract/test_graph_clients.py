"""Proof that the Sandbox network speaks the Instagram Graph API: a real server process, driven by two real client
libraries used as their users use them, unchanged — python-facebook-api (pyfacebook, pointed at the server with
`base_url=`) and facebook-business (Meta's SDK, pointed with `FacebookSession.GRAPH`).

One server serves the whole module, set up once as a developer would: a coffee roaster's business account with
posts, a fan who follows, likes, comments and writes, another business to discover (all through the network's own
API), an app registered with the CLI, and a token from Instagram Login's OAuth flow (consent page, code,
short-lived token, long-lived token).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from facebook_business.adobjects.igcomment import IGComment
from facebook_business.adobjects.igmediaforigonlyapi import IGMediaForIGOnlyAPI
from facebook_business.adobjects.iguser import IGUser
from facebook_business.adobjects.iguserforigonlyapi import IGUserForIGOnlyAPI
from facebook_business.adobjects.shadowighashtag import ShadowIGHashtag
from facebook_business.adobjects.shadowigmediabuilder import ShadowIGMediaBuilder
from facebook_business.api import FacebookAdsApi
from facebook_business.exceptions import FacebookRequestError
from facebook_business.session import FacebookSession
from PIL import Image
from pyfacebook import BasicDisplayAPI, FacebookError, IGBusinessApi

from tests.processes import free_port, running, viewfinder_env, wait_for

# facebook-business warns of fields missing from its generated tables (`media does not allow field id`) and of
# values it cannot check (`platform=instagram`, Meta's documented value, where its enum says INSTAGRAM): advice.
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*does not allow field:UserWarning"),
    pytest.mark.filterwarnings("ignore:value of .* might not be compatible:UserWarning"),
]

NETWORK_API = "/network/api/v1"
PASSWORD = "a contract passphrase 42"
SCOPES = (
    "instagram_business_basic,instagram_business_content_publish,instagram_business_manage_comments,"
    "instagram_business_manage_messages,instagram_business_manage_insights"
)
VERSION = "v21.0"
REDIRECT_URI = "https://client.test/auth/callback"
HASHTAG = "sandboxroast"
FAN_QUESTION = "Do you ship to Milan?"
OTHER_BUSINESS = "north.bakery"
ADMIN_TOKEN = "contract-admin-token"  # the test server's admin API (faults)
POSTS = 12  # more than two pages at the page size the tests ask for
PAGE = 5
MEDIA_FIELDS = "id,caption,media_type,media_product_type,media_url,permalink,timestamp,like_count,comments_count"


@dataclass(frozen=True)
class Network:
    """What the network's people did before the app came: the roaster's posts, the fan's likes, comments and
    question, and another business's posts."""

    posts: list[str]  # the business account's post ids, oldest first
    tagged: list[str]  # those whose caption has #HASHTAG
    fan_comments: dict[str, list[str]]  # post id -> the fan's comments on it, oldest first
    insights_post: str  # liked once and commented once by the fan, touched by nothing else
    fan_id: str  # who wrote to the account: the IGSID the account answers
    bakery_posts: list[str]  # another business account's posts, for business discovery


@dataclass(frozen=True)
class Sandbox:
    base: str  # http://127.0.0.1:PORT
    app_id: str
    app_secret: str
    short_lived: dict[str, Any]  # the OAuth code's token, as the client received it
    long_lived: dict[str, Any]  # the ig_exchange_token answer
    token: str
    user_id: str  # the business account's Graph id
    username: str
    network: Network

    @property
    def graph(self) -> str:
        return f"{self.base}/network/graph"


def _jpeg(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 640), color).save(out, format="JPEG")
    return out.getvalue()


def _viewfinder(env: dict[str, str], *args: str) -> dict[str, Any]:
    """A CLI command's --json answer, run as a developer runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "viewfinder", *args, "--json"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def _signed_in(http: httpx.Client, username: str, name: str) -> dict[str, str]:
    email = f"{username.replace('.', '-')}@example.com"
    body = {"email": email, "password": PASSWORD, "username": username, "name": name}
    signed_up = http.post(f"{NETWORK_API}/auth/signup", json=body)
    assert signed_up.status_code == 201, signed_up.text
    tokens = http.post(f"{NETWORK_API}/auth/login", json={"login": username, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


def _post(http: httpx.Client, headers: dict[str, str], caption: str, color: tuple[int, int, int]) -> str:
    made = http.post(
        f"{NETWORK_API}/posts",
        headers=headers,
        files=[("files", ("photo.jpg", _jpeg(color), "image/jpeg"))],
        data={"caption": caption},
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _comment(http: httpx.Client, headers: dict[str, str], post_id: str, text: str) -> str:
    made = http.post(f"{NETWORK_API}/posts/{post_id}/comments", headers=headers, json={"text": text})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _business(http: httpx.Client, username: str, name: str) -> dict[str, str]:
    headers = _signed_in(http, username, name)
    switched = http.patch(f"{NETWORK_API}/me", headers=headers, json={"account_type": "business"})
    assert switched.status_code == 200, switched.text
    return headers


def _roasts(http: httpx.Client, owner: dict[str, str]) -> tuple[list[str], list[str]]:
    """The roaster's posts, oldest first, and those tagged #HASHTAG (one in three)."""
    posts, tagged = [], []
    for number in range(POSTS):
        caption = f"Roast number {number}" + (f" #{HASHTAG}" if number % 3 == 0 else "")
        posts.append(_post(http, owner, caption, (30 + number * 15, 90, 160)))
        if number % 3 == 0:
            tagged.append(posts[-1])
    return posts, tagged


def _fan_activity(http: httpx.Client, fan: dict[str, str], posts: list[str]) -> dict[str, list[str]]:
    """The fan follows the roaster, comments twice on each of the first two posts, likes and comments once on the
    third, and asks a question in a direct message. Returns its comments on the first two posts."""
    assert http.post(f"{NETWORK_API}/people/lumen.roasters/follow", headers=fan).status_code == 200
    comments = {
        posts[0]: [_comment(http, fan, posts[0], "Lovely crema!"), _comment(http, fan, posts[0], "Which beans?")],
        posts[1]: [_comment(http, fan, posts[1], "Ordering now"), _comment(http, fan, posts[1], "Decaf too?")],
    }
    assert http.post(f"{NETWORK_API}/posts/{posts[2]}/like", headers=fan).status_code in {200, 201, 204}
    _comment(http, fan, posts[2], "Smells like Sunday")
    thread = http.post(f"{NETWORK_API}/messages/threads", headers=fan, json={"username": "lumen.roasters"})
    assert thread.status_code == 200, thread.text
    asked = http.post(
        f"{NETWORK_API}/messages/threads/{thread.json()['id']}/messages", headers=fan, json={"text": FAN_QUESTION}
    )
    assert asked.status_code == 201, asked.text
    return comments


def _network(http: httpx.Client, owner: dict[str, str]) -> Network:
    fan = _signed_in(http, "ada.sips", "Ada Sips")
    posts, tagged = _roasts(http, owner)
    fan_comments = _fan_activity(http, fan, posts)
    bakery = _business(http, OTHER_BUSINESS, "North Bakery")
    bakery_posts = [_post(http, bakery, f"Fresh loaf {number}", (200, 150, 60 + number)) for number in range(3)]
    fan_id = str(http.get(f"{NETWORK_API}/auth/me", headers=fan).json()["id"])
    return Network(posts, tagged, fan_comments, posts[2], fan_id, bakery_posts)


def _populate(base: str, app: dict[str, Any]) -> Sandbox:
    """The network's life, then the roaster's consent to the app through Instagram Login's OAuth flow and the
    exchange of its short-lived token for a long-lived one, as pyfacebook's Instagram Login client does them."""
    with httpx.Client(base_url=base, timeout=30) as http:
        owner = _business(http, "lumen.roasters", "Lumen Roasters")
        network = _network(http, owner)
        login = _instagram_login(base, app["app_id"], app["app_secret"])
        short_lived = _consented(http, owner, login)
    long_lived = login.exchange_long_lived_user_access_token(short_lived["access_token"])
    return Sandbox(
        base=base,
        app_id=app["app_id"],
        app_secret=app["app_secret"],
        short_lived=short_lived,
        long_lived=long_lived,
        token=long_lived["access_token"],
        user_id=str(short_lived["user_id"]),
        username="lumen.roasters",
        network=network,
    )


def _instagram_login(base: str, app_id: str, app_secret: str) -> BasicDisplayAPI:
    """pyfacebook's client of Instagram Login (graph.instagram.com, api.instagram.com/oauth), pointed at the
    Sandbox."""
    return BasicDisplayAPI(
        app_id=app_id,
        app_secret=app_secret,
        oauth_flow=True,
        base_url=f"{base}/network/graph/",
        authorization_url=f"{base}/network/oauth/authorize",
        access_token_url=f"{base}/network/oauth/access_token",
        timeout=30,
    )


def _consented(http: httpx.Client, owner: dict[str, str], login: BasicDisplayAPI) -> dict[str, Any]:
    """The browser's part: the authorisation URL sends it to the consent page, the person allows, and the app's
    redirect URI receives the code, which the client exchanges for a short-lived token."""
    url, state = login.get_authorization_url(redirect_uri=REDIRECT_URI, scope=SCOPES.split(","))
    to_consent = http.get(url)
    assert to_consent.status_code == 302, to_consent.text
    asked = dict(parse_qsl(urlsplit(to_consent.headers["location"]).query))
    consent = http.post(f"{NETWORK_API}/oauth/consent", headers=owner, json={**asked, "allow": True})
    assert consent.status_code == 200, consent.text
    token: dict[str, Any] = login.exchange_user_access_token(
        consent.json()["redirect_to"], redirect_uri=REDIRECT_URI, scope=SCOPES.split(","), state=state
    )
    return token


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Sandbox]:
    """`viewfinder serve` in its embedded mode (SQLite in a fresh data folder, migrated), as a developer runs it."""
    data_dir = tmp_path_factory.mktemp("sandbox")
    (data_dir / "data").mkdir()
    shutil.copy(sqlite_template, data_dir / "data" / "viewfinder.db")
    port = free_port()
    env = viewfinder_env(data_dir / "data", "", PORT=str(port), NETWORK_ADMIN_TOKEN=ADMIN_TOKEN)
    del env["DATABASE_URL"]
    base = f"http://127.0.0.1:{port}"
    log = data_dir / "serve.log"
    with running(["serve"], env, log), pytest.MonkeyPatch.context() as patch:
        # requests-oauthlib refuses a token endpoint without TLS unless told this is a local test.
        patch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
        # Registered while the server starts: the CLI and the server share the database file.
        app = _viewfinder(env, "network", "app", "create", "--name", "Contract", "--redirect-uri", REDIRECT_URI)
        wait_for(lambda: _answers(f"{base}/health/live"), timeout=90, what="the server", log_path=log)
        yield _populate(base, app)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _until(check: Callable[[], str], wanted: str, *, timeout: float = 30) -> str:
    """Poll as a client polls a container: the last value seen once it is `wanted` or the time is up."""
    deadline = time.monotonic() + timeout
    value = check()
    while value != wanted and value in {"IN_PROGRESS", ""} and time.monotonic() < deadline:
        time.sleep(0.5)
        value = check()
    return value


def test_pyfacebook_signs_in_with_instagram_login(sandbox: Sandbox) -> None:
    login = _instagram_login(sandbox.base, sandbox.app_id, sandbox.app_secret)

    me = login.get_object("me", fields="id,user_id,username,account_type", access_token=sandbox.token)

    assert sandbox.short_lived["permissions"] == SCOPES.split(",")
    assert str(sandbox.short_lived["user_id"]) == me["id"]
    assert sandbox.long_lived["token_type"] == "bearer"
    assert sandbox.long_lived["expires_in"] == 60 * 86400
    assert sandbox.long_lived["access_token"] != sandbox.short_lived["access_token"]
    assert me == {
        "id": sandbox.user_id,
        "user_id": sandbox.user_id,
        "username": "lumen.roasters",
        "account_type": "Business",
    }


# pyfacebook: IGBusinessApi, the Instagram business client, with its base URL pointed at the Sandbox


@pytest.fixture(scope="module")
def pyfacebook(sandbox: Sandbox) -> IGBusinessApi:
    return IGBusinessApi(
        app_id=sandbox.app_id,
        app_secret=sandbox.app_secret,  # so that it signs every call with appsecret_proof, as servers should
        access_token=sandbox.token,
        instagram_business_id=sandbox.user_id,
        version=VERSION,
        base_url=f"{sandbox.graph}/",
        timeout=30,
    )


def test_pyfacebook_reads_the_profile(pyfacebook: IGBusinessApi, sandbox: Sandbox) -> None:
    user = pyfacebook.user.get_info()

    assert user.id == sandbox.user_id
    assert user.username == sandbox.username
    assert user.name == "Lumen Roasters"
    assert user.followers_count == 1
    assert user.media_count is not None
    assert user.media_count >= POSTS


def test_pyfacebook_pages_through_all_media(pyfacebook: IGBusinessApi, sandbox: Sandbox) -> None:
    media_count = pyfacebook.user.get_info(fields="media_count").media_count

    media = pyfacebook.user.get_media(count=None, limit=PAGE)

    ids = [item.id for item in media.data]
    assert len(ids) == media_count
    assert len(set(ids)) == len(ids)
    assert set(sandbox.network.posts) <= set(ids)
    assert ids.index(sandbox.network.posts[-1]) < ids.index(sandbox.network.posts[0])  # newest first
    assert {item.media_type for item in media.data} == {"IMAGE"}
    assert all(item.timestamp and item.timestamp.endswith("+0000") for item in media.data)


def test_pyfacebook_publishes_an_image(pyfacebook: IGBusinessApi, sandbox: Sandbox) -> None:
    image_url = pyfacebook.media.get_info(sandbox.network.posts[0], fields="media_url").media_url
    before = pyfacebook.user.get_info(fields="media_count").media_count

    container = pyfacebook.post_object(
        sandbox.user_id, "media", data={"image_url": image_url, "caption": "Published by pyfacebook #contract"}
    )
    status = _until(lambda: pyfacebook.container.get_info(container["id"]).status_code, "FINISHED")
    published = pyfacebook.post_object(sandbox.user_id, "media_publish", data={"creation_id": container["id"]})

    assert status == "FINISHED"
    media = pyfacebook.media.get_info(published["id"], fields="id,caption,media_type,media_url")
    assert media.caption == "Published by pyfacebook #contract"
    assert media.media_type == "IMAGE"
    assert pyfacebook.container.get_info(container["id"]).status_code == "PUBLISHED"
    assert pyfacebook.user.get_info(fields="media_count").media_count == before + 1
    # A client that publishes the same container again (a retry after a lost answer) gets an error, not a twin.
    with pytest.raises(FacebookError) as again:
        pyfacebook.post_object(sandbox.user_id, "media_publish", data={"creation_id": container["id"]})
    assert again.value.code in {9007, 24}
    assert pyfacebook.user.get_info(fields="media_count").media_count == before + 1
    limit = pyfacebook.user.get_content_publishing_limit()
    assert limit.data[0].config.quota_total == 50
    assert limit.data[0].quota_usage >= 1


def test_pyfacebook_reads_insights(pyfacebook: IGBusinessApi, sandbox: Sandbox) -> None:
    account = pyfacebook.user.get_insights(
        metric="reach,views,likes,comments,total_interactions", period="day", metric_type="total_value"
    )
    media = pyfacebook.media.get_insights(sandbox.network.insights_post, metric="likes,comments,saved,shares")

    totals = {metric.name: metric.total_value.value for metric in account.data}
    assert set(totals) == {"reach", "views", "likes", "comments", "total_interactions"}
    assert totals["likes"] == 1  # the fan's one like, today
    assert totals["comments"] >= 5  # the fan's five, and the roaster's own if the comment tests ran first
    assert {metric.period for metric in account.data} == {"day"}
    values = {metric.name: metric.values[0].value for metric in media.data}
    assert values == {"likes": 1, "comments": 1, "saved": 0, "shares": 0}


def test_pyfacebook_searches_a_hashtag_and_reads_its_recent_media(pyfacebook: IGBusinessApi, sandbox: Sandbox) -> None:
    found = pyfacebook.user.get_hashtag_search(q=HASHTAG)
    assert len(found.data) == 1
    hashtag = pyfacebook.hashtag.get_info(found.data[0].id)

    recent = pyfacebook.hashtag.get_recent_media(found.data[0].id, fields="id,caption,timestamp", count=None, limit=2)

    assert hashtag.name == HASHTAG
    assert sorted(item.id for item in recent.data) == sorted(sandbox.network.tagged)
    assert all(f"#{HASHTAG}" in (item.caption or "") for item in recent.data)


def test_pyfacebook_lists_creates_replies_to_and_hides_comments(pyfacebook: IGBusinessApi, sandbox: Sandbox) -> None:
    post = sandbox.network.posts[0]
    listed = pyfacebook.media.get_comments(post, count=None)
    assert sorted(comment.id for comment in listed.data) == sorted(sandbox.network.fan_comments[post])
    assert {comment.text for comment in listed.data} == {"Lovely crema!", "Which beans?"}
    assert {comment.username for comment in listed.data} == {"ada.sips"}
    fan_comment = sandbox.network.fan_comments[post][1]

    created = pyfacebook.post_object(post, "comments", data={"message": "Thank you all!"})
    reply = pyfacebook.post_object(fan_comment, "replies", data={"message": "A Sidamo from Ethiopia"})
    hidden = pyfacebook.post_object(sandbox.network.fan_comments[post][0], data={"hide": "true"})

    assert hidden == {"success": True}
    replies = pyfacebook.comment.get_replies(fan_comment, count=None)
    assert [item.id for item in replies.data] == [reply["id"]]
    assert replies.data[0].text == "A Sidamo from Ethiopia"
    assert pyfacebook.get_object(sandbox.network.fan_comments[post][0], fields="hidden")["hidden"] is True
    after = pyfacebook.media.get_comments(post, count=None)
    assert created["id"] in {comment.id for comment in after.data}
    assert reply["id"] not in {comment.id for comment in after.data}  # top level only
    assert pyfacebook.delete_object(created["id"]) == {"success": True}
    assert created["id"] not in {comment.id for comment in pyfacebook.media.get_comments(post, count=None).data}


def test_pyfacebook_discovers_another_business_and_pages_its_media(pyfacebook: IGBusinessApi, sandbox: Sandbox) -> None:
    other = pyfacebook.user.discovery_user(OTHER_BUSINESS, fields="id,username,name,media_count,followers_count")

    # GraphAPI's own loop follows `.after(cursor)` inside the nested field expression until a page has no cursor.
    media = pyfacebook.discovery_user_media(OTHER_BUSINESS, fields="id,caption,like_count", count=None, limit=2)

    assert other.business_discovery.username == OTHER_BUSINESS
    assert other.business_discovery.name == "North Bakery"
    assert other.business_discovery.media_count == len(sandbox.network.bakery_posts)
    assert [item["id"] for item in media["data"]] == sandbox.network.bakery_posts[::-1]
    assert [item["caption"] for item in media["data"]] == ["Fresh loaf 2", "Fresh loaf 1", "Fresh loaf 0"]


def test_pyfacebook_reads_conversations_and_answers_a_message(pyfacebook: IGBusinessApi, sandbox: Sandbox) -> None:
    conversations = pyfacebook.get_connection(
        sandbox.user_id, "conversations", platform="instagram", fields="id,participants,messages{message,from}"
    )
    with_fan = [
        conversation
        for conversation in conversations["data"]
        if sandbox.network.fan_id in {party["id"] for party in conversation["participants"]["data"]}
    ]
    assert len(with_fan) == 1
    assert FAN_QUESTION in [message["message"] for message in with_fan[0]["messages"]["data"]]

    sent = pyfacebook.post_object(
        sandbox.user_id,
        "messages",
        data={
            "recipient": json.dumps({"id": sandbox.network.fan_id}),
            "message": json.dumps({"text": "Yes, in two days"}),
        },
    )

    assert sent["recipient_id"] == sandbox.network.fan_id
    message = pyfacebook.get_object(sent["message_id"], fields="message,from")
    assert message["message"] == "Yes, in two days"
    assert message["from"]["username"] == sandbox.username


def test_pyfacebook_raises_instagram_errors(sandbox: Sandbox) -> None:
    stranger = IGBusinessApi(
        access_token="IGAAnot-a-token", instagram_business_id=sandbox.user_id, base_url=f"{sandbox.graph}/"
    )
    with pytest.raises(FacebookError) as bad_token:
        stranger.user.get_info()
    assert bad_token.value.code == 190
    assert bad_token.value.type == "OAuthException"


# facebook-business: Meta's SDK, its Instagram-Login objects (…ForIGOnlyAPI), with FacebookSession.GRAPH pointed at
# the Sandbox


@pytest.fixture(scope="module")
def sdk(sandbox: Sandbox) -> Iterator[FacebookAdsApi]:
    graph = FacebookSession.GRAPH
    FacebookSession.GRAPH = sandbox.graph
    try:
        # crash_log=False: the SDK would otherwise send crash reports to Meta.
        yield FacebookAdsApi.init(
            app_id=sandbox.app_id,
            app_secret=sandbox.app_secret,
            access_token=sandbox.token,
            api_version=VERSION,
            timeout=30,
            crash_log=False,
        )
    finally:
        FacebookSession.GRAPH = graph


def test_sdk_reads_the_profile(sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    fields = ["id", "user_id", "username", "name", "account_type", "followers_count", "follows_count", "media_count"]
    user = IGUserForIGOnlyAPI(sandbox.user_id, api=sdk).api_get(fields=fields)

    assert user["id"] == sandbox.user_id
    assert user["username"] == sandbox.username
    assert user["account_type"] == "Business"
    assert user["followers_count"] == 1
    assert user["follows_count"] == 0
    assert user["media_count"] >= POSTS


def test_sdk_pages_through_all_media(sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    user = IGUserForIGOnlyAPI(sandbox.user_id, api=sdk)
    media_count = user.api_get(fields=["media_count"])["media_count"]

    media = list(user.get_media(fields=MEDIA_FIELDS.split(","), params={"limit": PAGE}))

    ids = [item["id"] for item in media]
    assert len(ids) == media_count
    assert len(set(ids)) == len(ids)
    assert set(sandbox.network.posts) <= set(ids)
    assert all(item["media_product_type"] == "FEED" for item in media)
    assert all(item["permalink"].startswith("http") for item in media)


def test_sdk_publishes_an_image(sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    user = IGUserForIGOnlyAPI(sandbox.user_id, api=sdk)
    image_url = IGMediaForIGOnlyAPI(sandbox.network.posts[3], api=sdk).api_get(fields=["media_url"])["media_url"]
    before = user.api_get(fields=["media_count"])["media_count"]

    container = user.create_media(params={"image_url": image_url, "caption": "Published by the SDK"})
    builder = ShadowIGMediaBuilder(container["id"], api=sdk)
    status = _until(lambda: builder.api_get(fields=["status_code", "status"])["status_code"], "FINISHED")
    # IGUserForIGOnlyAPI.create_media_publish posts to `/mediapublish` (a generated name); IGUser's is the documented
    # `/media_publish`.
    published = IGUser(sandbox.user_id, api=sdk).create_media_publish(params={"creation_id": container["id"]})

    assert status == "FINISHED"
    media = IGMediaForIGOnlyAPI(published["id"], api=sdk).api_get(fields=["caption", "media_type", "username"])
    assert media["caption"] == "Published by the SDK"
    assert media["username"] == sandbox.username
    assert builder.api_get(fields=["status_code"])["status_code"] == "PUBLISHED"
    assert user.api_get(fields=["media_count"])["media_count"] == before + 1
    limit = list(user.get_content_publishing_limit(fields=["config", "quota_usage"]))
    assert limit[0]["quota_usage"] >= 1
    assert limit[0]["config"]["quota_duration"] == 86400


def test_sdk_reads_insights(sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    user = IGUserForIGOnlyAPI(sandbox.user_id, api=sdk)
    account = list(
        user.get_insights(
            params={"metric": ["reach", "likes", "comments"], "period": ["day"], "metric_type": "total_value"}
        )
    )
    media = list(
        IGMediaForIGOnlyAPI(sandbox.network.insights_post, api=sdk).get_insights(
            params={"metric": ["likes", "comments"]}
        )
    )

    totals = {metric["name"]: metric["total_value"]["value"] for metric in account}
    assert set(totals) == {"reach", "likes", "comments"}
    assert totals["likes"] == 1  # the fan's one like, today
    assert totals["comments"] >= 5
    assert isinstance(totals["reach"], int)
    assert {metric["name"]: metric["values"][0]["value"] for metric in media} == {"likes": 1, "comments": 1}


def test_sdk_searches_a_hashtag_and_reads_its_recent_media(sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    # The SDK has no object for the search itself: a raw call through the same api, as its docs show.
    found = sdk.call("GET", ("ig_hashtag_search",), params={"user_id": sandbox.user_id, "q": HASHTAG}).json()
    hashtag = ShadowIGHashtag(found["data"][0]["id"], api=sdk)

    recent = list(hashtag.get_recent_media(fields=["id", "caption", "media_type"], params={"user_id": sandbox.user_id}))

    assert hashtag.api_get(fields=["id", "name"])["name"] == HASHTAG
    assert sorted(item["id"] for item in recent) == sorted(sandbox.network.tagged)


def test_sdk_lists_creates_replies_to_and_hides_comments(sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    post = sandbox.network.posts[1]
    media = IGMediaForIGOnlyAPI(post, api=sdk)
    listed = list(media.get_comments(fields=["id", "text", "username", "timestamp", "like_count"]))
    assert sorted(comment["id"] for comment in listed) == sorted(sandbox.network.fan_comments[post])
    fan_comment = IGComment(sandbox.network.fan_comments[post][1], api=sdk)

    created = media.create_comment(params={"message": "Roasting more on Monday"})
    reply = fan_comment.create_reply(params={"message": "Decaf from Colombia, yes"})
    fan_comment.api_update(params={"hide": True})

    assert created["id"]
    assert reply["id"]
    assert [item["id"] for item in fan_comment.get_replies(fields=["id", "text"])] == [reply["id"]]
    read_again = IGComment(sandbox.network.fan_comments[post][1], api=sdk).api_get(fields=["hidden", "text"])
    assert read_again["hidden"] is True
    assert read_again["text"] == "Decaf too?"
    assert created["id"] in {comment["id"] for comment in media.get_comments(fields=["id"])}
    IGComment(created["id"], api=sdk).api_delete()
    assert created["id"] not in {comment["id"] for comment in media.get_comments(fields=["id"])}


def test_sdk_reads_conversations_and_answers_a_message(sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    user = IGUserForIGOnlyAPI(sandbox.user_id, api=sdk)
    conversations = list(user.get_conversations(fields=["id", "updated_time"], params={"platform": "instagram"}))
    assert len(conversations) == 1  # the fan's, the only one the roaster has

    # The SDK JSON-encodes the recipient and message objects into the form, as Meta's reference shows them.
    sent = user.create_message(params={"recipient": {"id": sandbox.network.fan_id}, "message": {"text": "Milan: yes!"}})

    assert sent["recipient_id"] == sandbox.network.fan_id
    answer = sdk.call("GET", (sent["message_id"],), params={"fields": "message"}).json()
    assert answer["message"] == "Milan: yes!"
    thread = sdk.call("GET", (conversations[0]["id"],), params={"fields": "messages{message}"}).json()
    assert {"Milan: yes!", FAN_QUESTION} <= {message["message"] for message in thread["messages"]["data"]}


def test_sdk_discovers_another_business(sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    expression = f"business_discovery.username({OTHER_BUSINESS}){{username,media_count,media.limit(2){{caption}}}}"

    found = IGUserForIGOnlyAPI(sandbox.user_id, api=sdk).api_get(fields=[expression])

    other = found["business_discovery"]
    assert other["username"] == OTHER_BUSINESS
    assert other["media_count"] == len(sandbox.network.bakery_posts)
    assert [item["caption"] for item in other["media"]["data"]] == ["Fresh loaf 2", "Fresh loaf 1"]
    assert other["media"]["paging"]["cursors"]["after"]


def test_sdk_raises_instagram_errors(sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    with pytest.raises(FacebookRequestError) as unknown_field:
        IGUserForIGOnlyAPI(sandbox.user_id, api=sdk).api_get(fields=["no_such_field"])
    assert unknown_field.value.api_error_code() == 100
    assert unknown_field.value.http_status() == 400
    assert unknown_field.value.api_error_type() == "OAuthException"


@contextmanager
def _fault(sandbox: Sandbox, **spec: Any) -> Iterator[None]:
    """A fault switched on for the test's app through the admin API, and off again whatever happens."""
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    made = httpx.post(
        f"{sandbox.base}{NETWORK_API}/admin/faults", headers=admin, json={"app_id": sandbox.app_id, **spec}
    )
    assert made.status_code == 201, made.text
    try:
        yield
    finally:
        httpx.delete(f"{sandbox.base}{NETWORK_API}/admin/faults/{made.json()['id']}", headers=admin)


def test_both_clients_see_an_expired_token(pyfacebook: IGBusinessApi, sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    with _fault(sandbox, kind="expired_token", path="{id}/stories"):
        with pytest.raises(FacebookError) as seen_by_pyfacebook:
            pyfacebook.user.get_stories()
        with pytest.raises(FacebookRequestError) as seen_by_sdk:
            list(IGUserForIGOnlyAPI(sandbox.user_id, api=sdk).get_stories(fields=["id"]))

    assert (seen_by_pyfacebook.value.code, seen_by_pyfacebook.value.error_subcode) == (190, 463)
    assert (seen_by_sdk.value.api_error_code(), seen_by_sdk.value.api_error_subcode()) == (190, 463)
    assert seen_by_sdk.value.api_error_type() == "OAuthException"


def test_both_clients_see_a_rate_limit(pyfacebook: IGBusinessApi, sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    with _fault(sandbox, kind="rate_limit", code=4, path="{id}/tags"):
        with pytest.raises(FacebookError) as seen_by_pyfacebook:
            pyfacebook.user.get_tagged_media()
        with pytest.raises(FacebookRequestError) as seen_by_sdk:
            list(IGUserForIGOnlyAPI(sandbox.user_id, api=sdk).get_tags(fields=["id"]))

    assert seen_by_pyfacebook.value.code == 4
    assert seen_by_sdk.value.api_error_code() == 4
    assert seen_by_sdk.value.api_transient_error() is True
    assert list(IGUserForIGOnlyAPI(sandbox.user_id, api=sdk).get_tags(fields=["id"])) == []  # switched off


def test_a_lost_answer_leaves_the_comment_made(pyfacebook: IGBusinessApi, sandbox: Sandbox) -> None:
    post = sandbox.network.posts[4]
    with (
        _fault(sandbox, kind="lost_answer", path="{id}/comments", method="POST"),
        pytest.raises(FacebookError) as lost,
    ):
        pyfacebook.post_object(post, "comments", data={"message": "Did this arrive?"})

    # The client saw a server error, yet the comment was made: a naive retry would post it twice.
    assert lost.value.code == 2
    listed = pyfacebook.media.get_comments(post, count=None)
    assert [comment.text for comment in listed.data] == ["Did this arrive?"]


def test_both_clients_read_the_usage_headers(pyfacebook: IGBusinessApi, sdk: FacebookAdsApi, sandbox: Sandbox) -> None:
    pyfacebook.user.get_info(fields="id")
    answer = sdk.call("GET", (sandbox.user_id,), params={"fields": "id"})

    # pyfacebook builds its rate-limit records from the headers' keys: any key Meta does not send breaks it.
    assert pyfacebook.rate_limit.get_limit().max_percent() < 100
    account = pyfacebook.rate_limit.get_limit(object_id=sandbox.user_id, rate_limit_type="instagram")
    assert account.type == "instagram"
    assert account.max_percent() < 100
    assert set(json.loads(answer.headers()["x-app-usage"])) == {"call_count", "total_cputime", "total_time"}
