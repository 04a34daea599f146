"""Publishing: media containers fetched from their URLs, media_publish, and content_publishing_limit.

A container (`POST {ig-user-id}/media`) is written IN_PROGRESS and a job fetches its media after the commit,
through the outbound guard, checks it as the network checks uploads and keeps the file in storage: FINISHED, or
ERROR with Instagram's subcode, or EXPIRED after 24 hours. `media_publish` claims a FINISHED container with one
conditional UPDATE and turns it into a network post (posts.create_post), so one container never makes two posts.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
import httpx
import orjson
import structlog
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit import jobs
from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput
from viewfinder.kit.http import create_http_client
from viewfinder.kit.images import InvalidImage, prepare_image
from viewfinder.kit.resources import Resources
from viewfinder.kit.storage import Storage
from viewfinder.kit.video import MP4, InvalidVideo, prepare_video
from viewfinder.network.graph.models import NetworkMediaContainer
from viewfinder.network.graph.nodes import Call, Edge, GraphError, Page, PageArgs, invalid_parameter, node_type

# The User's `media` edge lists posts (service/media.py); creating containers is added to the same edge here,
# so that module must register first, whichever of the two is imported first elsewhere.
from viewfinder.network.graph.service import media as _media  # noqa: F401
from viewfinder.network.social.captions import checked_caption
from viewfinder.network.social.ids import new_id
from viewfinder.network.social.models import NetworkPerson, NetworkPost, PostKind
from viewfinder.network.social.service import posts
from viewfinder.ops.models import WorkerHeartbeat

log = structlog.get_logger(__name__)

PUBLISH_SCOPE = "instagram_business_content_publish"
PROCESS_JOB = "network.graph.process_container"
SWEEP_JOB = "network.graph.sweep_containers"
CONTAINER_LIFETIME = timedelta(hours=24)
QUOTA_WINDOW = timedelta(hours=24)
# While a worker reports heartbeats, a container still IN_PROGRESS this long after it was made is taken as lost
# by it: the next status read or publish attempt fetches it itself (at once when no worker reports, as with
# `viewfinder network serve` alone, or in tests). A worker that starts late does no harm: both fetch, and the
# conditional UPDATE lets only one result stand.
INLINE_PROCESSING_AFTER = timedelta(seconds=10)
# The sweep queues a fetch again for a container still IN_PROGRESS this long after it was made (its job was lost).
REQUEUE_AFTER = timedelta(minutes=2)
REQUEUE_BATCH = 100
FETCH_TIMEOUT_SECONDS = 20.0
MAX_IMAGE_BYTES = 8 * 1024 * 1024  # Instagram's limit for image_url
MAX_VIDEO_BYTES = 100 * 1024 * 1024  # the network's limit for videos (kit.video)
MIN_FEED_RATIO, MAX_FEED_RATIO = 4 / 5, 1.91
RATIO_TOLERANCE = 0.005  # images are shrunk to 1080 wide: their ratio moves by a few thousandths
MIN_CAROUSEL_ITEMS, MAX_CAROUSEL_ITEMS = 2, 10
MAX_COLLABORATORS = 3
MAX_USER_TAGS = 20
MAX_URL_LENGTH = 2048
MAX_LOCATION_LENGTH = 100
JPEG = "image/jpeg"

IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED = "IN_PROGRESS", "FINISHED", "ERROR", "EXPIRED", "PUBLISHED"
IMAGE, VIDEO, REELS, STORIES, CAROUSEL = "IMAGE", "VIDEO", "REELS", "STORIES", "CAROUSEL"
STATUS_TEXT = {
    IN_PROGRESS: "In Progress: Media is still being processed.",
    FINISHED: "Finished: Media has been uploaded and it is ready to be published.",
    EXPIRED: "Expired: Media was not published within 24 hours.",
    PUBLISHED: "Published: Media has been successfully published.",
}


@dataclass(frozen=True)
class Failure:
    """A row of Meta's error table: why a container failed, as media_publish then answers it."""

    code: int
    subcode: int
    message: str
    title: str


FETCH_FAILED = Failure(9004, 2207052, "The media could not be fetched from this uri.", "Media download has failed")
FETCH_TIMEOUT = Failure(-2, 2207003, "It takes too long to download the media.", "Media download timed out")
IMAGE_TOO_LARGE = Failure(
    36000, 2207004, "The image is too large to download. It should be less than 8 MiB.", "Image size too large"
)
UNSUPPORTED_IMAGE = Failure(
    36001, 2207005, "The image format is not supported. Supported formats are: JPEG.", "Unsupported format"
)
BAD_ASPECT_RATIO = Failure(
    36003,
    2207009,
    "The submitted image with aspect ratio cannot be published. Please submit an image with a valid aspect ratio "
    "(between 4:5 and 1.91:1).",
    "Aspect ratio not supported",
)
UNSUPPORTED_VIDEO = Failure(
    352,
    2207026,
    "The video format is not supported. Please check spec for supported video format.",
    "Unsupported format",
)
FAILURES = {
    failure.subcode: failure
    for failure in (
        FETCH_FAILED,
        FETCH_TIMEOUT,
        IMAGE_TOO_LARGE,
        UNSUPPORTED_IMAGE,
        BAD_ASPECT_RATIO,
        UNSUPPORTED_VIDEO,
    )
}


# Answers of media_publish


def not_ready() -> GraphError:
    return GraphError(
        "Media ID is not available",
        9007,
        subcode=2207027,
        is_transient=False,
        user_title="Media not ready for publishing",
        user_message="The media is not ready for publishing, please wait for a moment.",
    )


def expired() -> GraphError:
    return GraphError(
        "The media you are trying to access has expired. Please try to upload again.",
        -2,
        subcode=2207020,
        is_transient=False,
        user_title="Media expired",
        user_message="The media you are trying to access has expired. Please try to upload again.",
    )


def already_published(creation_id: int) -> GraphError:
    # A used container is gone as a builder: Instagram's "media builder … does not exist" answer, never a 2nd post.
    return GraphError(
        f"The media builder with creation id = {creation_id} does not exist or has been expired.",
        24,
        subcode=2207008,
        is_transient=False,
        user_title="Media builder not found",
        user_message="The media has been published already.",
    )


def no_such_container(creation_id: str) -> GraphError:
    return GraphError(
        f"The media with {creation_id[:40]} cannot be found.",
        24,
        subcode=2207006,
        is_transient=False,
        user_title="Media not found",
        user_message="The media you are trying to publish cannot be found.",
    )


def quota_reached() -> GraphError:
    return GraphError(
        "Application request limit reached",
        9,
        subcode=2207042,
        is_transient=False,
        user_title="Maximum posts reached",
        user_message="You reached maximum number of posts that is allowed to be published by Content Publishing API.",
    )


def failed(failure: Failure) -> GraphError:
    return GraphError(
        failure.message,
        failure.code,
        subcode=failure.subcode,
        is_transient=False,
        user_title=failure.title,
        user_message=failure.message,
    )


# Creating containers


def _flag(call: Call, name: str) -> bool:
    value = (call.param(name) or "false").lower()
    if value not in {"true", "false", "1", "0"}:
        raise invalid_parameter(f"Param {name} must be a boolean")
    return value in {"true", "1"}


def _url(call: Call, name: str) -> str | None:
    value = call.param(name)
    if value is None:
        return None
    parts = urlsplit(value)
    if len(value) > MAX_URL_LENGTH or parts.scheme not in {"http", "https"} or not parts.hostname:
        raise invalid_parameter(f"Param {name} must be a valid URL")
    return value


def _json_list(call: Call, name: str) -> list[Any] | None:
    raw = call.param(name)
    if raw is None:
        return None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise invalid_parameter(f"Param {name} must be a JSON array") from None
    if not isinstance(value, list):
        raise invalid_parameter(f"Param {name} must be a JSON array")
    return value


def _user_tags(call: Call, on_image: bool) -> list[dict[str, object]] | None:
    tags = _json_list(call, "user_tags")
    if tags is None:
        return None
    if len(tags) > MAX_USER_TAGS:
        raise invalid_parameter(f"Cannot use more than {MAX_USER_TAGS} tags per created media.", subcode=2207040)
    checked: list[dict[str, object]] = []
    for tag in tags:
        if not isinstance(tag, dict) or not isinstance(tag.get("username"), str) or not tag["username"]:
            raise invalid_parameter('Param user_tags must be a JSON array of {"username": …, "x": …, "y": …}')
        entry: dict[str, object] = {"username": tag["username"]}
        if on_image:
            for axis in ("x", "y"):
                value = tag.get(axis)
                if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                    raise invalid_parameter(f"Param user_tags[{axis}] must be a number between 0 and 1")
                entry[axis] = float(value)
        checked.append(entry)
    return checked


def _collaborators(call: Call) -> list[str] | None:
    names = _json_list(call, "collaborators")
    if names is None:
        return None
    if len(names) > MAX_COLLABORATORS or not all(isinstance(name, str) and name for name in names):
        raise invalid_parameter(f"Param collaborators must be a JSON array of at most {MAX_COLLABORATORS} usernames")
    return [str(name) for name in names]


def _children_ids(call: Call) -> list[int]:
    raw = call.param("children")
    if raw is None:
        raise invalid_parameter("The parameter children is required for media_type CAROUSEL")
    if raw.lstrip().startswith("["):
        values = _json_list(call, "children") or []
    else:
        values = [value.strip() for value in raw.split(",") if value.strip()]
    if not MIN_CAROUSEL_ITEMS <= len(values) <= MAX_CAROUSEL_ITEMS:
        raise invalid_parameter(
            "Your post won't be shared as a carousel. Carousels need at least 2 photos/videos and no more than 10 "
            "photos/videos.",
            subcode=2207028,
        )
    ids = [str(value) for value in values]
    if not all(value.isdigit() and len(value) <= 19 for value in ids) or len(set(ids)) != len(ids):
        raise invalid_parameter("Param children must be distinct media container ids")
    return [int(value) for value in ids]


async def _check_children(call: Call, ids: list[int]) -> None:
    """Every item is one of the account's own carousel items, not used and not failed (they may still be in
    progress: the carousel waits for them)."""
    rows = await call.session.scalars(select(NetworkMediaContainer).where(NetworkMediaContainer.id.in_(ids)))
    found = {row.id: row for row in rows}
    for child_id in ids:
        child = found.get(child_id)
        if child is None or child.person_id != call.person.id or not child.is_carousel_item:
            raise invalid_parameter(f"The media with id {child_id} is not a carousel item of this account")
        if _status_code(child, utcnow()) in {ERROR, EXPIRED, PUBLISHED}:
            raise invalid_parameter(f"The carousel item {child_id} cannot be used: its status is {child.status_code}")


def _caption(call: Call) -> str:
    caption = call.param("caption") or ""
    try:
        checked_caption(caption)
    except InvalidInput as error:
        raise invalid_parameter(error.detail) from None
    return caption


def _kind(call: Call, is_item: bool) -> tuple[str, str | None]:
    """The container's media type and the URL its media comes from."""
    media_type = (call.param("media_type") or "").upper() or None
    image_url, video_url = _url(call, "image_url"), _url(call, "video_url")
    if media_type == CAROUSEL:
        if is_item or image_url or video_url:
            raise invalid_parameter("A CAROUSEL container takes children, not a URL or is_carousel_item")
        return CAROUSEL, None
    if media_type not in {None, IMAGE, VIDEO, REELS, STORIES}:
        raise invalid_parameter(f"The media type {media_type[:20]} is unknown.", subcode=2207023)
    if image_url and video_url:
        raise invalid_parameter("Send either image_url or video_url, not both")
    if media_type in {VIDEO, REELS}:
        if video_url is None:
            raise invalid_parameter(f"The parameter video_url is required for media_type {media_type}")
        if media_type == VIDEO and not is_item:
            raise invalid_parameter("The VIDEO media type is only for carousel items: use REELS", subcode=2207023)
        if is_item:
            # The network's carousels hold images only (its posts model); Instagram also takes videos there.
            raise invalid_parameter("The Sandbox network's carousel items are images: send an image_url")
        return REELS, video_url
    if media_type == STORIES:
        if is_item:
            raise invalid_parameter("A story cannot be a carousel item")
        if (image_url or video_url) is None:
            raise invalid_parameter("The parameter image_url or video_url is required for media_type STORIES")
        return STORIES, image_url or video_url
    if video_url is not None:
        raise invalid_parameter("A video is published as media_type REELS or STORIES")
    if image_url is None:
        raise invalid_parameter("The parameter image_url is required")
    return IMAGE, image_url


def _is_video(container: NetworkMediaContainer) -> bool:
    if container.media_type == REELS:
        return True
    options = container.options or {}
    return container.media_type == STORIES and options.get("source") == "video_url"


def _options(call: Call, media_type: str) -> dict[str, object]:
    options: dict[str, object] = {}
    if media_type == STORIES:
        options["source"] = "video_url" if call.param("video_url") else "image_url"
    if (cover_url := _url(call, "cover_url")) is not None:
        options["cover_url"] = cover_url
    if (offset := call.param("thumb_offset")) is not None:
        if not offset.isdigit():
            raise invalid_parameter("Param thumb_offset must be a number of milliseconds")
        options["thumb_offset"] = int(offset)
    if call.param("share_to_feed") is not None:
        options["share_to_feed"] = _flag(call, "share_to_feed")
    return options


async def create_container(call: Call, person: Any) -> dict[str, Any]:
    """`POST {ig-user-id}/media`: a container for the token's own account, fetched by a job after the commit."""
    call.require(PUBLISH_SCOPE)
    is_item = _flag(call, "is_carousel_item")
    media_type, source_url = _kind(call, is_item)
    children = _children_ids(call) if media_type == CAROUSEL else None
    if children is not None:
        await _check_children(call, children)
    caption = _caption(call)
    alt_text = call.param("alt_text")
    if alt_text is not None and (len(alt_text) > posts.MAX_ALT_TEXT_LENGTH or media_type != IMAGE):
        raise invalid_parameter(f"Param alt_text is for images, with at most {posts.MAX_ALT_TEXT_LENGTH} characters")
    location_id = call.param("location_id")
    if location_id is not None and len(location_id) > MAX_LOCATION_LENGTH:
        raise invalid_parameter("Param location_id is not a valid location")
    user_tags = _user_tags(call, on_image=media_type == IMAGE)
    if user_tags and media_type in {STORIES, CAROUSEL}:
        # The network's stories tag nobody; a carousel's people are tagged on its items, as on Instagram.
        raise invalid_parameter(f"Param user_tags is not supported for media_type {media_type}")
    collaborators = _collaborators(call)
    if collaborators and (is_item or media_type == STORIES):
        raise invalid_parameter("Param collaborators is not supported for carousel items and stories")
    options = _options(call, media_type)
    now = utcnow()
    container = NetworkMediaContainer(
        id=new_id(),
        app_id=call.token.app_id,
        person_id=call.person.id,
        media_type=media_type,
        is_carousel_item=is_item,
        source_url=source_url,
        caption=caption,
        alt_text=alt_text,
        location_id=location_id,
        user_tags=user_tags,
        collaborators=collaborators,
        children=[str(child) for child in children] if children is not None else None,
        options=options or None,
        status_code=IN_PROGRESS,
        status=STATUS_TEXT[IN_PROGRESS],
        created_at=now,
        expires_at=now + CONTAINER_LIFETIME,
    )
    call.session.add(container)
    await call.session.flush()
    jobs.enqueue(call.session, PROCESS_JOB, str(container.id))
    return {"id": str(container.id)}


# Fetching and checking the media


def _status_code(container: NetworkMediaContainer, now: datetime) -> str:
    """The status as of now: a container left unpublished 24 hours is EXPIRED even before the sweep marks it."""
    if container.status_code in {IN_PROGRESS, FINISHED} and container.expires_at <= now:
        return EXPIRED
    return container.status_code


def _status_text(container: NetworkMediaContainer, now: datetime) -> str:
    code = _status_code(container, now)
    if code == ERROR:
        # Meta: "If status_code is ERROR, this value will be an error subcode".
        return str(container.error_subcode)
    return STATUS_TEXT[code]


async def _download(resources: Resources, url: str, limit: int, too_large: Failure) -> bytes | Failure:
    try:
        async with (
            create_http_client(
                resources.settings, timeout=FETCH_TIMEOUT_SECONDS, retries=1, follow_redirects=True
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != httpx.codes.OK:
                return FETCH_FAILED
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                return too_large
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > limit:
                    return too_large
            return bytes(data)
    except httpx.TimeoutException:
        return FETCH_TIMEOUT
    except httpx.HTTPError as error:  # refused by the guard, unreachable, broken answer
        log.info("network_container_fetch_failed", url_host=urlsplit(url).hostname, error=type(error).__name__)
        return FETCH_FAILED


def _image_failure(data: bytes, check_ratio: bool) -> Failure | None:
    """Instagram takes JPEG only; the network's own checks then decide, and feed images keep to 4:5–1.91:1."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
    except (UnidentifiedImageError, OSError):
        return UNSUPPORTED_IMAGE
    if image_format != "JPEG":
        return UNSUPPORTED_IMAGE
    try:
        prepared = prepare_image(data, field="image_url")
    except InvalidImage:
        return UNSUPPORTED_IMAGE
    ratio = prepared.width / prepared.height
    if check_ratio and not MIN_FEED_RATIO - RATIO_TOLERANCE <= ratio <= MAX_FEED_RATIO + RATIO_TOLERANCE:
        return BAD_ASPECT_RATIO
    return None


def _video_failure(data: bytes, media_type: str) -> Failure | None:
    limits = posts.REEL_LIMITS if media_type == REELS else posts.STORY_VIDEO_LIMITS
    try:
        prepare_video(data, limits=limits, field="video_url")
    except InvalidVideo:
        return UNSUPPORTED_VIDEO
    return None


async def _fetched(resources: Resources, container: NetworkMediaContainer) -> bytes | Failure:
    assert container.source_url is not None
    if _is_video(container):
        data = await _download(resources, container.source_url, MAX_VIDEO_BYTES, UNSUPPORTED_VIDEO)
        check = partial(_video_failure, media_type=container.media_type)
    else:
        data = await _download(resources, container.source_url, MAX_IMAGE_BYTES, IMAGE_TOO_LARGE)
        check = partial(_image_failure, check_ratio=container.media_type == IMAGE)
    if isinstance(data, Failure):
        return data
    failure = await anyio.to_thread.run_sync(check, data)  # decoding is CPU work
    return failure if failure is not None else data


def _settle(container_id: int, values: dict[str, Any]) -> Any:
    """The one way a container leaves IN_PROGRESS: whoever processes it first decides."""
    return (
        update(NetworkMediaContainer)
        .where(NetworkMediaContainer.id == container_id, NetworkMediaContainer.status_code == IN_PROGRESS)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def _error(session: AsyncSession, container_id: int, failure: Failure) -> None:
    await session.execute(
        _settle(container_id, {"status_code": ERROR, "status": str(failure.subcode), "error_subcode": failure.subcode})
    )


async def _settle_carousel(session: AsyncSession, carousel: NetworkMediaContainer) -> None:
    """FINISHED once every item is, ERROR (with the item's subcode) once one failed; else still in progress."""
    children = await _children_of(session, carousel)
    now = utcnow()
    codes = [_status_code(child, now) for child in children]
    if failed_child := next((child for child in children if child.status_code == ERROR), None):
        await _error(session, carousel.id, FAILURES.get(failed_child.error_subcode or 0, FETCH_FAILED))
    elif codes and all(code == FINISHED for code in codes):
        await session.execute(_settle(carousel.id, {"status_code": FINISHED, "status": STATUS_TEXT[FINISHED]}))


async def _children_of(session: AsyncSession, carousel: NetworkMediaContainer) -> list[NetworkMediaContainer]:
    ids = [int(child) for child in carousel.children or []]
    rows = await session.scalars(
        select(NetworkMediaContainer).where(NetworkMediaContainer.id.in_(ids)).execution_options(populate_existing=True)
    )
    found = {row.id: row for row in rows}
    return [found[child] for child in ids if child in found]


async def process_container(
    session: AsyncSession, container_id: int, resources: Resources
) -> NetworkMediaContainer | None:
    """Fetch and check a container's media (a carousel: look at its items), and settle it; answer it as it is
    now. Run by the job queued when it was made, or inline by a read when no worker took it."""
    container = await session.get(NetworkMediaContainer, container_id, populate_existing=True)
    if container is None or container.status_code != IN_PROGRESS:
        return container
    if container.expires_at <= utcnow():
        await session.execute(_settle(container.id, {"status_code": EXPIRED, "status": STATUS_TEXT[EXPIRED]}))
    elif container.media_type == CAROUSEL:
        await _settle_carousel(session, container)
    else:
        # The fetch may take many seconds: no transaction (nor connection) is held open meanwhile.
        await session.commit()
        outcome = await _fetched(resources, container)
        if isinstance(outcome, Failure):
            await _error(session, container.id, outcome)
        else:
            await _keep(session, resources.storage, container, outcome)
    await session.refresh(container)
    return container


async def _keep(session: AsyncSession, storage: Storage, container: NetworkMediaContainer, data: bytes) -> None:
    # Each attempt writes its own key: a slower attempt that loses the UPDATE removes only its own file.
    extension, content_type = ("mp4", MP4) if _is_video(container) else ("jpg", JPEG)
    key = f"network/graph/containers/{container.id}/{secrets.token_hex(8)}.{extension}"
    await storage.put(key, data, content_type)
    result = await session.execute(
        _settle(container.id, {"status_code": FINISHED, "status": STATUS_TEXT[FINISHED], "storage_key": key})
    )
    if getattr(result, "rowcount", 0) != 1:
        await posts.remove_files(storage, [key])


async def _worker_waits(call: Call, now: datetime) -> timedelta:
    """How long a new container is left to the worker's job before a read processes it itself: a while when a
    worker reported lately, nothing when none did (the network served alone, or in tests)."""
    stale_after = timedelta(seconds=call.resources.settings.worker_stale_seconds)
    last_seen = await call.session.scalar(select(func.max(WorkerHeartbeat.last_seen_at)))
    return INLINE_PROCESSING_AFTER if last_seen is not None and now - last_seen <= stale_after else timedelta(0)


async def _processed_inline(call: Call, container: NetworkMediaContainer) -> NetworkMediaContainer:
    """The container after processing it here, in a unit of work of its own (committed whatever this call does
    next), when no worker has taken it in time; carousels settle from their items at once."""
    now = utcnow()
    if _status_code(container, now) != IN_PROGRESS:
        return container
    waiting = [container]
    if container.media_type == CAROUSEL:
        waiting = [child for child in await _children_of(call.session, container) if child.status_code == IN_PROGRESS]
    given = await _worker_waits(call, now) if waiting else timedelta(0)
    targets = [item.id for item in waiting if item.created_at <= now - given]
    if container.media_type == CAROUSEL:
        targets.append(container.id)  # settling from its items reads the database only
    fresh: NetworkMediaContainer | None = container
    for target in targets:
        async with call.resources.db.unit_of_work() as session:
            fresh = await process_container(session, target, call.resources)
    return fresh if fresh is not None and fresh.id == container.id else container


# Reading containers


CONTAINER = node_type("Container")


async def _load_container(call: Call, container_id: int) -> NetworkMediaContainer | None:
    container = await call.session.get(NetworkMediaContainer, container_id)
    if container is None or container.person_id != call.person.id:
        return None
    call.require(PUBLISH_SCOPE)
    return await _processed_inline(call, container)


CONTAINER.load = _load_container
CONTAINER.fields.update(
    {
        "id": lambda call, container: str(container.id),
        "status_code": lambda call, container: _status_code(container, utcnow()),
        "status": lambda call, container: _status_text(container, utcnow()),
    }
)


# Publishing


async def _own_container(call: Call, creation_id: str) -> NetworkMediaContainer:
    if not creation_id.isdigit() or len(creation_id) > 19:
        raise no_such_container(creation_id)
    container = await call.session.get(NetworkMediaContainer, int(creation_id))
    if container is None or container.person_id != call.person.id:
        raise no_such_container(creation_id)
    return await _processed_inline(call, container)


def _refusal(container: NetworkMediaContainer) -> GraphError | None:
    code = _status_code(container, utcnow())
    if code == PUBLISHED:
        return already_published(container.id)
    if code == EXPIRED:
        return expired()
    if code == ERROR:
        return failed(FAILURES.get(container.error_subcode or 0, FETCH_FAILED))
    if code == IN_PROGRESS:
        return not_ready()
    if container.is_carousel_item:
        return invalid_parameter("A carousel item is published in a CAROUSEL container, not alone")
    return None


async def _claim(call: Call, container: NetworkMediaContainer, now: datetime) -> bool:
    """One conditional UPDATE: of two calls publishing the same container, only one gets it."""
    result = await call.session.execute(
        update(NetworkMediaContainer)
        .where(
            NetworkMediaContainer.id == container.id,
            NetworkMediaContainer.status_code == FINISHED,
            NetworkMediaContainer.expires_at > now,
        )
        .values(status_code=PUBLISHED, status=STATUS_TEXT[PUBLISHED], published_at=now)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def quota_usage(session: AsyncSession, person_id: int, now: datetime, since: datetime | None = None) -> int:
    """Containers the account published in the rolling 24 hours, or since a later moment (a carousel counts
    once: its items carry no publishing time)."""
    start = max(since, now - QUOTA_WINDOW) if since is not None else now - QUOTA_WINDOW
    count = await session.scalar(
        select(func.count())
        .select_from(NetworkMediaContainer)
        .where(NetworkMediaContainer.person_id == person_id, NetworkMediaContainer.published_at > start)
    )
    return int(count or 0)


async def publish(call: Call, person: Any) -> dict[str, Any]:
    """`POST {ig-user-id}/media_publish?creation_id=…`: the container becomes a network post, once."""
    call.require(PUBLISH_SCOPE)
    container = await _own_container(call, call.required("creation_id"))
    if refusal := _refusal(container):
        raise refusal
    now = utcnow()
    # On PostgreSQL the account's row serialises its publishes, so two at the quota's edge cannot both pass; on
    # SQLite the claim's write takes the database's one write lock, which does the same.
    await call.session.execute(select(NetworkPerson.id).where(NetworkPerson.id == call.person.id).with_for_update())
    if not await _claim(call, container, now):  # another call took it, or it expired this instant
        current = await call.session.get(NetworkMediaContainer, container.id, populate_existing=True)
        raise (_refusal(current) if current is not None else None) or already_published(container.id)
    if await quota_usage(call.session, call.person.id, now) > call.resources.settings.network_graph_publishing_limit:
        raise quota_reached()  # the route rolls back: the claim is undone, nothing is published
    post = await _create_post(call, container)
    await call.session.execute(
        update(NetworkMediaContainer)
        .where(NetworkMediaContainer.id == container.id)
        .values(media_id=post.id)
        .execution_options(synchronize_session=False)
    )
    return {"id": str(post.id)}


async def _file_of(storage: Storage, container: NetworkMediaContainer) -> posts.Upload:
    if container.storage_key is None:
        raise expired()
    try:
        return posts.Upload(await storage.get(container.storage_key))
    except Exception:  # the file was swept away: the container cannot be published any more
        log.warning("network_container_file_missing", container_id=container.id)
        raise expired() from None


def _tags_json(tags: Sequence[dict[str, object]]) -> str | None:
    return orjson.dumps(list(tags)).decode() if tags else None


async def _create_post(call: Call, container: NetworkMediaContainer) -> NetworkPost:
    storage = call.resources.storage
    location = container.location_id
    try:
        if container.media_type == CAROUSEL:
            children = await _children_of(call.session, container)
            uploads = [await _file_of(storage, child) for child in children]
            tags = [
                {**tag, "media": position} for position, child in enumerate(children) for tag in child.user_tags or []
            ]
            post = await posts.create_post(
                call.session,
                storage,
                call.person,
                uploads=uploads,
                caption=container.caption,
                location=location,
                alt_texts=[child.alt_text or "" for child in children],
                user_tags=_tags_json(tags),
            )
            await _mark_items_published(call.session, [child.id for child in children])
            return post
        upload = await _file_of(storage, container)
        if container.media_type == STORIES:
            return await posts.create_post(
                call.session,
                storage,
                call.person,
                uploads=[upload],
                caption=None,
                location=None,
                alt_texts=None,
                kind=PostKind.STORY,
            )
        kind = PostKind.REEL if container.media_type == REELS else PostKind.FEED
        return await posts.create_post(
            call.session,
            storage,
            call.person,
            uploads=[upload],
            caption=container.caption,
            location=location,
            alt_texts=[container.alt_text] if container.alt_text else None,
            kind=kind,
            user_tags=_tags_json(container.user_tags or []),
        )
    except InvalidInput as error:  # the network refused what Instagram's checks let through (an unknown tag …)
        raise invalid_parameter(error.detail) from None


async def _mark_items_published(session: AsyncSession, item_ids: list[int]) -> None:
    # Used up with their carousel; no publishing time, so the quota counts the carousel once.
    await session.execute(
        update(NetworkMediaContainer)
        .where(NetworkMediaContainer.id.in_(item_ids))
        .values(status_code=PUBLISHED, status=STATUS_TEXT[PUBLISHED])
        .execution_options(synchronize_session=False)
    )


# The publishing limit


def _since(page: PageArgs) -> datetime | None:
    """`since`, a Unix timestamp; one older than the 24-hour window counts from the window's start."""
    raw = page.args.get("since")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise invalid_parameter("Param since must be a Unix timestamp")
    return datetime.fromtimestamp(int(raw), UTC)


async def publishing_limit(call: Call, person: Any, page: PageArgs) -> Page:
    """`GET {ig-user-id}/content_publishing_limit?fields=config,quota_usage`: one entry, with the fields asked
    (quota_usage alone when none are)."""
    call.require(PUBLISH_SCOPE)
    wanted = [name.strip() for name in (page.args.get("fields") or "quota_usage").split(",") if name.strip()]
    entry: dict[str, Any] = {}
    for name in wanted:
        # Meta's own example asks `rate_limit_settings` and is answered `config`.
        if name in {"config", "rate_limit_settings"}:
            limit = call.resources.settings.network_graph_publishing_limit
            entry["config"] = {"quota_total": limit, "quota_duration": int(QUOTA_WINDOW.total_seconds())}
        elif name == "quota_usage":
            entry["quota_usage"] = await quota_usage(call.session, call.person.id, utcnow(), _since(page))
        else:
            raise invalid_parameter(
                f"Tried accessing nonexisting field ({name[:60]}) on node type (ContentPublishingLimit)"
            )
    return Page([entry])


def _register() -> None:
    user = node_type("User")
    existing = user.edges.get("media")
    if existing is None:
        user.edges["media"] = Edge("Media", create=create_container)
    else:
        user.edges["media"] = Edge(existing.type_name, list=existing.list, create=create_container, raw=existing.raw)
    user.edges["media_publish"] = Edge("Media", create=publish)
    user.edges["content_publishing_limit"] = Edge("ContentPublishingLimit", list=publishing_limit, raw=True)


_register()


# Sweeping


async def sweep_containers(session: AsyncSession, resources: Resources) -> int:
    """Mark containers left unpublished for 24 hours EXPIRED, queue again the fetches whose job was lost, and
    remove the files of containers that no longer need them (published, expired, failed); answer how many files
    were removed."""
    now = utcnow()
    await session.execute(
        update(NetworkMediaContainer)
        .where(NetworkMediaContainer.status_code.in_([IN_PROGRESS, FINISHED]), NetworkMediaContainer.expires_at <= now)
        .values(status_code=EXPIRED, status=STATUS_TEXT[EXPIRED])
        .execution_options(synchronize_session=False)
    )
    lost = await session.scalars(
        select(NetworkMediaContainer.id)
        .where(
            NetworkMediaContainer.status_code == IN_PROGRESS,
            NetworkMediaContainer.media_type != CAROUSEL,
            NetworkMediaContainer.created_at <= now - REQUEUE_AFTER,
        )
        .order_by(NetworkMediaContainer.id)
        .limit(REQUEUE_BATCH)
    )
    for container_id in lost:
        jobs.enqueue(session, PROCESS_JOB, str(container_id))
    done = list(
        await session.scalars(
            select(NetworkMediaContainer).where(
                NetworkMediaContainer.status_code.in_([PUBLISHED, EXPIRED, ERROR]),
                NetworkMediaContainer.storage_key.is_not(None),
            )
        )
    )
    keys = [container.storage_key for container in done if container.storage_key is not None]
    await session.execute(
        update(NetworkMediaContainer)
        .where(NetworkMediaContainer.id.in_([container.id for container in done]))
        .values(storage_key=None)
        .execution_options(synchronize_session=False)
    )
    await posts.remove_files(resources.storage, keys)
    return len(keys)
