"""The organisation menu: one list of sections and the pages in them.

Every page under `/o/<slug>/` shows the same menu. It is grouped in a few sections
(money, building, people, admin) so that a volunteer treasurer or a
coordinator on a phone finds a page in two taps. Each item names the permission set
from `roles.py` that its page requires, so the menu shows a person only what their
roles let them open; the views check the same sets.

Adding a page to the menu is one line in `MENU` (see docs/contributing.md).

Which item is "the current page" (`aria-current="page"`): an item claims the URL names
it lists in `current_for`; otherwise the item whose address (or one of the folders in
`also_under`) is the longest start of the current address wins, so
`/gebouwen/boekingen/12/` marks "Bookings", not "Buildings". An item with a query
(`?soort=member`) wins over the same address without one when the request carries
that query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .access import OrganisationAccess
from .roles import (
    ALL_ROLES,
    MANAGE_SALES,
    SUBMIT_EXPENSE_CLAIMS,
    VIEW_AUDIT_LOG,
    VIEW_BOOKS,
    VIEW_PARTNERS,
    VIEW_PEOPLE,
    VIEW_PERSONS,
    VIEW_SALES,
    VIEW_SHARES,
    Role,
)


@dataclass(frozen=True)
class MenuItem:
    """One page in the menu."""

    label: StrOrPromise
    url_name: str
    allowed: frozenset[str] = ALL_ROLES
    # Other URL names whose pages belong to this item (for aria-current).
    current_for: frozenset[str] = frozenset()
    # Other folders under /o/<slug>/ whose pages belong to this item ("bank/").
    also_under: tuple[str, ...] = ()
    # A query string that filters the page ("soort=member"), without the "?".
    query: str = ""
    # Only the address itself is this item, not the pages below it (the dashboard).
    exact: bool = False


@dataclass(frozen=True)
class MenuSection:
    """A group of pages behind one disclosure button."""

    key: str
    label: StrOrPromise
    items: tuple[MenuItem, ...]


OVERVIEW = MenuItem(_("Overview"), "dashboard", exact=True)

LEDGER_REPORTS = frozenset(
    {
        "trial_balance",
        "income_statement",
        "balance_sheet",
        "independence",
        "budget_vs_actual",
        "result_by_building",
        "result_by_activity",
        "cash_position",
        "fund_movements",
    }
)

MENU: tuple[MenuSection, ...] = (
    MenuSection(
        "money",
        _("Money"),
        (
            MenuItem(_("Books"), "ledger_home", VIEW_BOOKS),
            MenuItem(_("Bank"), "bank_account_list", VIEW_BOOKS, also_under=("bank/",)),
            MenuItem(_("Expense claims"), "claim_list", SUBMIT_EXPENSE_CLAIMS),
            MenuItem(_("Invoices"), "invoice_list", VIEW_SALES, also_under=("klanten/",)),
            MenuItem(_("Membership fees"), "membership_fees", VIEW_SALES),
            MenuItem(_("Reports"), "report_index", VIEW_BOOKS, LEDGER_REPORTS),
        ),
    ),
    MenuSection(
        "building",
        _("Building"),
        (
            MenuItem(_("Buildings"), "building_list"),
            MenuItem(_("Bookings"), "booking_list"),
            MenuItem(_("Occupancy"), "occupancy_report"),
            MenuItem(_("Invoice bookings"), "booking_invoicing", MANAGE_SALES),
        ),
    ),
    MenuSection(
        "people",
        _("People"),
        (
            MenuItem(_("Persons"), "person_list", VIEW_PERSONS),
            MenuItem(_("Members"), "person_list", VIEW_PERSONS, query="soort=member"),
            MenuItem(_("Volunteers"), "volunteer_list", VIEW_PERSONS),
            MenuItem(_("Activities"), "activity_list"),
            MenuItem(_("Partners"), "partner_list", VIEW_PARTNERS, also_under=("contracten/",)),
            MenuItem(_("Jobs"), "job_list", VIEW_PERSONS),
            MenuItem(_("Shifts"), "shift_list", VIEW_PERSONS),
            MenuItem(_("Member shares"), "share_register", VIEW_SHARES),
            # Volunteers log their own hours and pick shifts; others reach the pages by
            # their address too.
            MenuItem(_("My hours"), "my_hours", frozenset({Role.VOLUNTEER})),
            MenuItem(_("My shifts"), "my_shifts", frozenset({Role.VOLUNTEER})),
            MenuItem(_("My details"), "my_data"),
        ),
    ),
    MenuSection(
        "admin",
        _("Admin"),
        (
            MenuItem(_("Organisation"), "organisation_settings"),
            MenuItem(_("People and roles"), "people", VIEW_PEOPLE),
            MenuItem(_("Decisions"), "decision_list"),
            MenuItem(_("Activity log"), "audit_log", VIEW_AUDIT_LOG),
        ),
    ),
)


@dataclass(frozen=True)
class ShownItem:
    label: StrOrPromise
    url: str
    current: bool = False


@dataclass(frozen=True)
class ShownSection:
    key: str
    label: StrOrPromise
    items: tuple[ShownItem, ...]
    current: bool = False


@dataclass(frozen=True)
class Menu:
    overview: ShownItem
    sections: tuple[ShownSection, ...] = field(default_factory=tuple)


def _query_matches(query: str, params: Mapping[str, str]) -> bool:
    return all(params.get(key) == value for key, value in parse_qsl(query))


def _score(
    item: MenuItem,
    *,
    path: str,
    item_path: str,
    root: str,
    url_name: str,
    params: Mapping[str, str],
) -> tuple[int, int, int] | None:
    """How well `item` fits the current page; None when it does not fit at all."""
    if url_name in item.current_for:
        return (2, 0, 0)
    if item.exact:
        prefixes = [item_path] if path == item_path else []
    else:
        folders = [item_path] + [root + folder for folder in item.also_under]
        prefixes = [folder for folder in folders if path.startswith(folder)]
    if not prefixes:
        return None
    longest = max(len(prefix) for prefix in prefixes)
    if item.query:
        if not _query_matches(item.query, params):
            return None
        return (1, 1, longest)
    return (1, 0, longest)


def menu_for(
    *, access: OrganisationAccess, path: str, url_name: str = "", params: Mapping[str, str]
) -> Menu:
    """The sections and items `access` may see, with the current page marked.

    `path` is the request's path, `url_name` the name it resolved to and `params` its
    query parameters. Sections without a visible item are left out.
    """
    slug = access.organisation.slug
    visible: list[tuple[MenuSection, list[tuple[MenuItem, str]]]] = []
    for section in MENU:
        items = [
            (item, reverse(item.url_name, kwargs={"organisation": slug}))
            for item in section.items
            if access.has(item.allowed)
        ]
        if items:
            visible.append((section, items))
    overview_path = reverse(OVERVIEW.url_name, kwargs={"organisation": slug})

    candidates = [(OVERVIEW, overview_path)] + [pair for _s, items in visible for pair in items]
    best: tuple[tuple[int, int, int], MenuItem] | None = None
    for item, item_path in candidates:
        score = _score(
            item,
            path=path,
            item_path=item_path,
            root=overview_path,
            url_name=url_name,
            params=params,
        )
        if score is not None and (best is None or score > best[0]):
            best = (score, item)
    current = best[1] if best else None

    def shown(item: MenuItem, item_path: str) -> ShownItem:
        url = f"{item_path}?{item.query}" if item.query else item_path
        return ShownItem(label=item.label, url=url, current=item is current)

    sections = tuple(
        ShownSection(
            key=section.key,
            label=section.label,
            items=tuple(shown(item, item_path) for item, item_path in items),
            current=any(item is current for item, _p in items),
        )
        for section, items in visible
    )
    return Menu(overview=shown(OVERVIEW, overview_path), sections=sections)
