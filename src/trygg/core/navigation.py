from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    """A link in the main navigation, shown to users who hold ``perm`` (or to everyone when it is empty)."""

    label: Promise
    url_name: str
    perm: str = ""
    login_required: bool = False
    order: int = 50

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def visible_to(self, user) -> bool:
        if self.login_required and not user.is_authenticated:
            return False
        return not self.perm or user.has_perm(self.perm)
