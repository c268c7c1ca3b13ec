"""Cart item catalogs and price history: catalog syncs and best prior prices.

A sync takes actions of one type; it applies them to a copy of the catalog's items and
keeps the copy only when every action succeeded, then counts up the catalog's version.
Rules see the items (``context.catalog_item(sku)``). Every price a sync sets (items
added or patched with a ``price``, price adjustments) is observed in the price history
at once, next to the observations a test registers with :meth:`add_price_history`;
``bestPriorPrice`` answers from that history.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from .._area import Area, Handlers, Seeds, seed_items
from .._http import HandlerCall, Handling
from .._schema import STRINGS, Arr, Int, Nullable, OneOf, Tagged, Text, obj, validate
from .._state import FakeState, new_id
from .._wire import (
    Answer,
    ApiError,
    JsonObject,
    error_item,
    not_found,
    optional_timestamp,
    parse_timestamp,
    timestamp,
    utc_now,
)

_FILTERS = Arr(
    obj(
        ("attr", "op", "value"),
        attr="string",
        op=OneOf(("EQ", "LT", "LE", "GT", "GE", "IN")),
        value="any",  # untyped in the spec: null too
    )
)
ITEM = obj(
    ("sku",),
    sku="string",
    price="number",
    attributes="object",
    product=obj(("name",), name="string"),
)
_ADJUSTMENT = obj(
    ("priceType", "referenceId"),
    priceType="string",
    price=Nullable("number"),  # null: the price type no longer applies
    referenceId=Text(min_length=1),
    calculatedAt="date-time",
    effectiveFrom="date-time",
    effectiveUntil="date-time",
    contextId="string",
)
PAYLOADS = {
    "ADD": obj(("sku",), replaceIfExists="boolean", **ITEM.fields),
    "PATCH": obj(("sku",), createIfNotExists="boolean", **ITEM.fields),
    "PATCH_MANY": obj(price="number", filters=_FILTERS, attributes="object"),
    "REMOVE": obj(("sku",), sku="string"),
    "REMOVE_MANY": obj(filters=_FILTERS),
    # The spec writes the 1-100 bounds inside the items; they bound the list.
    "ADD_PRICE_ADJUSTMENT": obj(
        ("sku", "adjustments"), sku="string", adjustments=Arr(_ADJUSTMENT, 100, min_items=1)
    ),
}
CATALOG_SYNC_REQUEST = obj(
    ("actions",),
    actions=Arr(
        Tagged(
            "type",
            {kind: obj(("type", "payload"), payload=payload) for kind, payload in PAYLOADS.items()},
        ),
        1000,
        min_items=1,
    ),
    version=Int(minimum=1),
)
BEST_PRIOR_PRICE_REQUEST = obj(
    ("skus", "timeframeEndDate", "timeframe", "timeframeEndDateType"),
    skus=Arr("string", min_items=1),
    timeframeEndDate="date-time",
    timeframe="string",
    timeframeEndDateType=OneOf(("strict", "price", "sale")),
    target=obj(("targetType",), targetType=OneOf(("NONE", "AUDIENCE")), audienceID="integer"),
)
SEED_CATALOG = obj(("id",), id="integer", name="string", description="string", items=Arr(ITEM))
SEED_PRICE = obj(
    ("sku", "observedAt", "price"),
    sku="string",
    observedAt="date-time",
    price="number",
    contextIds=STRINGS,
    audienceId="integer",
)
_DAYS = re.compile(r"[0-9]{1,6}")
# What a sync's actions observe: (SKU, price, when, context IDs, adjustment details).
Observation = tuple[str, float, datetime, list[str], JsonObject | None]


def _invalid(pointer: str, details: str) -> ApiError:
    return ApiError(
        400, "Invalid request body", [error_item("Invalid sync", details, pointer=pointer)]
    )


def _missing(where: str, sku: str) -> ApiError:
    return ApiError(
        404,
        "Catalog item not found",
        [error_item("Catalog item not found", f"no item {sku!r}", pointer=f"{where}/sku")],
    )


def _number(value: Any) -> float | None:
    """A filter operand as a number (numbers and numeric strings), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _equal(have: Any, want: Any) -> bool:
    a, b = _number(have), _number(want)
    return have == want if a is None or b is None else a == b


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "LT": lambda a, b: a < b,
    "LE": lambda a, b: a <= b,
    "GT": lambda a, b: a > b,
    "GE": lambda a, b: a >= b,
}


def _matches(item: JsonObject, condition: JsonObject) -> bool:
    """Whether an item's attribute meets one filter; an item without it never does."""
    have, want = item["attributes"].get(condition["attr"]), condition["value"]
    if have is None:
        return False
    if condition["op"] == "EQ":
        return _equal(have, want)
    if condition["op"] == "IN":
        options = want if isinstance(want, list) else str(want).split(",")
        return any(_equal(have, o.strip() if isinstance(o, str) else o) for o in options)
    a, b = _number(have), _number(want)
    return a is not None and b is not None and _COMPARE[condition["op"]](a, b)


def _selected(items: dict[str, JsonObject], payload: JsonObject, where: str) -> list[str]:
    """The SKUs of the items matching every filter of a PATCH_MANY or REMOVE_MANY."""
    filters = payload.get("filters") or []
    for index, condition in enumerate(filters):
        if condition["op"] in _COMPARE and _number(condition["value"]) is None:
            raise _invalid(
                f"{where}/filters/{index}/value", f"{condition['op']} compares numbers only"
            )
    return [sku for sku, item in items.items() if all(_matches(item, f) for f in filters)]


def _change(item: JsonObject, payload: JsonObject) -> None:
    """Set the price and product an action gives, and merge its attributes."""
    item["attributes"].update(payload.get("attributes") or {})
    for member in ("price", "product"):
        if payload.get(member) is not None:
            item[member] = payload[member]


def _apply(
    items: dict[str, JsonObject],
    kind: str,
    payload: JsonObject,
    where: str,
    catalog_id: int,
    now: datetime,
) -> list[Observation]:
    """Apply one action to the items; returns the prices it set."""
    sku = payload.get("sku", "")
    item = items.get(sku)
    if kind == "ADD":
        if item is not None and not payload.get("replaceIfExists"):
            raise _invalid(
                f"{where}/sku",
                f"the catalog already has {sku!r}; set replaceIfExists to replace it",
            )
        new: JsonObject = {"sku": sku, "catalogId": catalog_id, "attributes": {}}
        if item is not None and "price" in item:
            new["price"] = item["price"]  # a replacement without a price keeps the old one
        _change(new, payload)
        items[sku] = new
    elif kind == "PATCH":
        if item is None and not payload.get("createIfNotExists"):
            raise _missing(where, sku)
        items.setdefault(sku, {"sku": sku, "catalogId": catalog_id, "attributes": {}})
        _change(items[sku], payload)
    elif kind == "PATCH_MANY":
        selected = _selected(items, payload, where)
        for chosen in selected:
            _change(items[chosen], payload)
        price = payload.get("price")
        return [] if price is None else [(s, price, now, [], None) for s in selected]
    elif kind in ("REMOVE", "REMOVE_MANY"):
        if kind == "REMOVE" and item is None:
            raise _missing(where, sku)
        for chosen in [sku] if kind == "REMOVE" else _selected(items, payload, where):
            del items[chosen]
        return []
    else:  # ADD_PRICE_ADJUSTMENT
        if item is None:
            raise _missing(where, sku)
        return _adjust(item, payload["adjustments"], now)
    price = payload.get("price")
    return [] if price is None else [(sku, price, now, [], None)]


def _adjust(item: JsonObject, adjustments: list[JsonObject], now: datetime) -> list[Observation]:
    """Set (or, with a null price, end) prices of other price types of an item."""
    observed: list[Observation] = []
    kept = item.get("adjustments", [])
    for adjustment in adjustments:
        kept = [old for old in kept if old["priceType"] != adjustment["priceType"]]
        if adjustment.get("price") is None:
            continue
        kept.append(dict(adjustment))
        details = {
            "referenceId": adjustment["referenceId"],
            "selectedPriceType": adjustment["priceType"],
            "value": adjustment["price"],
        }
        since = adjustment.get("effectiveFrom")
        observed.append(
            (
                item["sku"],
                adjustment["price"],
                parse_timestamp(since) if since else now,
                [adjustment["contextId"]] if adjustment.get("contextId") else [],
                details,
            )
        )
    item["adjustments"] = kept
    return observed


def sync_catalog(state: FakeState, call: HandlerCall) -> Answer:
    """PUT /v1/catalogs/{catalogId}/sync (syncCatalog): all actions, or none."""
    catalog_id = call.ids["catalogId"]
    catalog = state.catalogs.get(catalog_id)
    if catalog is None:
        raise not_found("Catalog", catalog_id, "catalogId")
    actions: list[JsonObject] = call.body["actions"]
    if len({action["type"] for action in actions}) > 1:
        raise _invalid("/actions", "a sync takes actions of one type only")
    seen: set[str] = set()
    for index, action in enumerate(actions):
        sku = action["payload"].get("sku")
        if sku in seen:
            raise _invalid(f"/actions/{index}/payload/sku", f"{sku!r} appears twice in the sync")
        if sku is not None:
            seen.add(sku)
    version = call.body.get("version")
    if version is not None and version != catalog["version"]:
        raise _invalid("/version", f"the catalog is at version {catalog['version']}")
    now = utc_now()
    items = copy.deepcopy(state.catalog_items[catalog_id])
    observed = [
        observation
        for index, action in enumerate(actions)
        for observation in _apply(
            items, action["type"], action["payload"], f"/actions/{index}/payload", catalog_id, now
        )
    ]
    state.catalog_items[catalog_id] = items
    catalog.update(version=catalog["version"] + 1, modified=timestamp(now))
    for sku, price, at, context_ids, details in observed:
        _observe(state, sku, price, at, context_ids=context_ids, adjustment=details)
    return Answer(200, catalog)


def _observe(
    state: FakeState,
    sku: str,
    price: float,
    at: datetime,
    *,
    context_ids: Sequence[str] = (),
    audience_id: int | None = None,
    adjustment: JsonObject | None = None,
) -> JsonObject:
    """Record a price observation of a SKU (a BestPriorPrice) in the price history."""
    metadata: JsonObject = {"influencingCampaignDetails": []}
    if adjustment is not None:
        metadata["adjustmentDetails"] = adjustment
    observation: JsonObject = {
        "id": new_id(state, "price observation"),
        "sku": sku,
        "observedAt": timestamp(at),
        "price": price,
        "contextIds": list(context_ids),
        "metadata": metadata,
        "target": {"type": "NONE"}
        if audience_id is None
        else {"type": "AUDIENCE", "audience": {"id": audience_id}},
    }
    history = state.price_history.setdefault(sku, [])
    history.append(observation)
    history.sort(key=lambda seen: parse_timestamp(seen["observedAt"]))
    return observation


def _audience_id(observation: JsonObject) -> int | None:
    """The audience an observation's price was for (None: for everyone)."""
    audience = observation["target"].get("audience")
    return None if audience is None else int(audience["id"])


def _best(
    history: list[JsonObject], audience_id: int | None, end: datetime, days: int, end_type: str
) -> JsonObject | None:
    """The lowest price of the window (the latest observation among equal ones)."""
    seen = [
        observation
        for observation in history
        if _audience_id(observation) == audience_id
        and parse_timestamp(observation["observedAt"]) <= end
    ]
    if not seen:
        return None
    if end_type != "strict":
        # The window ends where the current price (``price``) or context (``sale``) began.
        def same(observation: JsonObject) -> Any:
            if end_type == "price":
                return observation["price"]
            return sorted(observation["contextIds"])

        begins = len(seen) - 1
        while begins > 0 and same(seen[begins - 1]) == same(seen[-1]):
            begins -= 1
        end = parse_timestamp(seen[begins]["observedAt"])
        seen = seen[:begins]
    start = end - timedelta(days=days)
    window = [o for o in seen if parse_timestamp(o["observedAt"]) >= start]
    return min(reversed(window), key=lambda o: o["price"]) if window else None


def best_prior_price(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v1/best_prior_price (bestPriorPrice): the lowest price of each SKU in the
    timeframe, from observations for the request's target (everyone, or one audience)."""
    body: JsonObject = call.body
    if not _DAYS.fullmatch(body["timeframe"]) or int(body["timeframe"]) < 1:
        raise ApiError(
            400,
            "Invalid request body",
            [error_item("Invalid timeframe", "a whole number of days", pointer="/timeframe")],
        )
    target = body.get("target") or {"targetType": "NONE"}
    audience_id = target.get("audienceID") if target["targetType"] == "AUDIENCE" else None
    if target["targetType"] == "AUDIENCE" and audience_id is None:
        raise ApiError(
            400,
            "Invalid request body",
            [
                error_item(
                    "Missing audience", "AUDIENCE needs audienceID", pointer="/target/audienceID"
                )
            ],
        )
    end = parse_timestamp(body["timeframeEndDate"])
    found = []
    for sku in dict.fromkeys(body["skus"]):
        best = _best(
            state.price_history.get(sku, []),
            audience_id,
            end,
            int(body["timeframe"]),
            body["timeframeEndDateType"],
        )
        if best is not None:
            found.append(_with_audience(state, best))
    return Answer(200, found)


def _with_audience(state: FakeState, observation: JsonObject) -> JsonObject:
    """An observation with its audience's integration and integrationId, when it has any."""
    audience_id = _audience_id(observation)
    audience = None if audience_id is None else state.audiences.get(audience_id)
    if audience is None:
        return observation
    reference: JsonObject = {"id": audience["id"]}
    reference.update((k, audience[k]) for k in ("integration", "integrationId") if k in audience)
    return {**observation, "target": {"type": "AUDIENCE", "audience": reference}}


def _seed_catalogs(fake: Catalogs, value: Any) -> None:
    """``catalogs``: ``[{"id": 1, "name": "shop", "items": [{"sku": "A", "price": 5}]}]``."""
    for item in seed_items(value, "catalogs", SEED_CATALOG):
        fake.add_catalog(
            item["id"],
            item.get("items", ()),
            name=item.get("name"),
            description=item.get("description", ""),
        )


def _seed_prices(fake: Catalogs, value: Any) -> None:
    """``priceHistory``: ``[{"sku": "A", "observedAt": "...", "price": 5, "contextIds": [...],
    "audienceId": 7}]``."""
    for item in seed_items(value, "priceHistory", SEED_PRICE):
        at = optional_timestamp(item.get("observedAt"))
        assert at is not None  # a required member
        fake.add_price_history(
            item["sku"],
            [(at, item["price"])],
            context_ids=item.get("contextIds", ()),
            audience_id=item.get("audienceId"),
        )


class Catalogs(Area):
    """Cart item catalogs, and the price history of SKUs."""

    HANDLERS: ClassVar[Handlers] = {
        "syncCatalog": Handling(sync_catalog, CATALOG_SYNC_REQUEST),
        "bestPriorPrice": Handling(best_prior_price, BEST_PRIOR_PRICE_REQUEST),
    }
    SEEDS: ClassVar[Seeds] = {"catalogs": _seed_catalogs, "priceHistory": _seed_prices}

    def add_catalog(
        self,
        catalog_id: int,
        items: Iterable[JsonObject] = (),
        *,
        name: str | None = None,
        description: str = "",
    ) -> JsonObject:
        """Create (or replace) a cart item catalog, at version 1; returns its stored dict.

        ``items`` are wire dicts as an ``ADD`` action carries them: ``sku``, and
        optionally ``price``, ``attributes`` and ``product`` (``{"name": ...}``).
        """
        stored: dict[str, JsonObject] = {}
        for index, item in enumerate(items):
            problems = validate(item, ITEM, f"/items/{index}")
            if problems:
                raise ValueError(problems[0]["details"])
            stored[item["sku"]] = {"sku": item["sku"], "catalogId": catalog_id, "attributes": {}}
            _change(stored[item["sku"]], copy.deepcopy(item))
        now = timestamp(utc_now())
        with self.lock:
            catalog: JsonObject = {
                "id": catalog_id,
                "created": now,
                "accountId": self.account_id,
                "modified": now,
                "name": name or f"catalog{catalog_id}",
                "description": description,
                "version": 1,
                "createdBy": 1,
                "subscribedApplicationsIds": [self.application_id],
            }
            self.catalogs[catalog_id] = catalog
            self.catalog_items[catalog_id] = stored
            return catalog

    def add_price_history(
        self,
        sku: str,
        observations: Iterable[tuple[datetime, float]],
        *,
        context_ids: Sequence[str] = (),
        audience_id: int | None = None,
    ) -> list[JsonObject]:
        """Record prices of ``sku`` as observed at the given moments: ``(when, price)``
        pairs, all in the contexts ``context_ids`` (e.g. a sale) and, with
        ``audience_id``, for that audience only. Returns the observations stored
        (BestPriorPrice dicts), which ``bestPriorPrice`` chooses from."""
        with self.lock:
            return [
                _observe(self, sku, price, at, context_ids=context_ids, audience_id=audience_id)
                for at, price in observations
            ]
