"""Uploaded videos are checked by content (container, tracks, codec, size, length), re-muxed without metadata and
given a poster frame; real MP4s are encoded here with the FFmpeg that PyAV bundles."""

from __future__ import annotations

import io

import av
import pytest
from PIL import Image

from viewfinder.kit import video
from viewfinder.kit.video import DurationLimits, InvalidVideo, looks_like_video, prepare_video

REELS = DurationLimits(min_seconds=3, max_seconds=90, noun="reels")
# libx264 is in the PyAV wheels for Linux; FFmpeg's own MPEG-4 Part 2 encoder stands for a codec that is refused.
H264 = "libx264"


def mp4(
    seconds: float = 4,
    *,
    fps: int = 2,
    size: tuple[int, int] = (64, 48),
    codec: str = H264,
    container: str = "mp4",
    audio: bool = False,
    metadata: dict[str, str] | None = None,
    color_at: float | None = None,
) -> bytes:
    """A real video of `seconds` at `fps`: frames are dark red, and from `color_at` seconds on bright green (so
    that a test can tell which frame became the poster)."""
    assert codec in av.codecs_available, f"this PyAV build has no {codec} encoder"
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as output:
        output.metadata.update(metadata or {})
        stream = output.add_stream(codec, rate=fps)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        sound = output.add_stream("aac", rate=8000) if audio else None
        assert sound is None or isinstance(sound, av.AudioStream)
        frames = round(seconds * fps)
        for index in range(frames):
            green = color_at is not None and index / fps >= color_at
            image = Image.new("RGB", size, (0, 220, 0) if green else (120, 0, 0))
            frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]  # PyAV leaves it unannotated
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
        if sound is not None:
            samples = av.AudioFrame(format="fltp", layout="mono", samples=1024)
            samples.sample_rate = 8000
            for plane in samples.planes:
                plane.update(bytes(plane.buffer_size))
            samples.pts = 0
            for packet in sound.encode(samples):
                output.mux(packet)
            for packet in sound.encode():
                output.mux(packet)
    return out.getvalue()


def refusal(data: bytes, limits: DurationLimits = REELS) -> dict[str, str]:
    with pytest.raises(InvalidVideo) as caught:
        prepare_video(data, limits=limits, field="files[0]")
    assert caught.value.status == 422
    [error] = caught.value.errors
    assert error["field"] == "files[0]"
    assert caught.value.detail == error["message"]
    return error


def test_an_h264_mp4_is_kept_with_its_length_size_and_a_poster() -> None:
    prepared = prepare_video(mp4(4, size=(96, 64), color_at=0.5), limits=REELS)
    assert (prepared.width, prepared.height, prepared.duration_ms) == (96, 64, 4000)
    with av.open(io.BytesIO(prepared.mp4)) as stored:
        assert stored.format.name.startswith("mov,mp4")
        [stream] = stored.streams.video
        assert stream.codec_context.name == "h264"
        assert stream.frames == 8
    poster = Image.open(io.BytesIO(prepared.poster_jpeg))
    assert (poster.format, poster.size) == ("JPEG", (96, 64))
    # The frame half a second in (the first green one), not the first frame (red).
    red, green, blue = poster.convert("RGB").getpixel((48, 32))  # type: ignore[misc]
    assert green > 150, (red, green, blue)
    assert red < 80, (red, green, blue)


def test_the_first_frame_is_the_poster_of_a_video_shorter_than_half_a_second() -> None:
    prepared = prepare_video(mp4(0.4, fps=5, color_at=0.2), limits=DurationLimits(0, 10, "tests"))
    assert prepared.duration_ms == 400
    red, green, _ = Image.open(io.BytesIO(prepared.poster_jpeg)).convert("RGB").getpixel((10, 10))  # type: ignore[misc]
    # The last frame before the end, as none is at 0.5 s.
    assert green > 150
    assert red < 80


def test_the_copy_has_no_metadata_keeps_the_sound_and_starts_with_its_index() -> None:
    original = mp4(3, audio=True, metadata={"title": "secret title", "comment": "shot at home"})
    with av.open(io.BytesIO(original)) as source:
        assert source.metadata["title"] == "secret title"
    assert b"secret title" in original

    prepared = prepare_video(original, limits=REELS)
    assert b"secret title" not in prepared.mp4
    assert b"shot at home" not in prepared.mp4
    with av.open(io.BytesIO(prepared.mp4)) as stored:
        assert "title" not in stored.metadata
        assert [stream.type for stream in stored.streams] == ["video", "audio"]
        assert stored.streams.audio[0].codec_context.name == "aac"
    # "faststart": the index (moov) comes before the media data, so playback starts while downloading.
    assert 0 < prepared.mp4.find(b"moov") < prepared.mp4.find(b"mdat")


def test_an_hevc_video_is_accepted() -> None:
    prepared = prepare_video(mp4(3, codec="libx265"), limits=REELS)
    with av.open(io.BytesIO(prepared.mp4)) as stored:
        assert stored.streams.video[0].codec_context.name == "hevc"
    assert prepared.duration_ms == 3000


def test_a_quicktime_file_is_accepted_and_stored_as_mp4() -> None:
    original = mp4(3, container="mov")
    assert original[8:12] == b"qt  "
    prepared = prepare_video(original, limits=REELS)
    assert prepared.mp4[8:12] == b"isom"
    assert prepared.duration_ms == 3000


def test_too_long_and_too_short_videos_are_refused_with_their_length() -> None:
    too_long = refusal(mp4(120, fps=1))
    assert too_long["code"] == "too_long"
    assert too_long["message"] == "This video is 2 minutes long: reels can be at most 90 seconds."
    odd = refusal(mp4(95, fps=1))
    assert odd["message"] == "This video is 1 minute 35 seconds long: reels can be at most 90 seconds."
    too_short = refusal(mp4(2.5))
    assert too_short["code"] == "too_short"
    assert too_short["message"] == "This video is 2.5 seconds long: reels must be at least 3 seconds."
    stories = DurationLimits(min_seconds=1, max_seconds=60, noun="story videos")
    assert refusal(mp4(61, fps=1), stories)["message"] == (
        "This video is 1 minute 1 second long: story videos can be at most 60 seconds."
    )
    assert prepare_video(mp4(60, fps=1), limits=stories).duration_ms == 60_000
    assert prepare_video(mp4(1), limits=stories).duration_ms == 1000


def test_files_that_are_not_mp4_videos_are_refused_by_content() -> None:
    image = io.BytesIO()
    Image.new("RGB", (10, 10)).save(image, format="PNG")
    for data in (image.getvalue(), b"<html>not a video</html>", b""):
        error = refusal(data)
        assert (error["code"], error["message"]) == ("not_a_video", "This file is not an MP4 video.")
    assert not looks_like_video(image.getvalue())
    # An MP4 cut short: the header says MP4, FFmpeg finds no usable video.
    damaged = refusal(mp4()[:200])
    assert damaged["code"] == "damaged_video"


def test_other_codecs_and_audio_only_files_are_refused() -> None:
    assert "mpeg4" in av.codecs_available
    error = refusal(mp4(codec="mpeg4"))
    assert error["code"] == "codec"
    assert error["message"] == "This video is encoded as MPEG4: use H.264 or HEVC."

    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as output:
        sound = output.add_stream("aac", rate=8000)
        assert isinstance(sound, av.AudioStream)
        frame = av.AudioFrame(format="fltp", layout="mono", samples=1024)
        frame.sample_rate, frame.pts = 8000, 0
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        for packet in [*sound.encode(frame), *sound.encode()]:
            output.mux(packet)
    assert refusal(out.getvalue())["code"] == "no_video"


def test_large_files_and_frames_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    huge = refusal(mp4(3, fps=1, size=(4112, 16)))
    assert huge["code"] == "too_many_pixels"
    assert huge["message"] == "This video is 4112×16: a video can be at most 4096 pixels wide and high."

    monkeypatch.setattr(video, "MAX_UPLOAD_BYTES", 1024 * 1024)
    data = mp4()
    too_large = refusal(data + bytes(1024 * 1024 + 1 - len(data)))
    assert (too_large["code"], too_large["message"]) == ("too_large", "The video is larger than 1 MB.")
