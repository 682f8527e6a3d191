"""`reelscribe faces add|list|remove`: the people whose faces the library knows.

Adding is an upload, as on AWS: each photo goes into the upload bucket under
`known-faces/<Name>/`, and the state machine's Enroll Face indexes it. Listing reads the people
table; removing invokes the template's RemovePersonFunction. The collection and the people table
are kept in `<out>/.library`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from video_pipeline.errors import InvalidPersonNameError
from video_pipeline.people import list_people
from video_pipeline.person_names import person_name
from video_pipeline.upload import KNOWN_FACES_PREFIX, is_image_name

from .errors import UsageError
from .library import library_dir

if TYPE_CHECKING:  # the runtime loads moto and the engines: only `faces` commands need it
    from .runtime.local import LocalRuntime

_DEFAULT_OUT = Path("reelscribe-out")


def add_faces_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    faces = commands.add_parser(
        "faces",
        help="enrol, list and remove the people whose faces are named in videos and pictures",
        epilog="Exit status: 0 when done, 1 when a photo was refused (no face, or no clearly "
        "largest one), 2 for a usage mistake.",
    )
    actions = faces.add_subparsers(dest="faces_command", required=True)
    out_help = "the output folder whose library holds the faces (default: %(default)s)"
    add = actions.add_parser("add", parents=[common], help="enrol photos of one person")
    add.add_argument("name", help="the person's name, as it is shown (any script, 100 at most)")
    add.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="photos of them")
    add.add_argument("--out", type=Path, default=_DEFAULT_OUT, help=out_help)
    listing = actions.add_parser("list", parents=[common], help="the people enrolled")
    listing.add_argument("--out", type=Path, default=_DEFAULT_OUT, help=out_help)
    remove = actions.add_parser(
        "remove", parents=[common], help="delete a person's faces and photos everywhere"
    )
    remove.add_argument("name", help="the person's name")
    remove.add_argument("--out", type=Path, default=_DEFAULT_OUT, help=out_help)


def _name(raw: str) -> str:
    try:
        name = person_name(raw)
    except InvalidPersonNameError as error:
        raise UsageError(str(error)) from None
    if "/" in name:
        raise UsageError(f"A person's name cannot hold '/': {name}")
    return name


def _check_image(path: Path) -> None:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if not is_image_name(path.name):
        raise UsageError(f"{path}: not a picture the pipeline reads (JPEG, PNG, WebP, HEIC)")
    from PIL import Image, UnidentifiedImageError  # only `faces add` reads pictures

    try:
        with Image.open(path) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UsageError(f"{path}: the picture cannot be read ({error})") from None


def command_faces(args: argparse.Namespace, template: Path, stream: TextIO) -> int:
    out: Path = args.out
    if args.faces_command == "add":
        name = _name(args.name)
        for image in args.images:
            _check_image(image)
    elif args.faces_command == "remove":
        name = _name(args.name)
    from .runtime.local import LocalRuntime

    runtime = LocalRuntime(
        template, function_log=out / "logs" / "functions.jsonl", library=library_dir(out)
    )
    with runtime:
        if args.faces_command == "add":
            return _add(runtime, name, args.images, stream)
        if args.faces_command == "remove":
            return _remove(runtime, name, stream)
        return _list(runtime, stream)


def _add(runtime: LocalRuntime, name: str, images: list[Path], stream: TextIO) -> int:
    refused = 0
    for image in images:
        event = runtime.upload(image, f"{KNOWN_FACES_PREFIX}{name}/{image.name}")
        (execution,) = runtime.dispatch(event, name_hint=f"enrol-{name}")
        described = runtime.wait(execution)
        if described["status"] == "SUCCEEDED":
            print(json.loads(described["output"])["message"], file=stream)
        else:
            refused += 1
            print(f"Refused {image}: {_reason(runtime, execution)}", file=stream)
    return 1 if refused else 0


def _reason(runtime: LocalRuntime, execution: str) -> str:
    """The cause Enroll Face failed with, as its function raised it."""
    for event in reversed(runtime.history(execution)):
        failed = event.get("lambdaFunctionFailedEventDetails") or {}
        if failed:
            try:
                return str(json.loads(failed.get("cause") or "{}").get("errorMessage"))
            except ValueError:
                return str(failed.get("cause"))
    described = runtime.describe(execution)
    return str(described.get("cause") or described.get("error") or "it failed")


def _list(runtime: LocalRuntime, stream: TextIO) -> int:
    table = runtime.deployment.output("PeopleTableName")
    people = list_people(runtime.session.client("dynamodb"), table)
    for person in people:
        photos = "photo" if person["photos"] == 1 else "photos"
        print(f"{person['name']}\t{person['photos']} {photos}", file=stream)
    if not people:
        print("No one is enrolled.", file=stream)
    return 0


def _remove(runtime: LocalRuntime, name: str, stream: TextIO) -> int:
    spec = runtime.deployment.function_for(runtime.deployment.output("RemovePersonFunctionArn"))
    result = runtime.functions.invoke(spec, json.dumps({"name": name}).encode())
    answer = json.loads(result.payload)
    if result.function_error:
        if answer.get("errorType") == "PersonNotFoundError":
            raise UsageError(str(answer.get("errorMessage")))
        print(f"Not removed: {answer.get('errorMessage')}", file=stream)
        return 1
    print(answer["message"], file=stream)
    return 0
