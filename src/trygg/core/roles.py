"""Predicates about who a user is, shared by every app's rules.py.

Every permission in Trygg is a django-rules rule built from these, so ``user.has_perm(perm, obj)`` is the one
question views, API endpoints, exports and commands ask.
"""

import rules

from .models import Role


@rules.predicate
def is_ks_admin(user) -> bool:
    return user.is_authenticated and user.role == Role.KS_ADMIN


@rules.predicate
def is_ks_adviser(user) -> bool:
    return user.is_authenticated and user.role == Role.KS_ADVISER


is_ks_staff = is_ks_admin | is_ks_adviser


@rules.predicate
def is_municipal_contact(user) -> bool:
    return user.is_authenticated and user.role == Role.MUNICIPAL_CONTACT


@rules.predicate
def is_partner(user) -> bool:
    return user.is_authenticated and user.role == Role.PARTNER


def partner_with_area(area: str):
    """Predicate: a partner who has been granted read access to ``area`` (an Area value)."""

    @rules.predicate(name=f"partner_with_area:{area}")
    def predicate(user) -> bool:
        return user.is_authenticated and user.role == Role.PARTNER and area in (user.partner_areas or [])

    return predicate


@rules.predicate
def acts_for_municipality(user, obj) -> bool:
    """True when the user is a contact for the municipality the object belongs to.

    ``obj`` is a Municipality or anything with a ``municipality`` attribute.
    """
    if not user.is_authenticated or obj is None:
        return False
    municipality_id = obj.pk if obj._meta.model_name == "municipality" else obj.municipality_id
    return user.municipalities.filter(pk=municipality_id).exists()
