"""What face search adds to a local run, as a ratio of the clip's duration (the target is at most
0.1), with no one, one person and 100 people enrolled, side by side.

The clip is the tests' people clip made longer: Eileen Collins, a stranger and the cameraman
(real photographs from scikit-image), `--each` seconds apiece. Each run is `reelscribe run` in
a process of its own, so each pays the same model loads. One person is enrolled with
`reelscribe faces add`; for 100, Eileen Collins is enrolled so, then 99 distinct faces of
scikit-image's `lfw_subset` (25x25, enlarged until the detector finds them, as the calibration
did) go straight into the library's collection through the emulator's IndexFaces.

    .venv/bin/python bench/face_search.py [--each 15]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "functions" / "shared"), str(ROOT)]

import numpy as np  # noqa: E402 - after the project is on the path
from PIL import Image  # noqa: E402

from reelscribe.emulators.face_collection import FaceCollections  # noqa: E402
from reelscribe.emulators.face_search import FaceCollectionApis  # noqa: E402
from reelscribe.emulators.rekognition_images import ImageApis  # noqa: E402
from reelscribe.emulators.storage import ObjectStore  # noqa: E402
from reelscribe.vision import faces as detector  # noqa: E402
from tests.support import faces  # noqa: E402

TARGET = 0.1
# The first LFW face is the clip's stranger: it is never enrolled.
STRANGERS = range(1, 100)


def _lfw_face(index: int) -> bytes:
    """An LFW face enlarged on a grey canvas, at the first size the detector finds it."""
    from skimage import data

    face = Image.fromarray((data.lfw_subset()[index] * 255).astype(np.uint8))
    for size in (200, 160, 260, 320, 120):
        canvas = Image.new("L", (2 * size, 2 * size), 128)
        canvas.paste(face.resize((size, size), Image.Resampling.BICUBIC), (size // 2, size // 2))
        picture = canvas.convert("RGB")
        if detector.detect(np.asarray(picture)):
            out = io.BytesIO()
            picture.save(out, format="JPEG", quality=92)
            return out.getvalue()
    raise SystemExit(f"no size of LFW face {index} is found by the detector")


def _enrol(out: Path, media: Path, strangers: int) -> int:
    """Eileen Collins by `faces add`, then `strangers` LFW faces by IndexFaces; the faces held."""
    photo = faces.eileen_collins(media / "eileen.jpg")
    _cli("faces", "add", "Eileen Collins", str(photo), "--out", str(out))
    collections = FaceCollections(out / ".library" / "faces")
    with collections.state() as data:
        (name,) = data["collections"]
    images = ImageApis(ObjectStore("us-east-1"))  # Bytes only: no object is read
    apis = FaceCollectionApis(images, collections, "us-east-1", "123456789012")
    for index in list(STRANGERS)[:strangers]:
        answer = apis.index_faces(
            {
                "CollectionId": name,
                "Image": {"Bytes": _lfw_face(index)},
                "ExternalImageId": f"lfw-{index}",
                "MaxFaces": 1,
                "QualityFilter": "NONE",
            }
        )
        if len(answer["FaceRecords"]) != 1:
            raise SystemExit(f"LFW face {index} was not indexed")
    with collections.state() as data:
        return len(data["collections"][name]["faces"])


def _cli(*args: str) -> tuple[float, float]:
    """The command's wall-clock and CPU seconds."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'functions' / 'shared'}:{ROOT}"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reelscribe", *args],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--each", type=float, default=15.0, help="seconds of each photograph")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        media = Path(folder) / "media"
        media.mkdir()
        clip = faces.make_people_clip(media, each=args.each)
        duration = 3 * args.each
        outs = {0: Path(folder) / "none", 1: Path(folder) / "one", 100: Path(folder) / "hundred"}
        held = {0: 0, 1: _enrol(outs[1], media, 0), 100: _enrol(outs[100], media, 99)}
        took: dict[int, tuple[float, float]] = {}
        people: dict[int, list[str]] = {}
        for enrolled, out in outs.items():
            took[enrolled] = _cli("run", str(clip), "--out", str(out), "--quiet")
            view = json.loads((out / clip.stem / "output/vision/people.json").read_text())
            people[enrolled] = sorted({p["name"] for p in view["people"]})
    # On a shared machine the wall clock moves with the load; the CPU seconds say what the work
    # costs whatever else runs, so both are given.
    print(f"{duration:g} s clip, load average {os.getloadavg()[0]:.1f} at the end")
    for enrolled in outs:
        wall, cpu = took[enrolled]
        line = f"  {enrolled:>3} enrolled ({held[enrolled]:>3} faces): run {wall:.1f} s"
        line += f", {cpu:.1f} CPU s"
        if enrolled:
            added, added_cpu = (wall - took[0][0]) / duration, (cpu - took[0][1]) / duration
            met = "ok" if added <= TARGET else f"over the {TARGET} target"
            line += f"; face search adds {added:+.3f}x the clip ({met}), {added_cpu:+.3f}x in CPU"
        print(f"{line}; people named: {', '.join(people[enrolled]) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
