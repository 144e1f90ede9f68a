"""SCIM filters (RFC 7644 §3.4.2.2) as SQL over ScimIdentity, or refused with ``invalidFilter``.

Only the attributes the portal keeps in columns can be filtered, with the string operators and ``and``/``or``/``not``.
Anything else is refused rather than evaluated in Python over every person: that took seconds over a few hundred
people and timed out over 200,000.
"""

import uuid
from typing import NoReturn

from django.db.models import Q
from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path import CompareOperator, Comparison, LogicalExpr, LogicalOperator, Not, Present, ValuePath

from .provider import ENTERPRISE_USER

# SCIM attribute (lower case, schema URN allowed) -> the column it lives in.
COLUMNS = {
    "username": "user__username",
    "externalid": "external_id",
    "name.givenname": "user__first_name",
    "name.familyname": "user__last_name",
    "emails": "user__email",
    "emails.value": "user__email",
    "employeenumber": "user__staff_number",
    "department": "user__department__name_en",
}
CASE_EXACT = {"external_id"}
LOOKUPS = {
    CompareOperator.eq: "iexact",
    CompareOperator.co: "icontains",
    CompareOperator.sw: "istartswith",
    CompareOperator.ew: "iendswith",
}
NOTHING = Q(pk__in=[])
WORK_EMAIL_TYPES = {"work"}  # the one address the portal keeps is the work address


def _refuse(detail: str) -> NoReturn:
    raise InvalidFilterException(
        detail=f"{detail}. Filters may use userName, externalId, id, name.givenName, "
        "name.familyName, emails.value, employeeNumber, department and active."
    )


def _name(attr_path) -> str:
    name = str(attr_path).lower()
    for urn in (ENTERPRISE_USER.lower() + ":", "urn:ietf:params:scim:schemas:core:2.0:user:"):
        name = name.removeprefix(urn)
    return name


def sql_filter(scim_filter: ScimFilter) -> Q:
    return _node(scim_filter.ast)


def _node(node) -> Q:
    if isinstance(node, LogicalExpr):
        first, *rest = [_node(term) for term in node.terms]
        for q in rest:
            first = first & q if node.op == LogicalOperator.and_ else first | q
        return first
    if isinstance(node, Not):
        return ~_node(node.expr)
    if isinstance(node, Present):
        return _present(_name(node.attr_path))
    if isinstance(node, ValuePath):
        return _emails(node)
    if isinstance(node, Comparison):
        return _comparison(_name(node.attr_path), node.op, node.value)
    _refuse("This filter cannot be answered")


def _present(name: str) -> Q:
    if name == "active" or name == "id":
        return ~NOTHING
    column = COLUMNS.get(name) or _refuse(f"{name} cannot be filtered")
    return Q(**{f"{column}__isnull": False}) & ~Q(**{column: ""})


def _comparison(name: str, op: CompareOperator, value) -> Q:
    if name == "id":
        if op != CompareOperator.eq:
            _refuse("id can only be compared with eq")
        try:
            return Q(resource_id=uuid.UUID(str(value)))
        except ValueError:
            return NOTHING
    if name == "active":
        if op not in (CompareOperator.eq, CompareOperator.ne) or not isinstance(value, bool):
            _refuse("active can only be compared with eq or ne and true or false")
        q = Q(user__is_active=value)
        return q if op == CompareOperator.eq else ~q
    column = COLUMNS.get(name) or _refuse(f"{name} cannot be filtered")
    if not isinstance(value, str):
        _refuse(f"{name} is compared with text")
    if op == CompareOperator.ne:
        return ~_comparison(name, CompareOperator.eq, value)
    lookup = LOOKUPS.get(op) or _refuse(f"The operator {op.value} is not supported")
    if column in CASE_EXACT:
        lookup = lookup.removeprefix("i") if lookup != "iexact" else "exact"
    q = Q(**{f"{column}__{lookup}": value})
    if name == "username" and op == CompareOperator.eq:
        q |= Q(user__email__iexact=value)  # a person imported from a file is found by their address
    return q


def _emails(node: ValuePath) -> Q:
    """emails[type eq "work" and value eq "…"]: the portal keeps one address, of type work."""
    if _name(node.attr_path) != "emails" or node.sub_attr not in (None, "value"):
        _refuse("Only emails[...] can be filtered inside brackets")

    def inner(term) -> Q:
        if isinstance(term, LogicalExpr):
            parts = [inner(t) for t in term.terms]
            combined = parts[0]
            for part in parts[1:]:
                combined = combined & part if term.op == LogicalOperator.and_ else combined | part
            return combined
        if isinstance(term, Not):
            return ~inner(term.expr)
        if isinstance(term, Comparison) and str(term.attr_path).lower() == "type" and term.op == CompareOperator.eq:
            return ~NOTHING if str(term.value).lower() in WORK_EMAIL_TYPES else NOTHING
        if isinstance(term, (Comparison, Present)) and str(term.attr_path).lower() == "value":
            if isinstance(term, Present):
                return _present("emails")
            return _comparison("emails", term.op, term.value)
        _refuse("Inside emails[...] only type and value can be filtered")

    return inner(node.val_filter) & _present("emails")
