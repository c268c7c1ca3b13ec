"""Loyalty programs: balances, unused points and transactions of profiles and cards,
activating and deleting points, generating, linking and unlinking cards.

Programs come from the test (:meth:`Loyalty.add_loyalty_program`, the ``loyaltyPrograms``
seed key), or are created as profile-based ones when a rule first credits them. Points
are moved by rule effects (see ``_ledger``) or by :meth:`Loyalty.add_loyalty_points`.
A profile-based program keeps a ledger per customer profile, a card-based one a ledger
per card. Lists are paged with ``pageSize`` (1 to 1000, default 50) and ``skip``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar

from .._area import Area, Handlers, Seeds, seed_items
from .._http import HandlerCall, Handling, bad_parameter
from .._ledger import (
    NO_EXPIRY,
    NO_START,
    Entry,
    Owner,
    Totals,
    activate,
    balance_view,
    card_view,
    credit,
    debit,
    expired,
    ledger,
    ledger_entry_view,
    new_program,
    points_view,
    program_for,
    projected_tier,
    status,
    subledger_names,
    tier_standing,
    totals,
    transaction_view,
)
from .._schema import STRINGS, Arr, Nullable, OneOf, Text, closed_obj, obj
from .._state import FakeState, ensure_profile, new_id
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

CARD_IDENTIFIER = Text(min_length=4, max_length=108, pattern=r"[A-Za-z0-9._%+@-]+")
GENERATE_LOYALTY_CARD = obj(
    status=OneOf(("active", "inactive")),
    customerProfileIds=STRINGS,
    cardIdentifier=CARD_IDENTIFIER,
)
LOYALTY_CARD_REGISTRATION = obj(("integrationId",), integrationId="string")
ACTIVATE_LOYALTY_POINTS = closed_obj(
    transactionUUIDs=Arr("uuid", max_items=50, min_items=1, unique=True),
    sessionId=Text(min_length=1),
)
DELETE_LOYALTY_TRANSACTIONS = closed_obj(
    ("scope",),
    scope=OneOf(("AllSubledgers", "SelectedSubledgers")),
    subledgerIds=Nullable(STRINGS),
)
SEED_LOYALTY_PROGRAM = obj(
    ("id",),
    id="integer",
    name="string",
    title="string",
    cardBased="boolean",
    subledgers=STRINGS,
    tiers=Arr(obj(("name", "minPoints"), name="string", minPoints="number")),
    usersPerCardLimit="integer",
    tiersExpireOn="date-time",
)
_STATUSES = ("active", "pending", "expired")
_SORTS = ("startDate", "expiryDate", "-startDate", "-expiryDate")
_TRANSACTION_TYPES = ("manual", "session", "import")
_CARD_CODE = tuple(string.ascii_uppercase + string.digits)
_PAGE_SIZE = 50


def _program(state: FakeState, call: HandlerCall) -> JsonObject:
    program_id = call.ids["loyaltyProgramId"]
    program = state.loyalty_programs.get(program_id)
    if program is None:
        raise not_found("Loyalty program", program_id, "loyaltyProgramId")
    return program


def _profile_ledger(state: FakeState, call: HandlerCall) -> tuple[JsonObject, Owner]:
    """The program and the customer profile of a profile ledger's path."""
    program = _program(state, call)
    if program["cardBased"]:
        raise bad_parameter(
            "loyaltyProgramId",
            f"loyalty program {program['id']} is card-based: its points are on cards",
            where="path",
        )
    integration_id = call.params["integrationId"]
    if integration_id not in state.profiles:
        raise not_found("Customer profile", integration_id, "integrationId")
    return program, ("integrationId", integration_id)


def _card(state: FakeState, call: HandlerCall) -> tuple[JsonObject, JsonObject]:
    """The program and the card of a card's path."""
    program = _program(state, call)
    identifier = call.params["loyaltyCardId"]
    card = state.loyalty_cards.get((program["id"], identifier))
    if card is None:
        raise not_found("Loyalty card", identifier, "loyaltyCardId")
    return program, card


def _card_owner(card: JsonObject) -> Owner:
    return "cardIdentifier", card["identifier"]


def _page(call: HandlerCall, items: list[JsonObject]) -> Answer:
    page, has_more = call.page(items, _PAGE_SIZE)
    return Answer(200, {"hasMore": has_more, "data": page})


def _filter(call: HandlerCall, subledgers: list[str]) -> Callable[[JsonObject], bool]:
    """Whether a record passes the sub-ledger, session and transaction filters of a list."""
    sessions = set(call.strings("customerSessionIDs"))
    uuids = {uuid.lower() for uuid in call.strings("transactionUUIDs")}

    def wanted(record: JsonObject) -> bool:
        return (
            (not subledgers or record["subledgerId"] in subledgers)
            and (not sessions or record.get("customerSessionId") in sessions)
            and (not uuids or record["transactionUUID"].lower() in uuids)
        )

    return wanted


# -- balances --------------------------------------------------------------------------


def get_balances(state: FakeState, call: HandlerCall) -> Answer:
    """GET .../profile/{integrationId}/balances (getLoyaltyBalances)."""
    program, owner = _profile_ledger(state, call)
    at = call.date_time("endDate") or utc_now()
    subledger = call.query.get("subledgerId")
    include_tiers = call.flag("includeTiers")
    include_projection = call.flag("includeProjectedTier")
    records = ledger(state, program["id"], owner)
    sums = totals(records, at)
    main = sums.get("", Totals())
    balance = balance_view(main)
    if include_tiers:
        balance.update(tier_standing(program, main.active))
    if include_projection:
        balance["projectedTier"] = projected_tier(program, records, at, main.active)
    if subledger is None:
        names = subledger_names(program, sums)
    else:
        names = [subledger] if subledger else []
    subledgers = {name: balance_view(sums.get(name, Totals())) for name in names}
    return Answer(200, {"balance": balance, "subledgerBalances": subledgers})


def get_card_balances(state: FakeState, call: HandlerCall) -> Answer:
    """GET .../cards/{loyaltyCardId}/balances (getLoyaltyCardBalances)."""
    program, card = _card(state, call)
    at = call.date_time("endDate") or utc_now()
    wanted = call.strings("subledgerId")
    sums = totals(ledger(state, program["id"], _card_owner(card)), at)
    names = [name for name in wanted if name] if wanted else subledger_names(program, sums)
    answer = {
        "balance": balance_view(sums.get("", Totals())),
        "subledgerBalances": {name: balance_view(sums.get(name, Totals())) for name in names},
        "profiles": card["profiles"],
    }
    return Answer(200, answer)


# -- unused points ---------------------------------------------------------------------


def _sort_key(member: str) -> Callable[[JsonObject], tuple[bool, str]]:
    """Orders points by start or expiry date: no start is the creation, no expiry last."""

    def key(record: JsonObject) -> tuple[bool, str]:
        value = record[member]
        if value == NO_EXPIRY:
            return True, ""
        moment = record["created"] if value in NO_START else value
        return False, timestamp(parse_timestamp(moment))

    return key


def _points(state: FakeState, call: HandlerCall, program: JsonObject, owner: Owner) -> Answer:
    wanted_status = call.choice("status", _STATUSES) or "active"
    sort = call.choice("sort", _SORTS)
    wanted = _filter(call, call.strings("subledgerId"))
    now = utc_now()
    found = [
        record
        for record in ledger(state, program["id"], owner)
        if record["type"] == "addition"
        and record["unusedAmount"] > 0
        and status(record, now) == wanted_status
        and wanted(record)
    ]
    if sort is not None:
        found.sort(key=_sort_key(sort.lstrip("-")), reverse=sort.startswith("-"))
    return _page(call, [points_view(record) for record in found])


def get_profile_points(state: FakeState, call: HandlerCall) -> Answer:
    """GET .../profile/{integrationId}/points (getLoyaltyProgramProfilePoints)."""
    program, owner = _profile_ledger(state, call)
    return _points(state, call, program, owner)


def get_card_points(state: FakeState, call: HandlerCall) -> Answer:
    """GET .../cards/{loyaltyCardId}/points (getLoyaltyCardPoints)."""
    program, card = _card(state, call)
    return _points(state, call, program, _card_owner(card))


# -- transactions ----------------------------------------------------------------------


def _transactions(
    state: FakeState, call: HandlerCall, program: JsonObject, owner: Owner, subledgers: list[str]
) -> Answer:
    """The ledger's transactions, newest first, filtered as the query asks."""
    kind = call.choice("loyaltyTransactionType", _TRANSACTION_TYPES)
    start = call.date_time("startDate")
    end = call.date_time("endDate")
    awaiting = call.query.get("awaitsActivation")
    if awaiting is not None and awaiting != "true":
        raise bad_parameter("awaitsActivation", "awaitsActivation can only be true")
    wanted = _filter(call, subledgers)
    now = utc_now()
    found = []
    for record in reversed(ledger(state, program["id"], owner)):
        created = parse_timestamp(record["created"])
        if (
            wanted(record)
            and (kind is None or record["loyaltyTransactionType"] == kind)
            and (start is None or created >= start)
            and (end is None or created <= end)
            and (awaiting is None or (record["awaitsActivation"] and not expired(record, now)))
        ):
            found.append(transaction_view(record))
    return _page(call, found)


def get_profile_transactions(state: FakeState, call: HandlerCall) -> Answer:
    """GET .../profile/{integrationId}/transactions (getLoyaltyProgramProfileTransactions)."""
    program, owner = _profile_ledger(state, call)
    subledger = call.query.get("subledgerId")
    return _transactions(state, call, program, owner, [] if subledger is None else [subledger])


def get_card_transactions(state: FakeState, call: HandlerCall) -> Answer:
    """GET .../cards/{loyaltyCardId}/transactions (getLoyaltyCardTransactions)."""
    program, card = _card(state, call)
    return _transactions(state, call, program, _card_owner(card), call.strings("subledgerId"))


# -- changes ---------------------------------------------------------------------------


def _missing(what: str, value: str, pointer: str) -> ApiError:
    """A 404 for an entity a body member names."""
    return ApiError(
        404,
        f"{what} not found",
        [error_item(f"{what} not found", f"no {what.lower()} {value!r}", pointer=pointer)],
    )


def _invalid(details: str, pointer: str) -> ApiError:
    """A 400 for a body member that does not fit the state."""
    return ApiError(
        400, "Invalid request body", [error_item("Invalid request body", details, pointer=pointer)]
    )


def delete_transactions(state: FakeState, call: HandlerCall) -> Answer:
    """POST .../profile/{integrationId}/delete_transactions
    (deleteLoyaltyTransactionsFromLedgers)."""
    program, owner = _profile_ledger(state, call)
    body: JsonObject = call.body
    every = body["scope"] == "AllSubledgers"
    selected = body.get("subledgerIds") or []
    if not every and not selected:
        raise _invalid("subledgerIds is required with SelectedSubledgers", "/subledgerIds")
    doomed = {
        record["id"]
        for record in ledger(state, program["id"], owner)
        if every or record["subledgerId"] in selected
    }
    state.loyalty_transactions[:] = [
        record for record in state.loyalty_transactions if record["id"] not in doomed
    ]
    return Answer(204)


def activate_points(state: FakeState, call: HandlerCall) -> Answer:
    """POST .../activate_points (activateLoyaltyPoints): by transaction or by session."""
    program = _program(state, call)
    uuids: list[str] | None = call.body.get("transactionUUIDs")
    session_id: str | None = call.body.get("sessionId")
    if (uuids is None) == (session_id is None):
        raise _invalid("give either transactionUUIDs or sessionId", "/")
    additions = [
        record
        for record in state.loyalty_transactions
        if record["programId"] == program["id"] and record["type"] == "addition"
    ]
    if uuids is not None:
        given = [uuid.lower() for uuid in uuids]
        chosen = [r for r in additions if r["transactionUUID"].lower() in given]
        known = {record["transactionUUID"].lower() for record in chosen}
        for index, uuid in enumerate(given):
            if uuid not in known:
                raise _missing("Loyalty transaction", uuid, f"/transactionUUIDs/{index}")
    else:
        chosen = [r for r in additions if r.get("customerSessionId") == session_id]
        if not chosen:
            raise _missing("Customer session with loyalty points", str(session_id), "/sessionId")
    now = utc_now()
    activated = [record for record in chosen if record["awaitsActivation"]]
    for record in activated:
        activate(state, record, now)
    return Answer(
        200, {"ledgerEntries": [ledger_entry_view(state, record) for record in activated]}
    )


def _card_code(state: FakeState, program_id: int) -> str:
    while True:
        code = "".join(state._random.choice(_CARD_CODE) for _ in range(12))
        if (program_id, code) not in state.loyalty_cards:
            return code


def _new_card(
    state: FakeState,
    program: JsonObject,
    identifier: str | None,
    card_status: str,
    profiles: Sequence[str],
    now: datetime,
) -> JsonObject:
    """Store a new card of a card-based program, linked to ``profiles``."""
    moment = timestamp(now)
    identifier = identifier or _card_code(state, program["id"])
    card: JsonObject = {
        "id": new_id(state, "loyaltyCard"),
        "created": moment,
        "programID": program["id"],
        "status": card_status,
        "identifier": identifier,
        "usersPerCardLimit": program["usersPerCardLimit"],
        "profiles": [{"integrationId": p, "timestamp": moment} for p in dict.fromkeys(profiles)],
        "modified": moment,
    }
    state.loyalty_cards[(program["id"], identifier)] = card
    return card


def _card_problem(
    state: FakeState, program: JsonObject, identifier: str | None, profiles: Sequence[str]
) -> tuple[str, str] | None:
    """Why a card cannot be created in a card-based program: (body pointer, details)."""
    if identifier is not None and (program["id"], identifier) in state.loyalty_cards:
        return "/cardIdentifier", f"the card {identifier!r} exists already"
    limit = program["usersPerCardLimit"]
    if 0 < limit < len(set(profiles)):
        return "/customerProfileIds", f"a card of this program links at most {limit} profiles"
    return None


def _not_card_based(program: JsonObject) -> ApiError:
    return bad_parameter(
        "loyaltyProgramId",
        f"loyalty program {program['id']} is profile-based: it has no cards",
        where="path",
    )


def generate_card(state: FakeState, call: HandlerCall) -> Answer:
    """POST .../cards (generateLoyaltyCard): a new card, linked to the profiles given."""
    program = _program(state, call)
    if not program["cardBased"]:
        raise _not_card_based(program)
    body: JsonObject = call.body
    identifier = body.get("cardIdentifier")
    profiles = body.get("customerProfileIds") or []
    for index, integration_id in enumerate(profiles):
        if integration_id not in state.profiles:
            raise _invalid(
                f"no customer profile {integration_id!r}", f"/customerProfileIds/{index}"
            )
    problem = _card_problem(state, program, identifier, profiles)
    if problem is not None:
        raise _invalid(problem[1], problem[0])
    now = utc_now()
    card = _new_card(state, program, identifier, body.get("status") or "active", profiles, now)
    return Answer(200, card_view(state, card, now))


def _registration(state: FakeState, call: HandlerCall) -> tuple[JsonObject, str, bool]:
    """The card of a (un)link request, the profile it names and whether they are linked."""
    _, card = _card(state, call)
    integration_id = call.body["integrationId"]
    if integration_id not in state.profiles:
        raise _missing("Customer profile", integration_id, "/integrationId")
    linked = any(p["integrationId"] == integration_id for p in card["profiles"])
    return card, integration_id, linked


def link_card(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v2/.../cards/{loyaltyCardId}/link_profile (linkLoyaltyCardToProfile)."""
    card, integration_id, linked = _registration(state, call)
    now = utc_now()
    if not linked:
        limit = card["usersPerCardLimit"]
        if 0 < limit <= len(card["profiles"]):
            raise _invalid(f"the card links {limit} profiles already, its limit", "/integrationId")
        card["profiles"].append({"integrationId": integration_id, "timestamp": timestamp(now)})
        card["modified"] = timestamp(now)
    return Answer(200, card_view(state, card, now))


def unlink_card(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v2/.../cards/{loyaltyCardId}/unlink_profile (unlinkLoyaltyCardFromProfile)."""
    card, integration_id, linked = _registration(state, call)
    if not linked:
        raise _invalid(f"the card is not linked to {integration_id!r}", "/integrationId")
    now = utc_now()
    card["profiles"] = [p for p in card["profiles"] if p["integrationId"] != integration_id]
    card["modified"] = timestamp(now)
    return Answer(200, card_view(state, card, now))


def _seed_programs(fake: Loyalty, value: Any) -> None:
    """``loyaltyPrograms``: ``[{"id": 7, "name": "coffee", "cardBased": false,
    "subledgers": ["drinks"], "tiers": [{"name": "Gold", "minPoints": 500}]}]``."""
    for item in seed_items(value, "loyaltyPrograms", SEED_LOYALTY_PROGRAM):
        fake.add_loyalty_program(
            item["id"],
            name=item.get("name"),
            title=item.get("title"),
            card_based=item.get("cardBased", False),
            subledgers=item.get("subledgers", ()),
            tiers=[(tier["name"], tier["minPoints"]) for tier in item.get("tiers", ())],
            users_per_card_limit=item.get("usersPerCardLimit", 1),
            tiers_expire_on=optional_timestamp(item.get("tiersExpireOn")),
        )


class Loyalty(Area):
    """Loyalty programs (seeded), their ledgers and cards."""

    HANDLERS: ClassVar[Handlers] = {
        "getLoyaltyBalances": Handling(get_balances),
        "getLoyaltyCardBalances": Handling(get_card_balances),
        "getLoyaltyProgramProfilePoints": Handling(get_profile_points),
        "getLoyaltyCardPoints": Handling(get_card_points),
        "getLoyaltyProgramProfileTransactions": Handling(get_profile_transactions),
        "getLoyaltyCardTransactions": Handling(get_card_transactions),
        "deleteLoyaltyTransactionsFromLedgers": Handling(
            delete_transactions, DELETE_LOYALTY_TRANSACTIONS
        ),
        "activateLoyaltyPoints": Handling(activate_points, ACTIVATE_LOYALTY_POINTS),
        "generateLoyaltyCard": Handling(generate_card, GENERATE_LOYALTY_CARD),
        "linkLoyaltyCardToProfile": Handling(link_card, LOYALTY_CARD_REGISTRATION),
        "unlinkLoyaltyCardFromProfile": Handling(unlink_card, LOYALTY_CARD_REGISTRATION),
    }
    SEEDS: ClassVar[Seeds] = {"loyaltyPrograms": _seed_programs}

    def add_loyalty_program(
        self,
        program_id: int,
        *,
        name: str | None = None,
        title: str | None = None,
        card_based: bool = False,
        subledgers: Sequence[str] = (),
        tiers: Sequence[tuple[str, float]] = (),
        users_per_card_limit: int = 1,
        tiers_expire_on: datetime | None = None,
    ) -> JsonObject:
        """Create (or redefine) a loyalty program; returns its stored dict.

        A profile-based program keeps points per customer profile, a ``card_based`` one
        per loyalty card (cards link at most ``users_per_card_limit`` profiles, 0 for
        any number). ``subledgers`` are listed in balances even while empty (points may
        go to any sub-ledger). ``tiers`` are ``(name, minimum active points)`` pairs; a
        ledger holds the highest tier its active points reach. With ``tiers_expire_on``
        the tiers expire then, and the projected tier counts the points still active
        at that moment. ``name`` defaults to ``program<id>``, ``title`` to the name.
        """
        with self.lock:
            program = new_program(
                self,
                program_id,
                name=name or f"program{program_id}",
                title=title or name or f"Loyalty program {program_id}",
                card_based=card_based,
                subledgers=subledgers,
                tiers=tiers,
                users_per_card_limit=users_per_card_limit,
                tiers_expire_on=tiers_expire_on,
            )
            self.loyalty_programs[program_id] = program
            return program

    def add_loyalty_card(
        self,
        program_id: int,
        identifier: str | None = None,
        *,
        profiles: Sequence[str] = (),
        status: str = "active",
    ) -> JsonObject:
        """Create a card in card-based program ``program_id``, linked to ``profiles``
        (created if new); returns its stored dict. Without ``identifier`` the fake
        makes one up, as generateLoyaltyCard does. ValueError if the program is unknown
        or profile-based, the card exists or the profiles are too many."""
        with self.lock:
            program = self.loyalty_programs.get(program_id)
            if program is None or not program["cardBased"]:
                raise ValueError(f"no card-based loyalty program {program_id}")
            problem = _card_problem(self, program, identifier, profiles)
            if problem is not None:
                raise ValueError(problem[1])
            now = utc_now()
            for integration_id in profiles:
                ensure_profile(self, integration_id, now)
            return _new_card(self, program, identifier, status, profiles, now)

    def add_loyalty_points(
        self,
        program_id: int,
        owner: str,
        amount: float,
        *,
        subledger_id: str = "",
        name: str = "Manual points",
        start_date: datetime | None = None,
        expiry_date: datetime | None = None,
        awaits_activation: bool = False,
        transaction_type: str = "manual",
    ) -> JsonObject:
        """Add ``amount`` points (spend them if negative) to the ledger of ``owner``: a
        customer profile's integration ID (created if new) in a profile-based program, a
        card identifier in a card-based one. The program is created (profile-based) if
        unknown. Points start at ``start_date`` (pending until then), expire at
        ``expiry_date``, and with ``awaits_activation`` wait for activateLoyaltyPoints.
        ``transaction_type`` is the ``loyaltyTransactionType`` (``manual``, ``session``,
        ``import``). Returns the transaction's stored dict."""
        with self.lock:
            now = utc_now()
            program = program_for(self, program_id)
            if program["cardBased"]:
                if (program_id, owner) not in self.loyalty_cards:
                    raise ValueError(f"loyalty program {program_id} has no card {owner!r}")
                ledger_owner: Owner = ("cardIdentifier", owner)
            else:
                ensure_profile(self, owner, now)
                ledger_owner = ("integrationId", owner)
            entry = Entry(name, subledger_id=subledger_id, transaction_type=transaction_type)
            if amount < 0:
                return debit(self, program_id, ledger_owner, -amount, entry, now)
            return credit(
                self,
                program_id,
                ledger_owner,
                amount,
                entry,
                now,
                start=start_date,
                expiry=expiry_date,
                awaits_activation=awaits_activation,
            )

    def loyalty_balance(self, program_id: int, owner: str, *, subledger_id: str = "") -> float:
        """The active points now of ``owner`` (a profile's integration ID, or a card
        identifier in a card-based program) in a program's (sub-)ledger; 0 when none."""
        with self.lock:
            program = self.loyalty_programs.get(program_id)
            member = "cardIdentifier" if program and program["cardBased"] else "integrationId"
            records = ledger(self, program_id, (member, owner))
            return totals(records, utc_now()).get(subledger_id, Totals()).active
