"""The layer's AWS clients are typed with boto3's stubs, so mypy checks every call made through
them: a wrong client or a wrong parameter is a type error, and Lambda needs no stub at run time."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "functions" / "shared" / "video_pipeline"
HANDLERS = sorted(ROOT.glob("functions/*/app.py"))
CLIENT_NAMES = {"s3", "sfn", "dynamodb", "sns", "comprehend", "rekognition", "client"}

# Wrong boto3 calls written into a copy of the layer: (file, the real text, the wrong text).
MISTAKES = (
    ("execution_history.py", "reverseOrder=newest_first", "reverse_order=newest_first"),
    ("stopped_reporter.py", "TopicArn=failure_topic_arn", "TopicArn=len(failure_topic_arn)"),
)
# A caller handing the layer the wrong service's client.
WRONG_CLIENTS = """\
import boto3

from video_pipeline.analysis_branches import read_document
from video_pipeline.rekognition_jobs import start_job

read_document(boto3.client("comprehend"), "bucket", "key")
start_job(boto3.client("s3"), "text", "bucket", "key", "video")
"""


def _functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_layer_client_parameters_are_typed_with_the_stubs_not_any() -> None:
    untyped = []
    for path in sorted(LAYER.glob("*.py")):
        for function in _functions(path):
            arguments = function.args
            for argument in arguments.posonlyargs + arguments.args + arguments.kwonlyargs:
                if argument.arg not in CLIENT_NAMES:
                    continue
                annotation = ast.unparse(argument.annotation) if argument.annotation else ""
                if not annotation.endswith("Client"):
                    untyped.append(f"{path.name}:{function.name}({argument.arg}: {annotation})")
    assert untyped == []


def test_handler_clients_are_annotated_with_their_service() -> None:
    bare = []
    for path in HANDLERS:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and "boto3.client(" in ast.unparse(node.value):
                bare.append(f"{path.parent.name}: {ast.unparse(node)}")
    assert bare == []


def _stub_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    return {m for m in modules if m.startswith("mypy_boto3_")}


def test_layer_and_handlers_import_without_the_stubs_they_are_typed_with() -> None:
    # Given the layer and the handlers, typed with boto3's stubs
    stubs = sorted(set().union(*(_stub_imports(p) for p in [*LAYER.glob("*.py"), *HANDLERS])))
    assert {"mypy_boto3_s3", "mypy_boto3_comprehend", "mypy_boto3_rekognition"} <= set(stubs)
    # When they are imported where no stub package is installed, as on Lambda
    modules = sorted(f"video_pipeline.{p.stem}" for p in LAYER.glob("*.py") if p.stem != "__init__")
    modules.remove("video_pipeline.image_renditions")  # Pillow: deployed with one function only
    program = (
        "import importlib, sys\n"
        f"sys.modules.update(dict.fromkeys({stubs!r}))\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import runpy\n"
        f"for path in {[str(h) for h in HANDLERS]!r}:\n"
        "    if 'make_image_renditions' not in path: runpy.run_path(path)\n"
    )
    env = {"PYTHONPATH": str(LAYER.parent), "AWS_DEFAULT_REGION": "us-east-1", "PATH": ""}
    env |= {"OUTPUT_BUCKET": "out", "VIDEOS_TABLE": "videos", "FAILURE_TOPIC_ARN": "arn:t"}
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, check=False
    )
    # Then every one still imports
    assert done.returncode == 0, done.stderr[-2000:]


def _errors(output: str) -> dict[tuple[str, int], str]:
    found = {}
    for line in output.splitlines():
        match = re.match(r"(.+?):(\d+): error: (.*)", line)
        if match:
            found[(Path(match.group(1)).name, int(match.group(2)))] = match.group(3)
    return found


def _untyped_packages() -> str:
    """The project's own mypy sections for packages that ship no type information."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    sections = [
        f"[mypy-{module}]\nignore_missing_imports = True\n"
        for override in settings["tool"]["mypy"].get("overrides", [])
        if override.get("ignore_missing_imports")
        for module in override["module"]
    ]
    return "".join(sections)


def test_wrong_client_or_parameter_in_a_boto3_call_is_a_type_error(tmp_path: Path) -> None:
    # Given a copy of the layer with wrong boto3 calls written into it, and a caller that hands
    # it the wrong service's client
    copy = tmp_path / "layer" / "video_pipeline"
    shutil.copytree(LAYER, copy)
    expected: set[tuple[str, int]] = set()
    for name, right, wrong in MISTAKES:
        source = (copy / name).read_text(encoding="utf-8")
        assert source.count(right) == 1, f"{name} no longer says {right}"
        line = source[: source.index(right)].count("\n") + 1
        (copy / name).write_text(source.replace(right, wrong), encoding="utf-8")
        expected.add((name, line))
    caller = tmp_path / "layer" / "caller.py"
    caller.write_text(WRONG_CLIENTS, encoding="utf-8")
    expected |= {("caller.py", 6), ("caller.py", 7)}
    config = tmp_path / "mypy.ini"
    config.write_text(
        f"[mypy]\npython_version = 3.11\nstrict = True\nexplicit_package_bases = True\n"
        f"mypy_path = {tmp_path / 'layer'}\n{_untyped_packages()}",
        encoding="utf-8",
    )
    # When mypy --strict checks them
    cache = ROOT / ".mypy_cache" / "client-types"
    out, err, _ = api.run(
        ["--config-file", str(config), "--cache-dir", str(cache), str(copy), str(caller)]
    )
    errors = _errors(out)
    # Then each wrong call, and nothing else in the layer, is an error (mypy may name the line
    # its call starts on, just above the wrong keyword)
    assert len(errors) == len(expected), out + err
    for name, line in errors:
        assert any(n == name and 0 <= at - line <= 2 for n, at in expected), out
    assert "S3Client" in errors[("caller.py", 6)]
    assert "RekognitionClient" in errors[("caller.py", 7)]
