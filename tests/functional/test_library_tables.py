"""The people table kept in the library folder, shared by runs on one `--out` at once: each
run's save writes back only what that run changed, so neither loses the other's people."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reelscribe.runtime.library_tables import LibraryTables
from reelscribe.template import Template
from tests.conftest import ROOT
from tests.support import faces


def _table(client: Any, template: Template, name: str) -> str:
    properties = template.of_type("AWS::DynamoDB::Table")["PeopleTable"]["Properties"]
    client.create_table(
        TableName=name,
        KeySchema=properties["KeySchema"],
        AttributeDefinitions=properties["AttributeDefinitions"],
        BillingMode=properties["BillingMode"],
    )
    return name


def _person(client: Any, table: str, pid: str, name: str) -> None:
    item = {"personId": {"S": pid}, "entry": {"S": "person"}, "name": {"S": name}}
    client.put_item(TableName=table, Item=item)


def _names(folder: Path) -> set[str]:
    items = json.loads((folder / "PeopleTable.json").read_text(encoding="utf-8"))["items"]
    return {i["name"]["S"] for i in items if i["entry"]["S"] == "person"}


def test_library_tables_two_runs_saving_in_turn_keep_both_runs_changes(
    aws: None, template: Template, tmp_path: Path
) -> None:
    import boto3

    client = boto3.client("dynamodb", region_name="us-east-1")
    folder = tmp_path / "tables"
    # Given a library that knows Eileen Collins
    first = LibraryTables(folder, {"PeopleTable": _table(client, template, "t0")}, client)
    first.load()
    _person(client, "t0", "eileen", "Eileen Collins")
    first.save()
    # And two runs that both loaded it, each with its own table in memory
    a = LibraryTables(folder, {"PeopleTable": _table(client, template, "ta")}, client)
    b = LibraryTables(folder, {"PeopleTable": _table(client, template, "tb")}, client)
    a.load()
    b.load()
    # When one enrols Ada and removes Eileen Collins, the other enrols Bo, and they end in turn
    _person(client, "ta", "ada", "Ada")
    client.delete_item(TableName="ta", Key={"personId": {"S": "eileen"}, "entry": {"S": "person"}})
    _person(client, "tb", "bo", "Bo")
    a.save()
    b.save()
    # Then the library has both enrolments and the removal
    assert _names(folder) == {"Ada", "Bo"}


@pytest.mark.slow
def test_faces_add_two_commands_at_once_on_one_out_keep_both_people(tmp_path: Path) -> None:
    # Given two photos of different people
    photos = {
        "Eileen Collins": faces.eileen_collins(tmp_path / "eileen.jpg"),
        "Cameraman": faces.cameraman(tmp_path / "cameraman.jpg"),
    }
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'functions' / 'shared'}:{ROOT}"}
    command = [sys.executable, "-m", "reelscribe", "faces"]
    # When both are enrolled by two commands running at the same time into one folder
    running = [
        subprocess.Popen(
            [*command, "add", name, str(photo), "--out", str(out)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name, photo in photos.items()
    ]
    for process in running:
        _, error = process.communicate(timeout=600)
        assert process.returncode == 0, error.decode()
    # Then the library lists both people
    listed = subprocess.run(
        [*command, "list", "--out", str(out)], env=env, capture_output=True, check=True, text=True
    ).stdout
    assert {line.split("\t")[0] for line in listed.splitlines()} == set(photos)


def test_runtime_whose_collection_another_run_makes_meanwhile_starts_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a library whose face collection another run makes between this run's look for it
    # and its making of it (the look is made to miss what is already there)
    from reelscribe.emulators.face_search import FaceCollectionApis
    from reelscribe.runtime.local import LocalRuntime

    library = tmp_path / ".library"
    with LocalRuntime(ROOT / "template.yaml", library=library) as first:
        made = set(first.rekognition.faces.list_collections({})["CollectionIds"])
    monkeypatch.setattr(
        FaceCollectionApis, "list_collections", lambda self, params: {"CollectionIds": []}
    )
    # When a second run starts on the same library, it starts, with the same collection
    with LocalRuntime(ROOT / "template.yaml", library=library) as second:
        monkeypatch.undo()
        kept = set(second.rekognition.faces.list_collections({})["CollectionIds"])
    assert made
    assert kept == made
