"""Uploads become upright, bounded, metadata-free JPEGs with a thumbnail; anything else is refused by content."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from viewfinder.kit.images import FULL_WIDTH, THUMBNAIL_WIDTH, InvalidImage, prepare_image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def is_close(pixel: object, expected: tuple[int, int, int], tolerance: int = 12) -> bool:
    """JPEG is lossy: a colour comes back near what went in."""
    assert isinstance(pixel, tuple)
    return all(abs(got - want) <= tolerance for got, want in zip(pixel, expected, strict=True))


def refusal(data: bytes) -> dict[str, str]:
    with pytest.raises(InvalidImage) as caught:
        prepare_image(data, field="media")
    assert caught.value.status == 422
    [error] = caught.value.errors
    assert error["field"] == "media"
    return error


def test_a_large_photo_is_shrunk_with_a_thumbnail_and_keeps_its_proportions() -> None:
    photo = Image.new("RGB", (4000, 3000), (200, 30, 30))

    prepared = prepare_image(encode(photo, "JPEG"))

    assert (prepared.width, prepared.height) == (FULL_WIDTH, 810)
    assert (prepared.thumbnail_width, prepared.thumbnail_height) == (THUMBNAIL_WIDTH, 240)
    full, thumbnail = decoded(prepared.jpeg), decoded(prepared.thumbnail)
    assert (full.format, full.size, full.mode) == ("JPEG", (1080, 810), "RGB")
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (320, 240))
    assert is_close(full.getpixel((540, 405)), (200, 30, 30))


def test_a_small_image_is_not_enlarged() -> None:
    prepared = prepare_image(encode(Image.new("RGB", (200, 100), "white"), "PNG"))
    assert (prepared.width, prepared.height) == (200, 100)
    assert (prepared.thumbnail_width, prepared.thumbnail_height) == (200, 100)


def test_exif_orientation_is_applied_and_every_piece_of_metadata_dropped() -> None:
    # A phone's portrait photo: stored landscape, with "rotate 90°" and where it was taken in its EXIF.
    photo = Image.new("RGB", (400, 300), "navy")
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD)[2] = (45.0, 28.0, 0.0)  # GPSLatitude
    data = encode(photo, "JPEG", exif=exif.tobytes(), comment=b"secret note") + b"hidden after the image"

    prepared = prepare_image(data)

    assert (prepared.width, prepared.height) == (300, 400)
    full = decoded(prepared.jpeg)
    assert not full.getexif()
    assert "exif" not in full.info
    assert "comment" not in full.info
    assert b"hidden after the image" not in prepared.jpeg
    assert b"secret note" not in prepared.jpeg


def test_transparency_is_flattened_onto_white() -> None:
    logo = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    logo.paste((0, 128, 0, 255), (25, 25, 75, 75))

    prepared = prepare_image(encode(logo, "PNG"))

    full = decoded(prepared.jpeg)
    assert full.mode == "RGB"
    assert is_close(full.getpixel((5, 5)), (255, 255, 255))
    assert is_close(full.getpixel((50, 50)), (0, 128, 0))


def test_webp_is_accepted() -> None:
    prepared = prepare_image(encode(Image.new("RGB", (64, 48), "teal"), "WEBP"))
    assert (prepared.width, prepared.height) == (64, 48)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"GIF89a" + b"\x00" * 100, "not_an_image"),
        (b"just some text, named photo.jpg", "not_an_image"),
        (encode(Image.new("RGB", (10, 10)), "GIF"), "not_an_image"),
        (encode(Image.new("RGB", (10, 10)), "BMP"), "not_an_image"),
        (encode(Image.new("RGB", (300, 300), "red"), "JPEG", quality=95)[:400], "damaged_image"),
        (b"", "not_an_image"),
    ],
)
def test_what_is_not_a_whole_jpeg_png_or_webp_is_refused(data: bytes, code: str) -> None:
    assert refusal(data)["code"] == code


def test_too_many_pixels_are_refused_before_decoding() -> None:
    # 48 million one-bit pixels: a PNG of a few kilobytes that would take 144 MB decoded as RGB.
    bomb = encode(Image.new("1", (8000, 6000)), "PNG")
    assert len(bomb) < 100_000
    assert refusal(bomb)["code"] == "too_many_pixels"


def test_too_many_bytes_are_refused() -> None:
    assert refusal(b"\xff\xd8" + b"\x00" * (15 * 1024 * 1024))["code"] == "too_large"


def test_a_colour_profile_is_applied_then_dropped() -> None:
    from PIL import ImageCms

    # A pure red under a Lab-based profile is still red once converted to sRGB; the output carries no profile.
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (50, 50), (255, 0, 0)), "JPEG", icc_profile=srgb)

    prepared = prepare_image(data)

    full = decoded(prepared.jpeg)
    assert "icc_profile" not in full.info
    assert is_close(full.getpixel((25, 25)), (255, 0, 0))
