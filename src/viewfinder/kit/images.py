"""Uploaded images made safe to store and serve: checked by their content, bounded, re-encoded, thumbnailed.

Whatever arrives (JPEG, PNG or WebP, whatever its name or declared type says) is decoded by Pillow, turned
upright by its EXIF orientation, converted to sRGB from its colour profile, flattened onto white when it has
transparency, shrunk to a maximum width and written again as a progressive JPEG. Re-encoding drops every piece
of metadata (EXIF with its GPS position, XMP, comments, the profile) and anything hidden after the image data.

Decoding is CPU work of tens of milliseconds: callers in the event loop run `prepare_image` in a thread.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from viewfinder.kit.errors import InvalidInput

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
# An image's pixels, not its bytes, decide the memory decoding takes: a small PNG can hold 50,000 × 50,000.
MAX_PIXELS = 40_000_000
FULL_WIDTH = 1080
THUMBNAIL_WIDTH = 320
AVATAR_SIZE = 320
JPEG_QUALITY = 85
WHITE = (255, 255, 255)


class InvalidImage(InvalidInput):
    type, title = "invalid-image", "The image cannot be used"


@dataclass(frozen=True)
class PreparedImage:
    """The stored image and its thumbnail, both JPEG, with the full image's size in pixels."""

    jpeg: bytes
    width: int
    height: int
    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int


def prepare_image(data: bytes, *, field: str = "file") -> PreparedImage:
    """Check and re-encode an upload; raises InvalidImage (a 422 naming `field`) when it cannot be used."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidImage.on(field, f"The image is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", "too_large")
    image = _open(data, field)
    image = _upright_rgb(image)
    full = _shrunk(image, FULL_WIDTH)
    thumbnail = _shrunk(full, THUMBNAIL_WIDTH)
    return PreparedImage(
        jpeg=_jpeg(full),
        width=full.width,
        height=full.height,
        thumbnail=_jpeg(thumbnail),
        thumbnail_width=thumbnail.width,
        thumbnail_height=thumbnail.height,
    )


def prepare_avatar(data: bytes, *, field: str = "file") -> bytes:
    """Check an upload as `prepare_image` does and make it a profile picture: the middle square, as a JPEG of
    `AVATAR_SIZE` pixels a side (smaller images keep their size)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidImage.on(field, f"The image is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", "too_large")
    image = _upright_rgb(_open(data, field))
    side = min(image.width, image.height, AVATAR_SIZE)
    return _jpeg(ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS))


def _open(data: bytes, field: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises past twice the limit; either way the image is refused here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise InvalidImage.on(
                    field, f"The image has more than {MAX_PIXELS // 1_000_000} million pixels.", "too_many_pixels"
                )
            image.load()  # decodes now, so a truncated or corrupt file fails here and not later
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidImage.on(field, "This is not a JPEG, PNG or WebP image.", "not_an_image") from None
    except (OSError, SyntaxError, ValueError):  # Pillow's ways of saying the data is damaged
        raise InvalidImage.on(field, "The image file is damaged or incomplete.", "damaged_image") from None
    return image


def _upright_rgb(image: Image.Image) -> Image.Image:
    """Upright, in sRGB, without transparency and without any of the original's metadata."""
    icc_profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        rgb = Image.new("RGB", rgba.size, WHITE)
        rgb.paste(rgba, mask=rgba.getchannel("A"))
    else:
        rgb = image.convert("RGB")
    rgb = _in_srgb(rgb, icc_profile)
    rgb.info = {}  # the encoder would otherwise copy the comment and the colour profile into the output
    return rgb


def _in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert from the image's own colour profile (a phone's Display P3, say), which the output will not carry."""
    if not icc_profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError):  # a broken profile: the pixels as they are beat no image at all
        return image
    return converted or image


def _shrunk(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()
