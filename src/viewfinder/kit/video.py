"""Uploaded videos made safe to store and serve: checked by their content, bounded, re-muxed, given a poster.

Whatever arrives is opened by FFmpeg (through PyAV) as an MP4 or QuickTime file, whatever its name or declared
type says. It must hold exactly one video track, in H.264 or HEVC, within a size, a frame size and a duration
that the caller chooses. The tracks are then copied, not re-encoded, into a new MP4: that drops the file's
metadata (a phone's GPS position among it) and every other track, and puts the index first so that playback
starts before the download ends. A frame about half a second in becomes the poster.

Opening, copying and decoding a frame are CPU work: callers in the event loop run `prepare_video` in a thread.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error
from av.container import InputContainer
from av.stream import Stream
from av.video.stream import VideoStream
from PIL import Image

from viewfinder.kit.errors import InvalidInput

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
# Decoding the poster's frame takes memory by the frame's size: 4096 covers 4K (DCI and UHD) either way up.
MAX_SIDE = 4096
ACCEPTED_CODECS = {"h264": "H.264", "hevc": "HEVC"}
# Audio that an MP4 carries as it is; any other track (a second audio, subtitles, timecode, data) is dropped.
COPIED_AUDIO_CODECS = frozenset({"aac", "mp3", "opus", "alac", "ac3", "eac3"})
POSTER_AT_SECONDS = 0.5
# A poster needs one frame: give up on a file that decodes this many without reaching it and take the last one.
MAX_POSTER_FRAMES = 240
POSTER_JPEG_QUALITY = 92
MP4 = "video/mp4"


class InvalidVideo(InvalidInput):
    type, title = "invalid-video", "The video cannot be used"


@dataclass(frozen=True)
class DurationLimits:
    """How long a video may be, and what it is for (`noun`, in the plural, names it in messages)."""

    min_seconds: int
    max_seconds: int
    noun: str


@dataclass(frozen=True)
class PreparedVideo:
    """The MP4 to store, its size and length, and a poster frame as a JPEG (to check and thumbnail like any
    uploaded image)."""

    mp4: bytes
    width: int
    height: int
    duration_ms: int
    poster_jpeg: bytes


def looks_like_video(data: bytes) -> bool:
    """Whether the data starts like an MP4 or QuickTime file (an `ftyp` box), to route an upload that may be an
    image or a video; `prepare_video` does the real check."""
    return data[4:8] == b"ftyp"


def prepare_video(data: bytes, *, limits: DurationLimits, field: str = "file") -> PreparedVideo:
    """Check and re-mux an upload; raises InvalidVideo (a 422 naming `field`) when it cannot be used."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidVideo.on(field, f"The video is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", "too_large")
    if not looks_like_video(data):
        raise InvalidVideo.on(field, "This file is not an MP4 video.", "not_a_video")
    try:
        with av.open(io.BytesIO(data), mode="r", format="mov,mp4,m4a,3gp,3g2,mj2") as container:
            stream = _video_stream(container, field)
            width, height = stream.codec_context.width, stream.codec_context.height
            if not width or not height:
                raise InvalidVideo.on(field, "The video file is damaged or incomplete.", "damaged_video")
            if width > MAX_SIDE or height > MAX_SIDE:
                raise InvalidVideo.on(
                    field, f"This video is {width}×{height}: a video can be at most {MAX_SIDE} pixels wide and high.",
                    "too_many_pixels",
                )  # fmt: skip
            duration_ms = _duration_ms(container, stream, field)
            _check_duration(duration_ms, limits, field)
            poster = _poster(container, stream, field)
            mp4 = _remuxed(container, stream)
    except av.error.FFmpegError:  # FFmpeg's ways of saying the data is not what its first bytes promised
        raise InvalidVideo.on(field, "The video file is damaged or incomplete.", "damaged_video") from None
    # The size as the video shows: turned, like its poster, when the phone filmed sideways.
    return PreparedVideo(
        mp4=mp4, width=poster.width, height=poster.height, duration_ms=duration_ms, poster_jpeg=_jpeg(poster)
    )


def _video_stream(container: InputContainer, field: str) -> VideoStream:
    videos = list(container.streams.video)
    if not videos:
        raise InvalidVideo.on(field, "This file has no video in it.", "no_video")
    if len(videos) > 1:
        raise InvalidVideo.on(
            field, f"This file has {len(videos)} video tracks: a video can have only one.", "video_tracks"
        )
    stream = videos[0]
    codec = stream.codec_context.name
    if codec not in ACCEPTED_CODECS:
        raise InvalidVideo.on(
            field,
            f"This video is encoded as {codec.upper()}: use {' or '.join(ACCEPTED_CODECS.values())}.",
            "codec",
        )
    return stream


def _duration_ms(container: InputContainer, stream: VideoStream, field: str) -> int:
    # The track's own length first: the file's (in microseconds) can include an audio track that runs longer.
    if stream.duration is not None and stream.time_base is not None:
        return int(stream.duration * stream.time_base * 1000)
    if container.duration is None:
        raise InvalidVideo.on(field, "The video file does not say how long it is: it may be damaged.", "damaged_video")
    return int(Fraction(container.duration, av.time_base) * 1000)


def _check_duration(duration_ms: int, limits: DurationLimits, field: str) -> None:
    if duration_ms > limits.max_seconds * 1000:
        raise InvalidVideo.on(
            field,
            f"This video is {_length(duration_ms)} long: {limits.noun} can be at most {limits.max_seconds} seconds.",
            "too_long",
        )
    if duration_ms < limits.min_seconds * 1000:
        raise InvalidVideo.on(
            field,
            f"This video is {_length(duration_ms)} long: {limits.noun} must be at least {limits.min_seconds} "
            f"second{'s' if limits.min_seconds != 1 else ''}.",
            "too_short",
        )


def _length(duration_ms: int) -> str:
    """A length as a person says it: "2.5 seconds", "2 minutes", "1 minute 30 seconds"."""
    seconds = round(duration_ms / 1000, 1)
    if seconds < 60:
        text = f"{seconds:.1f}".removesuffix(".0")
        return f"{text} second{'' if text == '1' else 's'}"
    minutes, rest = divmod(round(seconds), 60)
    text = f"{minutes} minute{'' if minutes == 1 else 's'}"
    return f"{text} {rest} second{'' if rest == 1 else 's'}" if rest else text


def _poster(container: InputContainer, stream: VideoStream, field: str) -> Image.Image:
    """The first frame at or after half a second (or the last before it, in a shorter video), upright."""
    if stream.time_base is not None:
        # Seeking lands on the key frame before the target; decoding goes on from there.
        container.seek(int(POSTER_AT_SECONDS / stream.time_base), stream=stream, backward=True, any_frame=False)
    chosen: av.VideoFrame | None = None
    for count, frame in enumerate(container.decode(stream), start=1):
        chosen = frame
        if frame.time is None or frame.time >= POSTER_AT_SECONDS or count >= MAX_POSTER_FRAMES:
            break
    if chosen is None:
        raise InvalidVideo.on(field, "No frame of this video can be decoded: it may be damaged.", "damaged_video")
    image: Image.Image = chosen.to_image()  # type: ignore[no-untyped-call]  # PyAV leaves it unannotated
    # Phones film sideways and record how to turn the picture; the frame's pixels are not turned.
    turns = {90: Image.Transpose.ROTATE_90, -90: Image.Transpose.ROTATE_270, 270: Image.Transpose.ROTATE_270,
             180: Image.Transpose.ROTATE_180, -180: Image.Transpose.ROTATE_180}  # fmt: skip
    turn = turns.get(round(chosen.rotation))
    return image.transpose(turn) if turn is not None else image


def _remuxed(container: InputContainer, video: VideoStream) -> bytes:
    """The video track and the first usable audio track copied into a new MP4, index first, no metadata."""
    container.seek(0)
    audio = next((s for s in container.streams.audio if s.codec_context.name in COPIED_AUDIO_CODECS), None)
    copied: list[Stream] = [video] + ([audio] if audio is not None else [])
    # The muxer writes the index first by rewriting the file in a second pass, which needs a real file.
    with tempfile.TemporaryDirectory(prefix="viewfinder-video-") as folder:
        path = Path(folder) / "out.mp4"
        with av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as output:
            targets = {stream.index: output.add_stream_from_template(stream) for stream in copied}
            for packet in container.demux(copied):
                if packet.dts is None:  # the demuxer's empty packet at the end of each track
                    continue
                packet.stream = targets[packet.stream.index]
                output.mux(packet)
        return path.read_bytes()


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=POSTER_JPEG_QUALITY)
    return out.getvalue()
