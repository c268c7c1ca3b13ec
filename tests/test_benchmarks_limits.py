"""The "Python's limit" rows of the benchmark do talon_async's work, minus the checks.

A limit that did less (a field left out, a nested model left as a dict, a timestamp left
as text) would flatter the limit and the conclusions drawn from it, so its results are
compared with talon_async's on the benchmark's own payloads.
"""

from __future__ import annotations

import orjson

from benchmarks.limits import class_creation, unchecked_decoder, unchecked_encoder
from benchmarks.payload import request_body, response_bytes
from talon_async._convert import decode_json, encode, structure
from talon_async.models import Effect, IntegrationRequest, IntegrationStateV2


def test_unchecked_encoder_writes_the_same_body() -> None:
    document = request_body()
    document["customerSession"]["cartItems"][0]["newMember"] = {"kept": True}
    request = structure(document, IntegrationRequest)
    written = orjson.dumps(unchecked_encoder(IntegrationRequest)(request))
    assert orjson.loads(written) == orjson.loads(encode(request))


def test_unchecked_decoder_builds_the_same_effects() -> None:
    answer = orjson.loads(response_bytes())
    answer["effects"][0]["newMember"] = 1
    answer["effects"][0]["props"]["newProp"] = "kept"
    raw = orjson.dumps(answer)
    decode_effect = unchecked_decoder(Effect)
    unchecked = [decode_effect(effect) for effect in orjson.loads(raw)["effects"]]
    checked = structure(decode_json(raw), IntegrationStateV2, strict=True).effects
    assert unchecked == checked
    assert unchecked[0].extra_fields == {"newMember": 1}
    assert unchecked[0].props.extra_fields == {"newProp": "kept"}
    assert {type(effect.props) for effect in unchecked} == {
        type(effect.props) for effect in checked
    }


def test_class_creation_counts_what_a_session_answer_loads() -> None:
    made = class_creation()
    assert made["classes"] >= 100  # the answer's models, effects' props included
    assert made["attrs_ms"] > 0 and made["plain_ms"] > 0
