"""The names Step Functions gives the errors of the services a Task state calls.

Retry and Catch match these names exactly, so a misspelt one silently never matches. The rule is
written here once: the local runtime raises errors by it, and the tests check every ErrorEquals
of the definition against it and each service's own model.
"""

from __future__ import annotations

import re

# How each integration prefixes its errors. An AWS SDK integration (`aws-sdk:<service>:<action>`)
# uses the "Exception prefix" of the Step Functions guide's table of AWS SDK integrations; an
# optimized integration uses its own spelling: `dynamodb:putItem` fails with `DynamoDB.*`,
# `aws-sdk:dynamodb:putItem` with `DynamoDb.*`.
AWS_SDK_PREFIXES = {
    "comprehend": "Comprehend",
    "dynamodb": "DynamoDb",
    "lambda": "Lambda",
    "mediaconvert": "MediaConvert",
    "rekognition": "Rekognition",
    "s3": "S3",
    "sfn": "Sfn",
    "sns": "Sns",
    "transcribe": "Transcribe",
}
OPTIMIZED_PREFIXES = {"dynamodb": "DynamoDB", "lambda": "Lambda", "sns": "SNS"}

# Errors an integration raises that no service model lists: the SDK's own, for a failure on the
# client side or an error code the model lacks. The guide's "Handle Lambda service exceptions"
# names Lambda's; a DynamoDB ValidationException reaches an optimized task as
# DynamoDB.AmazonDynamoDBException.
SDK_ERRORS = {
    "Lambda": frozenset(
        {"AWSLambdaException", "SdkClientException", "ClientExecutionTimeoutException", "Unknown"}
    ),
    "DynamoDB": frozenset({"AmazonDynamoDBException"}),
}

_TASK = re.compile(r"^arn:[\w-]+:states:::(?P<sdk>aws-sdk:)?(?P<service>[a-z0-9]+):")
_FUNCTION = re.compile(r"^arn:[\w-]+:lambda:[^:]*:[^:]*:function:")


def error_name(prefix: str, error: str) -> str:
    """`<prefix>.<error>`, with `Exception` appended when the error's name lacks it, as Step
    Functions names every service error: Rekognition's `InternalServerError` is caught as
    `Rekognition.InternalServerErrorException`, S3's `NoSuchBucket` as
    `S3.NoSuchBucketException`."""
    name = f"{prefix}.{error}"
    return name if name.endswith("Exception") else name + "Exception"


def integration(resource: str) -> tuple[str, str] | None:
    """The (service, error prefix) of the call a Task's Resource makes, whatever its partition:
    `arn:aws-cn:states:::aws-sdk:dynamodb:putItem` -> ("dynamodb", "DynamoDb"). None for a
    resource this module does not know (an activity, an integration not in the tables)."""
    if _FUNCTION.match(resource):
        return "lambda", OPTIMIZED_PREFIXES["lambda"]
    task = _TASK.match(resource)
    if task is None:
        return None
    service = task["service"]
    prefixes = AWS_SDK_PREFIXES if task["sdk"] else OPTIMIZED_PREFIXES
    return (service, prefixes[service]) if service in prefixes else None
