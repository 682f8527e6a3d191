"""Pictures: reading them, turning them upright, fitting and stripping their renditions, and
refusing what is not a picture with a plain reason."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.support.images import (
    GPS_IFD,
    ORIENTATION,
    make_decompression_bomb,
    make_eight_bit_copy,
    make_huge_photo,
    make_landscape_with_rotation,
    make_photo,
    make_pixel,
    make_sixteen_bit_png,
    make_slide,
    make_text_named_png,
    make_truncated_jpeg,
)
from video_pipeline.errors import ImageTooLargeError, ImageTooSmallError, UnreadableImageError
from video_pipeline.image_renditions import IMAGE_RENDITIONS, fit_box, read_picture, render

BOXES = {box.name: box for box in IMAGE_RENDITIONS}


def _rendition(path: Path, name: str) -> Image.Image:
    picture = read_picture(path.read_bytes(), path.name)
    return Image.open(io.BytesIO(render(picture, BOXES[name])))


def test_read_picture_photo_keeps_size_and_format(tmp_path: Path) -> None:
    picture = read_picture(make_photo(tmp_path / "me.jpg").read_bytes(), "me.jpg")
    assert (picture.format, picture.width, picture.height) == ("JPEG", 512, 512)
    assert picture.rotated is False


@pytest.mark.parametrize("name", ["web", "phone", "thumbnail"])
def test_render_photo_with_gps_writes_jpeg_without_any_metadata(tmp_path: Path, name: str) -> None:
    # Given a phone photo whose EXIF holds a camera, a time and a GPS position
    source = make_photo(tmp_path / "holiday.jpg")
    assert Image.open(source).getexif().get_ifd(GPS_IFD)

    # When a rendition is made
    rendition = _rendition(source, name)

    # Then it is a JPEG inside its box that carries no EXIF, GPS, XMP or comment at all
    box = BOXES[name]
    assert rendition.format == "JPEG"
    assert rendition.width <= box.max_width
    assert rendition.height <= box.max_height
    assert len(rendition.getexif()) == 0
    assert not rendition.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "comment"} & set(rendition.info)


def test_render_slide_fits_web_and_phone_boxes_keeping_aspect(tmp_path: Path) -> None:
    source = make_slide(tmp_path / "slide.png")
    assert _rendition(source, "web").size == (1280, 720)
    assert _rendition(source, "phone").size == (960, 540)
    assert _rendition(source, "thumbnail").size == (320, 180)


def test_render_exif_rotated_photo_is_upright(tmp_path: Path) -> None:
    # Given a 400x200 JPEG, red on its left half, whose EXIF says "turn 90 degrees clockwise"
    source = make_landscape_with_rotation(tmp_path / "turned.jpg")
    picture = read_picture(source.read_bytes(), "turned.jpg")

    # When its web rendition is made
    rendition = _rendition(source, "web").convert("RGB")

    # Then it is shown turned: portrait, red on top, and the picture counts as rotated
    assert picture.rotated is True
    assert rendition.size == (200, 400)
    red, _, blue = rendition.getpixel((100, 50))  # type: ignore[misc]
    assert (red > 200, blue < 60) == (True, True)
    red, _, blue = rendition.getpixel((100, 350))  # type: ignore[misc]
    assert (blue > 200, red < 60) == (True, True)


def test_fit_box_never_upscales_and_turns_the_box_for_portrait() -> None:
    assert fit_box(100, 50, BOXES["web"]) == (100, 50)
    assert fit_box(1080, 1920, BOXES["web"]) == (720, 1280)
    assert fit_box(4000, 3000, BOXES["phone"]) == (853, 640)


def test_read_picture_truncated_jpeg_raises_unreadable_image(tmp_path: Path) -> None:
    source = make_truncated_jpeg(tmp_path / "cut.jpg")
    with pytest.raises(UnreadableImageError, match=r"cut\.jpg is a damaged or incomplete picture"):
        read_picture(source.read_bytes(), "cut.jpg")


def test_read_picture_text_named_png_raises_unreadable_image(tmp_path: Path) -> None:
    source = make_text_named_png(tmp_path / "notes.png")
    with pytest.raises(UnreadableImageError, match=r"notes\.png is not a picture"):
        read_picture(source.read_bytes(), "notes.png")


def test_read_picture_one_pixel_raises_too_small(tmp_path: Path) -> None:
    source = make_pixel(tmp_path / "pixel.png")
    with pytest.raises(ImageTooSmallError, match="1x1 pixels, too small"):
        read_picture(source.read_bytes(), "pixel.png")


def test_read_picture_decompression_bomb_raises_too_large_before_decoding(tmp_path: Path) -> None:
    source = make_decompression_bomb(tmp_path / "bomb.png")
    assert source.stat().st_size < 1_000_000
    with pytest.raises(ImageTooLargeError, match="decompression bombs"):
        read_picture(source.read_bytes(), "bomb.png")


def test_read_picture_gif_raises_unreadable_image_naming_the_formats(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(buffer, "GIF")
    with pytest.raises(UnreadableImageError, match="GIF picture; pictures are taken as JPEG"):
        read_picture(buffer.getvalue(), "anim.png")


def test_read_picture_empty_raises_unreadable_image() -> None:
    with pytest.raises(UnreadableImageError, match="empty"):
        read_picture(b"", "blank.jpg")


def test_read_picture_heic_without_decoder_says_so() -> None:
    # The start of an iPhone's HEIC file: an ISO BMFF box "ftyp" with the brand "heic"
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
    with pytest.raises(UnreadableImageError, match="HEIC picture, and no HEIF decoder"):
        read_picture(data, "IMG_0001.HEIC")


@pytest.mark.parametrize("kind", ["grey", "rgb", "rgba"])
def test_sixteen_bit_png_renditions_are_as_bright_as_the_8_bit_copys(
    tmp_path: Path, kind: str
) -> None:
    # Given the astronaut as a 16-bit PNG and the same picture with 8 bits a sample
    sixteen = make_sixteen_bit_png(tmp_path / "sixteen.png", kind)
    eight = make_eight_bit_copy(tmp_path / "eight.png", kind)
    for name in BOXES:
        # When each is rendered
        with _rendition(sixteen, name) as ours, _rendition(eight, name) as reference:
            # Then the renditions look the same: same size, same brightness, same picture
            assert ours.size == reference.size
            ours_pixels = np.asarray(ours.convert("RGB"), dtype=np.float64)
            reference_pixels = np.asarray(reference.convert("RGB"), dtype=np.float64)
            assert abs(ours_pixels.mean() - reference_pixels.mean()) < 2, name
            assert np.abs(ours_pixels - reference_pixels).mean() < 3, name


@pytest.mark.slow
def test_read_picture_huge_jpeg_keeps_its_size_and_renders_as_a_small_copy(
    tmp_path: Path,
) -> None:
    # Given a photograph of 11000x8000 pixels, stored on its side (EXIF Orientation 6)
    path = tmp_path / "huge.jpg"
    photo = Image.open(make_huge_photo(path))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    photo.rotate(90, expand=True).save(path, "JPEG", quality=90, exif=exif)

    # When it is read and rendered
    picture = read_picture(path.read_bytes(), path.name)
    with Image.open(io.BytesIO(render(picture, BOXES["web"]))) as web:
        # Then the picture keeps the size it is shown at, and the web rendition is fitted to
        # that from a copy decoded at an eighth of the stored pixels or more
        assert (picture.width, picture.height, picture.rotated) == (11_000, 8_000, True)
        assert web.size == fit_box(11_000, 8_000, BOXES["web"])
        assert max(picture.image.size) < 11_000
        assert picture.image.width >= web.width
