"""Roles a person can hold in a community enterprise, and what each role may do.

A person may hold several roles in one organisation (a treasurer is usually also a
board member); permissions are the union of the roles held. The sets below are the
only place where "who may do what" is decided, so views and services name a
permission set rather than a list of roles.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BOARD = "board", _("Board member")
    TREASURER = "treasurer", _("Treasurer")
    COORDINATOR = "coordinator", _("Coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    MEMBER = "member", _("Member")
    AUDIT_COMMITTEE = "audit_committee", _("Audit committee member")


ROLE_HELP: dict[str, Promise] = {
    Role.BOARD: _("Everything in the organisation, including approvals and inviting people."),
    Role.TREASURER: _("The books, bank import, budgets, reports and year-end."),
    Role.COORDINATOR: _("Bookings, activities, volunteers, partners and contracts."),
    Role.VOLUNTEER: _("Logs hours and sees own shifts."),
    Role.MEMBER: _("Votes on neighbourhood fund proposals and sees member pages."),
    Role.AUDIT_COMMITTEE: _("Reads the books and audit trail, and signs off the year."),
}

ALL_ROLES: frozenset[str] = frozenset(Role.values)
# Roles that must protect their login with a second factor (an authenticator app).
TWO_FACTOR_ROLES: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER})

# Permission sets.
MANAGE_ORGANISATION: frozenset[str] = frozenset({Role.BOARD})
MANAGE_PEOPLE: frozenset[str] = frozenset({Role.BOARD})
VIEW_PEOPLE: frozenset[str] = frozenset(
    {Role.BOARD, Role.TREASURER, Role.COORDINATOR, Role.AUDIT_COMMITTEE}
)
VIEW_BOOKS: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE})
MANAGE_BOOKS: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER})
MANAGE_PREMISES: frozenset[str] = frozenset({Role.BOARD, Role.COORDINATOR})
MANAGE_ACTIVITIES: frozenset[str] = frozenset({Role.BOARD, Role.COORDINATOR})
VIEW_AUDIT_LOG: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE})
# Expense claims (declaraties): every member may submit one; the treasurer approves,
# and above the organisation's threshold a second board member too (see expenses).
SUBMIT_EXPENSE_CLAIMS: frozenset[str] = ALL_ROLES
APPROVE_EXPENSE_CLAIMS: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER})
VIEW_EXPENSE_CLAIMS: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE})
PAY_EXPENSE_CLAIMS: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER})
MANAGE_EXPENSE_POLICY: frozenset[str] = frozenset({Role.BOARD})
# Sales invoices and customers.
MANAGE_SALES: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER})
VIEW_SALES: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE})
# The registry of persons (community app). The audit committee reads but cannot change.
VIEW_PERSONS: frozenset[str] = frozenset(
    {Role.BOARD, Role.TREASURER, Role.COORDINATOR, Role.AUDIT_COMMITTEE}
)
MANAGE_PERSONS: frozenset[str] = frozenset({Role.BOARD, Role.COORDINATOR})
# Export and anonymise a person's data (their rights under the GDPR).
PERSONAL_DATA_RIGHTS: frozenset[str] = frozenset({Role.BOARD})
# Volunteer allowances paid (the register that warns before the legal maximum).
MANAGE_ALLOWANCES: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER})
# The decision register: everyone in the organisation reads it, the board keeps it.
VIEW_DECISIONS: frozenset[str] = ALL_ROLES
MANAGE_DECISIONS: frozenset[str] = frozenset({Role.BOARD})
# Jobs, partners and contracts.
# The register of member shares: money in the books, so kept by board and treasurer.
VIEW_SHARES: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE})
MANAGE_SHARES: frozenset[str] = frozenset({Role.BOARD, Role.TREASURER})
# Volunteer shifts: the coordinator plans them; volunteers sign up on their own page.
MANAGE_SHIFTS: frozenset[str] = frozenset({Role.BOARD, Role.COORDINATOR})

VIEW_PARTNERS: frozenset[str] = frozenset(
    {Role.BOARD, Role.TREASURER, Role.COORDINATOR, Role.AUDIT_COMMITTEE}
)
MANAGE_PARTNERS: frozenset[str] = frozenset({Role.BOARD, Role.COORDINATOR})
