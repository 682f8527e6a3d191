"""Search Image Faces' crops: each face cut out with room around it, and its place in the crop,
so the face the service searched in a crop can be told from a neighbour's."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from video_pipeline.image_face_search import MIN_CROP_SIDE, crop_face, found_faces


def test_crop_face_small_face_is_enlarged_and_its_box_maps_onto_the_crop() -> None:
    # Given a 400x200 picture with a white square "face" at 300,50 of 40x40 pixels
    picture = Image.new("RGB", (400, 200), "black")
    ImageDraw.Draw(picture).rectangle((300, 50, 339, 89), fill="white")
    box = {"Left": 300 / 400, "Top": 50 / 200, "Width": 40 / 400, "Height": 40 / 200}
    # When it is cropped
    data, inside = crop_face(picture, box)
    crop = Image.open(io.BytesIO(data))
    # Then the crop is big enough to be read, and the face's box in it is over the white square
    assert min(crop.size) >= MIN_CROP_SIDE
    x = round((inside["Left"] + inside["Width"] / 2) * crop.width)
    y = round((inside["Top"] + inside["Height"] / 2) * crop.height)
    grey = crop.convert("L")
    assert grey.getpixel((x, y)) > 200
    corner = (round(inside["Left"] * crop.width) - 5, round(inside["Top"] * crop.height) - 5)
    assert grey.getpixel(corner) < 50


def test_found_faces_failed_face_branch_is_none_and_no_face_is_empty() -> None:
    assert found_faces([{"kind": "faces", "error": {"Error": "X"}}]) is None
    assert found_faces([{"kind": "faces", "response": {"FaceDetails": []}}]) == []
