"""Loyalty ledgers: programs, cards and point transactions, what they add up to, their views.

A ledger belongs to a customer profile (profile-based program) or to a loyalty card
(card-based program): it is the records of ``state.loyalty_transactions`` that name the
program and that owner. An addition keeps what is left of its points in
``unusedAmount``; spending takes from the active additions that expire first, and a
spend larger than the active points keeps the shortfall in ``negativeAmount``, which the
next active additions pay back first. Balances are computed from the records when asked,
so every answer (balances, points, transactions, states, inventories) agrees.

The engine moves points for rule effects (:func:`apply_effect`); the loyalty area reads
ledgers and changes them on request; profile deletion forgets a customer's ledgers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from ._state import FakeState, new_id
from ._wire import JsonObject, optional_timestamp, parse_timestamp, timestamp

Owner = tuple[str, str]
"""Whose ledger: ``("integrationId", <profile>)`` or ``("cardIdentifier", <card>)``."""

NO_START = ("immediate", "on_action")
NO_EXPIRY = "unlimited"
_COMMON = ("transactionUUID", "created", "programId", "name", "startDate", "expiryDate")
_OPTIONAL = ("customerSessionId", "rulesetId", "ruleName")


def new_program(
    state: FakeState,
    program_id: int,
    *,
    name: str,
    title: str,
    card_based: bool,
    subledgers: Sequence[str],
    tiers: Sequence[tuple[str, float]],
    users_per_card_limit: int,
    tiers_expire_on: datetime | None,
) -> JsonObject:
    """A loyalty program as the fake keeps it (tiers sorted by their minimum points)."""
    program: JsonObject = {
        "id": program_id,
        "name": name,
        "title": title,
        "cardBased": card_based,
        "subledgers": list(subledgers),
        "tiers": [
            {"id": new_id(state, "tier"), "name": tier_name, "minPoints": min_points}
            for tier_name, min_points in sorted(tiers, key=lambda tier: tier[1])
        ],
        "usersPerCardLimit": users_per_card_limit,
    }
    if tiers_expire_on is not None:
        program["tiersExpireOn"] = timestamp(tiers_expire_on)
    return program


def program_for(state: FakeState, program_id: int) -> JsonObject:
    """The program, created on first use as a profile-based one without tiers."""
    program = state.loyalty_programs.get(program_id)
    if program is None:
        program = new_program(
            state,
            program_id,
            name=f"program{program_id}",
            title=f"Loyalty program {program_id}",
            card_based=False,
            subledgers=(),
            tiers=(),
            users_per_card_limit=1,
            tiers_expire_on=None,
        )
        state.loyalty_programs[program_id] = program
    return program


# -- the records of one ledger ---------------------------------------------------------


def ledger(state: FakeState, program_id: int, owner: Owner) -> list[JsonObject]:
    """The records of one ledger, oldest first."""
    member, value = owner
    return [
        record
        for record in state.loyalty_transactions
        if record["programId"] == program_id and record.get(member) == value
    ]


def expired(record: JsonObject, moment: datetime) -> bool:
    """Whether an addition's points expired by ``moment``."""
    expiry = record["expiryDate"]
    return expiry != NO_EXPIRY and parse_timestamp(expiry) <= moment


def status(record: JsonObject, moment: datetime) -> str:
    """``active``, ``pending`` or ``expired``: the state of an addition's points at a moment."""
    if record["awaitsActivation"]:
        return "pending"
    if record["startDate"] not in NO_START and parse_timestamp(record["startDate"]) > moment:
        return "pending"
    return "expired" if expired(record, moment) else "active"


def _expiry_order(record: JsonObject) -> tuple[bool, str, int]:
    expiry = record["expiryDate"]
    never = expiry == NO_EXPIRY
    return never, "" if never else timestamp(parse_timestamp(expiry)), record["id"]


@dataclass(frozen=True)
class Entry:
    """Where a transaction comes from: its name, sub-ledger, session, rule and kind
    (``loyaltyTransactionType``: ``session``, ``manual`` or ``import``)."""

    name: str
    subledger_id: str = ""
    transaction_uuid: str | None = None
    session_id: str = ""
    ruleset_id: int | None = None
    rule_name: str | None = None
    transaction_type: str = "session"
    customer_profile_id: str = ""


def _record(
    state: FakeState,
    program_id: int,
    owner: Owner,
    kind: str,
    amount: float,
    entry: Entry,
    now: datetime,
) -> JsonObject:
    record: JsonObject = {
        "id": new_id(state, "loyaltyTransaction"),
        "transactionUUID": entry.transaction_uuid or str(uuid4()),
        "created": timestamp(now),
        "programId": program_id,
        "type": kind,
        "name": entry.name,
        "startDate": "immediate",
        "expiryDate": NO_EXPIRY,
        "subledgerId": entry.subledger_id,
        "amount": round(amount, 2),
        owner[0]: owner[1],
        "loyaltyTransactionType": entry.transaction_type,
        "awaitsActivation": False,
    }
    optional = {
        "customerSessionId": entry.session_id,
        "rulesetId": entry.ruleset_id,
        "ruleName": entry.rule_name,
        "customerProfileID": entry.customer_profile_id if owner[0] == "cardIdentifier" else "",
    }
    record.update({key: value for key, value in optional.items() if value not in (None, "")})
    state.loyalty_transactions.append(record)
    return record


def credit(
    state: FakeState,
    program_id: int,
    owner: Owner,
    amount: float,
    entry: Entry,
    now: datetime,
    *,
    start: datetime | None = None,
    expiry: datetime | None = None,
    awaits_activation: bool = False,
) -> JsonObject:
    """Add points to a ledger; returns the addition. Points wait for their ``start``, or
    for an activation when ``awaits_activation``; active ones first pay back a debt."""
    record = _record(state, program_id, owner, "addition", amount, entry, now)
    record["unusedAmount"] = record["amount"]
    if awaits_activation:
        record.update(startDate="on_action", awaitsActivation=True)
    elif start is not None and start > now:
        record["startDate"] = timestamp(start)
    if expiry is not None:
        record["expiryDate"] = timestamp(expiry)
    if status(record, now) == "active":
        pay_back(state, record)
    return record


def debit(
    state: FakeState, program_id: int, owner: Owner, amount: float, entry: Entry, now: datetime
) -> JsonObject:
    """Spend points of a ledger's sub-ledger, those expiring first first; what the active
    points cannot cover becomes a negative balance. Returns the subtraction."""
    records = ledger(state, program_id, owner)
    record = _record(state, program_id, owner, "subtraction", amount, entry, now)
    left = record["amount"]
    active = [
        addition
        for addition in records
        if addition["type"] == "addition"
        and addition["subledgerId"] == entry.subledger_id
        and addition["unusedAmount"] > 0
        and status(addition, now) == "active"
    ]
    for addition in sorted(active, key=_expiry_order):
        taken = min(left, addition["unusedAmount"])
        addition["unusedAmount"] = round(addition["unusedAmount"] - taken, 2)
        left = round(left - taken, 2)
    record.update(spent=True, negativeAmount=left)
    if left > 0:
        record["flags"] = {"createsNegativeBalance": True}
    return record


def pay_back(state: FakeState, addition: JsonObject) -> None:
    """Use an addition that just became active to pay back its sub-ledger's debt."""
    owner = _owner(addition)
    for debt in ledger(state, addition["programId"], owner):
        if debt.get("negativeAmount", 0) > 0 and debt["subledgerId"] == addition["subledgerId"]:
            taken = min(debt["negativeAmount"], addition["unusedAmount"])
            debt["negativeAmount"] = round(debt["negativeAmount"] - taken, 2)
            addition["unusedAmount"] = round(addition["unusedAmount"] - taken, 2)


def activate(state: FakeState, addition: JsonObject, now: datetime) -> None:
    """Activate points that waited for an action: they start now."""
    addition.update(awaitsActivation=False, startDate=timestamp(now))
    if status(addition, now) == "active":
        pay_back(state, addition)


def _owner(record: JsonObject) -> Owner:
    if "cardIdentifier" in record:
        return "cardIdentifier", record["cardIdentifier"]
    return "integrationId", record["integrationId"]


def roll_back(
    state: FakeState, program_id: int, transaction_uuid: str, now: datetime, amount: float
) -> None:
    """Undo ``amount`` points of a transaction (its session was cancelled or reopened, or
    items of it were returned): an addition loses up to that many of its points not yet
    spent, a spend gives its points back."""
    for record in list(state.loyalty_transactions):
        if record["programId"] != program_id or record["transactionUUID"] != transaction_uuid:
            continue
        entry = Entry(
            name=f"Rollback: {record['name']}",
            subledger_id=record["subledgerId"],
            session_id=record.get("customerSessionId", ""),
            ruleset_id=record.get("rulesetId"),
            rule_name=record.get("ruleName"),
            transaction_type=record["loyaltyTransactionType"],
            customer_profile_id=record.get("customerProfileID", ""),
        )
        owner = _owner(record)
        if record["type"] == "addition":
            removed = min(amount, record["unusedAmount"])
            if removed <= 0:
                continue
            record["unusedAmount"] = round(record["unusedAmount"] - removed, 2)
            _record(state, program_id, owner, "subtraction", removed, entry, now).update(
                spent=False, negativeAmount=0.0
            )
        elif record["spent"]:
            given = record["amount"] - record["negativeAmount"]
            record.update(spent=False, negativeAmount=0.0)
            credit(state, program_id, owner, given, entry, now)


def apply_effect(
    state: FakeState, effect: JsonObject, profile_id: str, sign: int, session_id: str, now: datetime
) -> None:
    """Move the points of an ``addLoyaltyPoints`` or ``deductLoyaltyPoints`` effect
    (``sign=-1`` undoes them) on the profile's or the card's ledger."""
    props = effect["props"]
    program = program_for(state, props["programId"])
    if sign < 0:
        roll_back(state, program["id"], props["transactionUUID"], now, props["value"])
        return
    card = props.get("cardIdentifier")
    recipient = props.get("recipientIntegrationId") or profile_id
    if not (card or recipient):
        return  # an anonymous session has no profile ledger
    owner: Owner = ("cardIdentifier", card) if card else ("integrationId", recipient)
    entry = Entry(
        name=props.get("name") or effect["ruleName"],
        subledger_id=props.get("subLedgerId") or "",
        transaction_uuid=props["transactionUUID"],
        session_id=session_id,
        ruleset_id=effect["rulesetId"],
        rule_name=effect["ruleName"],
        customer_profile_id=recipient,
    )
    if effect["effectType"] == "deductLoyaltyPoints":
        debit(state, program["id"], owner, props["value"], entry, now)
        return
    credit(
        state,
        program["id"],
        owner,
        props["value"],
        entry,
        now,
        start=optional_timestamp(props.get("startDate")),
        expiry=optional_timestamp(props.get("expiryDate")),
        awaits_activation=bool(props.get("awaitsActivation")),
    )


def forget_profile(state: FakeState, integration_id: str) -> None:
    """Delete a customer's ledgers and unlink the customer from every card."""
    state.loyalty_transactions[:] = [
        record
        for record in state.loyalty_transactions
        if record.get("integrationId") != integration_id
    ]
    for card in state.loyalty_cards.values():
        card["profiles"] = [p for p in card["profiles"] if p["integrationId"] != integration_id]


# -- what a ledger adds up to ----------------------------------------------------------


@dataclass
class Totals:
    """The points of one (sub-)ledger by state."""

    active: float = 0.0
    pending: float = 0.0
    expired: float = 0.0
    spent: float = 0.0
    negative: float = 0.0


def totals(
    records: Iterable[JsonObject], at: datetime, moment: datetime | None = None
) -> dict[str, Totals]:
    """Totals per sub-ledger of the records created by ``at``, with the points' states as
    they are at ``moment`` (default: ``at``)."""
    moment = moment or at
    found: dict[str, Totals] = {}
    for record in records:
        if parse_timestamp(record["created"]) > at:
            continue
        sums = found.setdefault(record["subledgerId"], Totals())
        if record["type"] == "addition":
            kind = status(record, moment)
            setattr(sums, kind, round(getattr(sums, kind) + record["unusedAmount"], 2))
        elif record["spent"]:
            sums.spent = round(sums.spent + record["amount"], 2)
            sums.negative = round(sums.negative + record["negativeAmount"], 2)
    return found


def balance_view(sums: Totals) -> JsonObject:
    """A LoyaltyBalance."""
    return {
        "activePoints": sums.active,
        "pendingPoints": sums.pending,
        "spentPoints": sums.spent,
        "expiredPoints": sums.expired,
        "negativePoints": sums.negative,
    }


def tier_standing(program: JsonObject, active: float) -> JsonObject:
    """The tier members of a balance: ``currentTier``, ``pointsToNextTier``, ``nextTierName``
    (each only when it applies; nothing for a program without tiers)."""
    tiers = program["tiers"]
    current = _tier_of(tiers, active)
    above = [tier for tier in tiers if tier["minPoints"] > active]
    standing: JsonObject = {}
    if current is not None:
        standing["currentTier"] = {"id": current["id"], "name": current["name"]}
        if "tiersExpireOn" in program:
            standing["currentTier"]["expiryDate"] = program["tiersExpireOn"]
    if above:
        standing["pointsToNextTier"] = round(above[0]["minPoints"] - active, 2)
        standing["nextTierName"] = above[0]["name"]
    return standing


def projected_tier(
    program: JsonObject, records: list[JsonObject], at: datetime, active: float
) -> JsonObject:
    """A ProjectedTier: the main ledger's active points when the tiers expire (the
    program's ``tiersExpireOn``; tiers without an expiry keep the points of ``at``)."""
    expires = program.get("tiersExpireOn")
    projected = active
    if expires is not None:
        moment = max(at, parse_timestamp(expires))
        projected = totals(records, at, moment).get("", Totals()).active
    answer: JsonObject = {"projectedActivePoints": projected}
    tier = _tier_of(program["tiers"], projected)
    if tier is not None:
        answer["projectedTierName"] = tier["name"]
    current = _tier_of(program["tiers"], active)
    if current is not None and (tier is None or tier["minPoints"] < current["minPoints"]):
        answer["stayInTierPoints"] = round(current["minPoints"] - projected, 2)
    return answer


def _tier_of(tiers: list[JsonObject], points: float) -> JsonObject | None:
    reached = [tier for tier in tiers if tier["minPoints"] <= points]
    return reached[-1] if reached else None


def ledger_info(sums: Totals, program: JsonObject | None = None) -> JsonObject:
    """A LedgerInfo (the fake computes no tentative balances: they equal the others),
    with the tier standing when ``program`` is given. Its expired and spent balances are
    deprecated and always 0, as the API documents (the balance operations give them)."""
    info: JsonObject = {
        "currentBalance": sums.active,
        "pendingBalance": sums.pending,
        "expiredBalance": 0.0,
        "spentBalance": 0.0,
        "tentativeCurrentBalance": sums.active,
        "negativeBalance": sums.negative,
        "tentativePendingBalance": sums.pending,
        "tentativeNegativeBalance": sums.negative,
    }
    if program is not None:
        info.update(tier_standing(program, sums.active))
    return info


def subledger_names(program: JsonObject, sums: dict[str, Totals]) -> list[str]:
    """The program's sub-ledgers and those holding points, without the main ledger ``""``."""
    return sorted({*program["subledgers"], *sums} - {""})


# -- views -----------------------------------------------------------------------------


def transaction_view(record: JsonObject) -> JsonObject:
    """A profile's (LedgerTransactionLogEntryIntegrationAPI) or a card's transaction."""
    view = {key: record[key] for key in (*_COMMON, "type", "subledgerId", "amount", "id")}
    view.update({key: record[key] for key in (*_OPTIONAL, "flags") if key in record})
    if "cardIdentifier" in record:
        view["cardIdentifier"] = record["cardIdentifier"]
        view.pop("flags", None)  # card transactions have no flags
    return view


def points_view(record: JsonObject) -> JsonObject:
    """Unused points of an addition (LedgerPointsEntryIntegrationAPI or the card's kind)."""
    view = {key: record[key] for key in ("id", *_COMMON, "subledgerId")}
    view["amount"] = record["unusedAmount"]
    for key in ("customerSessionId", "customerProfileID"):
        if key in record:
            view[key] = record[key]
    return view


def ledger_entry_view(state: FakeState, record: JsonObject) -> JsonObject:
    """A LoyaltyLedgerEntry, as activateLoyaltyPoints answers it."""
    view: JsonObject = {
        "created": record["created"],
        "programID": record["programId"],
        "type": record["type"],
        "amount": record["amount"],
        "name": record["name"],
        "subLedgerID": record["subledgerId"],
        "archived": False,
    }
    if record["startDate"] not in NO_START:
        view["startDate"] = record["startDate"]
    if record["expiryDate"] != NO_EXPIRY:
        view["expiryDate"] = record["expiryDate"]
    card = state.loyalty_cards.get((record["programId"], record.get("cardIdentifier", "")))
    if card is not None:
        view["cardID"] = card["id"]
    profile = record.get("integrationId") or record.get("customerProfileID")
    if profile:
        view["customerProfileID"] = profile
    if "customerSessionId" in record:
        view["customerSessionID"] = record["customerSessionId"]
    return view


def card_view(state: FakeState, card: JsonObject, now: datetime) -> JsonObject:
    """A LoyaltyCard with its program's names and its balances now."""
    program = state.loyalty_programs[card["programID"]]
    sums = totals(ledger(state, program["id"], ("cardIdentifier", card["identifier"])), now)
    view = {**card, "programName": program["name"], "programTitle": program["title"]}
    view["ledger"] = ledger_info(sums.get("", Totals()), program)
    view["subledgers"] = {
        name: ledger_info(sums.get(name, Totals())) for name in subledger_names(program, sums)
    }
    return view


def standing(state: FakeState, integration_id: str, now: datetime) -> JsonObject:
    """A customer's Loyalty: the profile-based programs the customer has points in, and the
    cards linked to the customer."""
    programs: JsonObject = {}
    for program_id, program in sorted(state.loyalty_programs.items()):
        records = ledger(state, program_id, ("integrationId", integration_id))
        if program["cardBased"] or not records:
            continue
        sums = totals(records, now)
        entry: JsonObject = {
            "id": program_id,
            "title": program["title"],
            "name": program["name"],
            "joinDate": records[0]["created"],
            "ledger": ledger_info(sums.get("", Totals()), program),
        }
        names = subledger_names(program, sums)
        if names:
            entry["subLedgers"] = {name: ledger_info(sums.get(name, Totals())) for name in names}
        programs[str(program_id)] = entry
    answer: JsonObject = {"programs": programs}
    cards = [
        card_view(state, card, now)
        for card in state.loyalty_cards.values()
        if any(p["integrationId"] == integration_id for p in card["profiles"])
    ]
    if cards:
        answer["cards"] = cards
    return answer
