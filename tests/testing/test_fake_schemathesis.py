"""schemathesis against the fake: requests generated from the spec, bounded and seeded.

The OpenAPI document is the spec's ``openapi.yaml`` with each path's file put in place
of its reference, less the operations the fake does not serve yet. Each served operation
is one test: its examples (the spec's), then generated requests, valid and invalid, all
with the fake's API key, against one fake in thread mode, reset and seeded before each
request. Every answer must be no 5xx, have a documented status and a body that fits the
spec: ``conformance.answer_problems``, where the spec's contradictions are listed with
their reasons (schemathesis' own response checks would report those as failures).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
import yaml
from schemathesis.core.result import Ok

from talon_async.testing import FakeTalon

from ..spec import LOADER, SPEC, operations
from .conformance import answer_problems, documented_statuses
from .test_fake_operations import CLOSE, EVENT, NOT_SERVED_YET, SEED

SEED_OF_THE_RUN = 20240529
EXAMPLES_PER_OPERATION = 10
BEFORE = {
    "getCustomerSession": (CLOSE,),
    "reopenCustomerSession": (CLOSE,),
    "returnCartItems": (CLOSE,),
    "getEventV3": (("POST", "/v3/events", {**EVENT, "integrationId": "pe_12345"}),),
}


def openapi_document() -> dict[str, Any]:
    """The spec as one document: each path's file in place of its reference (as
    ``tests/spec.py`` reads them), less the operations the fake does not serve yet."""
    document: dict[str, Any] = yaml.load(
        (SPEC.parent / "openapi.yaml").read_text("utf-8"), Loader=LOADER
    )
    paths: dict[str, dict[str, Any]] = {}
    for operation_id, (method, path, operation) in operations().items():
        if operation_id not in NOT_SERVED_YET:
            paths.setdefault(path, {})[method.lower()] = copy.deepcopy(operation)
    document["paths"] = paths
    return document


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED_OF_THE_RUN,
        "generation": {
            "max-examples": EXAMPLES_PER_OPERATION,
            "mode": "all",
            "database": "none",
            "with-security-parameters": False,
        },
        "phases": {
            # Boundary values on each side of the constraints, and one method a path lacks.
            "coverage": {"unexpected-methods": ["PATCH"]},
            "stateful": {"enabled": False},
        },
    }
)
SCHEMA = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTalon]:
    with FakeTalon.in_thread() as fake:
        yield fake


@SCHEMA.parametrize()
@hypothesis.settings(deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_the_fake_answers_generated_requests_as_the_spec_says(
    case: schemathesis.Case[Any], fake: FakeTalon
) -> None:
    fake.reset()
    fake.seed(SEED)
    auth = {"Authorization": f"ApiKey-v1 {fake.api_key}"}
    operation_id = case.operation.definition.raw["operationId"]
    # The spec's examples name session1 and the event pe_12345: let them exist.
    before_calls: tuple[tuple[str, str, Any], ...] = BEFORE.get(operation_id, ())
    for method, path, body in before_calls:
        before = requests.request(method, fake.url + path, json=body, headers=auth, timeout=10)
        assert before.status_code < 300, before.text
    response = case.call(base_url=fake.url, headers=auth, timeout=10)
    status = response.status_code
    if case.method.upper() != case.operation.method.upper():
        # The coverage phase tries the methods the path does not have.
        assert status == 405 and response.headers["allow"], response.text
        assert response.json()["StatusCode"] == 405
        return
    assert status < 500, response.text
    assert status in documented_statuses(operation_id), (status, response.text)
    assert answer_problems(operation_id, status, response.content) == []


def test_every_served_operation_of_the_spec_is_tested() -> None:
    loaded = list(SCHEMA.get_all_operations())
    assert all(isinstance(result, Ok) for result in loaded)
    tested = {
        result.ok().definition.raw["operationId"] for result in loaded if isinstance(result, Ok)
    }
    assert tested == set(operations()) - NOT_SERVED_YET
