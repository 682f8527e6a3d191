"""Lambda Invoke, answered by running the template's function locally."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import unquote

from botocore.response import StreamingBody

from ..runtime.deployment import Deployment
from ..runtime.interception import Router, ServiceError
from ..runtime.lambdas import LocalFunctions


class LambdaService:
    def __init__(self, deployment: Deployment, functions: LocalFunctions) -> None:
        self._deployment = deployment
        self._functions = functions

    def register(self, router: Router) -> None:
        router.answer("lambda", "Invoke", self.invoke)

    def invoke(self, params: dict[str, Any]) -> dict[str, Any]:
        name = unquote(str(params.get("FunctionName", "")))
        try:
            spec = self._deployment.function_for(name)
        except KeyError:
            raise ServiceError(
                "ResourceNotFoundException", f"Function not found: {name}", 404
            ) from None
        payload = params.get("Payload") or b"{}"
        if isinstance(payload, str):
            payload = payload.encode()
        elif not isinstance(payload, bytes):
            payload = json.dumps(payload).encode()
        result = self._functions.invoke(spec, payload)
        response: dict[str, Any] = {
            "StatusCode": 200,
            "ExecutedVersion": "$LATEST",
            "Payload": StreamingBody(io.BytesIO(result.payload), len(result.payload)),
        }
        if result.function_error:
            response["FunctionError"] = result.function_error
        return response
