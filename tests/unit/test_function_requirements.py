"""Pillow is deployed only with the function that decodes pictures: a layer module that imports
PIL must be reached only from handlers whose own requirements.txt lists pillow."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "functions" / "shared" / "video_pipeline"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative, inside the layer
                names.add(f"video_pipeline.{module}")
            names.add(module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _needs_pillow(names: set[str], seen: set[str] | None = None) -> bool:
    seen = seen if seen is not None else set()
    if any(name == "PIL" or name.startswith("PIL.") for name in names):
        return True
    for name in names - seen:
        seen.add(name)
        module = LAYER / f"{name.removeprefix('video_pipeline.')}.py"
        found = name.startswith("video_pipeline.") and module.is_file()
        if found and _needs_pillow(_imports(module), seen):
            return True
    return False


def _requirements(folder: Path) -> str:
    path = folder / "requirements.txt"
    return path.read_text(encoding="utf-8").lower() if path.is_file() else ""


def test_functions_that_reach_pil_list_pillow_and_the_layer_does_not() -> None:
    handlers = sorted(ROOT.glob("functions/*/app.py"))
    using = [h.parent.name for h in handlers if _needs_pillow(_imports(h))]
    assert using == ["make_image_renditions", "search_image_faces"]
    for name in using:
        assert "pillow" in _requirements(ROOT / "functions" / name)
    assert "pillow" not in _requirements(ROOT / "functions" / "shared")
