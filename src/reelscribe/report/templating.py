"""The Jinja2 environment every report page is rendered with: autoescaped templates from
templates/, the stylesheet and script from assets/ inlined, and the number formats."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
)
from markupsafe import Markup

from ..jsonfiles import to_json
from ..speech.model_cache import cache_root
from .formats import clock, seconds


@cache
def asset(name: str) -> Markup:
    """A file of assets/, trusted as it is: the page's own stylesheet or script."""
    text = (files(__package__) / "assets" / name).read_text(encoding="utf-8")
    return Markup(text)  # noqa: S704 - the package's own file, never user data


def _num(value: float, places: int = 1) -> str:
    return f"{value:.{places}f}"


def _dumps(value: Any, **_: Any) -> str:
    # Whatever the run wrote (datetimes, decimals) goes into the page's data as it would in
    # the output folder; tojson then escapes < > & ' so no string can end the script element.
    return to_json(value, indent=False, lenient=True)


def _compiled_templates() -> BytecodeCache | None:
    """Jinja's compiled templates, kept in the cache folder: compiling them anew cost every run
    a tenth of a CPU second. Jinja checks each against its template's source before using it."""
    folder = cache_root() / "report-templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # compiled each time, as without a cache
    return FileSystemBytecodeCache(str(folder))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader(__package__, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_compiled_templates(),
    )
    env.globals["asset"] = asset
    env.filters.update(num=_num, seconds=seconds, clock=clock)
    env.policies["json.dumps_function"] = _dumps
    env.policies["json.dumps_kwargs"] = {}
    return env


def render(template: str, **context: Any) -> Markup:
    """A template rendered as markup, ready to be placed in another one unescaped."""
    page = environment().get_template(template).render(**context)
    return Markup(page)  # noqa: S704 - the template escaped every value it placed
