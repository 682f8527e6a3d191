"""Reading template.yaml: resources, parameters and the intrinsic functions the template uses.

The local runtime and the tests take every name, ARN, key schema and environment variable from
here, so nothing the template defines is typed twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import TemplateError as TemplateError  # where callers have long imported it

_SHORT_FORMS = {
    "Ref": "Ref",
    "GetAtt": "Fn::GetAtt",
    "Sub": "Fn::Sub",
    "Join": "Fn::Join",
    "If": "Fn::If",
    "Equals": "Fn::Equals",
    "Not": "Fn::Not",
    "And": "Fn::And",
    "Or": "Fn::Or",
    "Select": "Fn::Select",
    "Split": "Fn::Split",
    "Condition": "Condition",
}
_SUB_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


# libyaml's parser where PyYAML was built with it: a tenth of the time.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CfnLoader(_SafeLoader):  # type: ignore[misc]
    """A YAML loader that turns CloudFormation short forms (!Ref, !Sub...) into long forms."""


def _construct(tag: str) -> Any:
    def build(loader: _CfnLoader, node: yaml.Node) -> dict[str, Any]:
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if tag == "GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {_SHORT_FORMS[tag]: value}

    return build


for _tag in _SHORT_FORMS:
    _CfnLoader.add_constructor(f"!{_tag}", _construct(_tag))


def _checked_parameter(name: str, spec: dict[str, Any], value: str) -> str:
    """Refuse what CloudFormation would refuse, so a local run fails the same way."""
    if spec.get("Type") == "Number":
        try:
            number = float(value)
        except ValueError:
            raise TemplateError(f"Parameter {name} must be a number, not {value!r}") from None
        if "MinValue" in spec and number < float(spec["MinValue"]):
            raise TemplateError(f"Parameter {name} must be at least {spec['MinValue']}")
        if "MaxValue" in spec and number > float(spec["MaxValue"]):
            raise TemplateError(f"Parameter {name} must be at most {spec['MaxValue']}")
    allowed = spec.get("AllowedValues")
    if allowed is not None and value not in {str(v) for v in allowed}:
        choices = ", ".join(str(v) for v in allowed)
        raise TemplateError(f"Parameter {name} must be one of {choices}, not {value!r}")
    pattern = spec.get("AllowedPattern")
    if pattern is not None and re.fullmatch(str(pattern), value) is None:
        raise TemplateError(f"Parameter {name}={value!r} does not match {pattern}")
    return value


def load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(loaded, dict):
        raise TemplateError(f"{path} is not a template")
    return loaded


@dataclass
class Template:
    """A parsed template plus the values its references resolve to in one deployment."""

    path: Path
    body: dict[str, Any]
    parameters: dict[str, str] = field(default_factory=dict)
    pseudo: dict[str, str] = field(default_factory=dict)
    # Physical ids (Ref) and attributes (GetAtt), filled in as resources are created.
    refs: dict[str, str] = field(default_factory=dict)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        path: Path,
        overrides: Mapping[str, str] | None = None,
        *,
        stack_name: str = "reelscribe",
        region: str = "us-east-1",
        account: str = "123456789012",
    ) -> Template:
        body = load_yaml(path)
        declared = body.get("Parameters") or {}
        unknown = set(overrides or {}) - set(declared)
        if unknown:
            raise TemplateError(f"Unknown template parameters: {', '.join(sorted(unknown))}")
        parameters = {
            name: _checked_parameter(
                name, spec, str((overrides or {}).get(name, spec.get("Default", "")))
            )
            for name, spec in declared.items()
        }
        pseudo = {
            "AWS::StackName": stack_name,
            "AWS::Region": region,
            "AWS::AccountId": account,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": "",
        }
        return cls(path=path, body=body, parameters=parameters, pseudo=pseudo)

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return dict(self.body.get("Resources") or {})

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            name: spec
            for name, spec in self.resources.items()
            if spec.get("Type") == resource_type and self.condition_holds(spec.get("Condition"))
        }

    def globals_for(self, section: str) -> dict[str, Any]:
        return dict((self.body.get("Globals") or {}).get(section) or {})

    def condition_holds(self, name: str | None) -> bool:
        if name is None:
            return True
        conditions = self.body.get("Conditions") or {}
        return bool(self.resolve(conditions[name]))

    # ------------------------------------------------------------------ intrinsics
    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            handler = getattr(self, "_fn_" + key.replace("Fn::", "").lower(), None)
            if key in ("Ref", "Condition") or key.startswith("Fn::"):
                if handler is None:
                    raise TemplateError(f"{key} is not supported by the local runtime")
                return handler(arg)
        return {key: self.resolve(item) for key, item in value.items()}

    def _fn_ref(self, name: str) -> str:
        if name in self.parameters:
            return self.parameters[name]
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.refs:
            return self.refs[name]
        raise TemplateError(f"Ref {name} has no value yet")

    def _fn_getatt(self, arg: list[str] | str) -> str:
        resource, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
        try:
            return self.attributes[(resource, attribute)]
        except KeyError:
            raise TemplateError(f"GetAtt {resource}.{attribute} has no value yet") from None

    def _fn_sub(self, arg: str | list[Any]) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(self.resolve(variables[name]))
            if "." in name:
                return self._fn_getatt(name)
            return self._fn_ref(name)

        return _SUB_VARIABLE.sub(replace, text)

    def _fn_join(self, arg: list[Any]) -> str:
        delimiter, items = arg
        return str(delimiter).join(str(item) for item in self.resolve(items))

    def _fn_select(self, arg: list[Any]) -> Any:
        index, items = arg
        return self.resolve(items)[int(self.resolve(index))]

    def _fn_split(self, arg: list[Any]) -> list[str]:
        delimiter, text = arg
        return str(self.resolve(text)).split(delimiter)

    def _fn_if(self, arg: list[Any]) -> Any:
        name, when_true, when_false = arg
        return self.resolve(when_true if self.condition_holds(name) else when_false)

    def _fn_equals(self, arg: list[Any]) -> bool:
        left, right = self.resolve(arg)
        return bool(str(left) == str(right))

    def _fn_not(self, arg: list[Any]) -> bool:
        return not self.resolve(arg[0])

    def _fn_and(self, arg: list[Any]) -> bool:
        return all(self.resolve(item) for item in arg)

    def _fn_or(self, arg: list[Any]) -> bool:
        return any(self.resolve(item) for item in arg)

    def _fn_condition(self, name: str) -> bool:
        return self.condition_holds(name)


# The demo video `reelscribe run` takes when given none, beside the template.
SAMPLE = Path("samples") / "reelscribe-demo.mp4"


def find_template(start: Path | None = None) -> Path:
    """The project's template.yaml: next to the package in a checkout, or in the working dir."""
    candidates = [Path(__file__).resolve().parents[2] / "template.yaml"]
    if start is not None:
        candidates.insert(0, start / "template.yaml")
    candidates.append(Path.cwd() / "template.yaml")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise TemplateError(
        "template.yaml was not found; run from the project folder or pass --template"
    )
