"""Who may open which document — the one door every listing, search, similar list, API answer and download uses.

Public documents are for everyone; "all municipalities" for municipal contacts, for partners granted the library
area and for KS; "KS only" for KS staff. A document whose text is still being read (or could not be read) is
KS staff's alone. Whoever may not open a document may not learn that it exists: lists filter by ``levels``, and a
document's own pages answer 404 to them (``views.get_document``).
"""

import rules

from trygg.core.models import Area
from trygg.core.roles import is_ks_staff, is_municipal_contact, partner_with_area

from .models import Access, Document

library_partner = partner_with_area(Area.LIBRARY)


def levels(user) -> list[str]:
    """The access levels ``user`` may open."""
    if is_ks_staff(user):
        return [Access.PUBLIC, Access.MUNICIPALITIES, Access.KS]
    if is_municipal_contact(user) or library_partner(user):
        return [Access.PUBLIC, Access.MUNICIPALITIES]
    return [Access.PUBLIC]


@rules.predicate
def may_open(user, document) -> bool:
    if document is None:
        return False
    return document.access in levels(user) and (document.state == Document.State.READY or is_ks_staff(user))


rules.add_perm("library.view_document", may_open)
rules.add_perm("library.add_document", is_ks_staff)
rules.add_perm("library.change_document", is_ks_staff)
rules.add_perm("library.rebuild_index", is_ks_staff)
