from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    """A link in the main navigation, shown to users who hold ``perm`` (or to everyone when it is empty).

    Items that share a ``group`` fold into one disclosure in the menu when more than one of them is visible, so
    the menu of a user who sees everything still fits one row on a desktop.
    """

    label: Promise
    url_name: str
    perm: str = ""
    login_required: bool = False
    order: int = 50
    group: Promise | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def visible_to(self, user) -> bool:
        if self.login_required and not user.is_authenticated:
            return False
        return not self.perm or user.has_perm(self.perm)


def nav_items(app_configs) -> list[NavItem]:
    return sorted((item for config in app_configs for item in getattr(config, "nav_items", ())), key=lambda i: i.order)


def section_of(path: str, items) -> NavItem | None:
    """The menu item a path belongs to: the one with the longest address the path starts with."""
    return max((item for item in items if path.startswith(item.url)), key=lambda item: len(item.url), default=None)


@dataclass(frozen=True)
class HomeCard:
    """A card on the public home page: one part of Trygg that exists today, linking to it.

    Each app offers its cards through ``home_cards`` on its AppConfig, so the home page never advertises a part
    that is not installed.
    """

    title: Promise
    text: Promise
    url_name: str
    login_required: bool = False
    order: int = 50

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def home_cards(app_configs) -> list[HomeCard]:
    return sorted((card for config in app_configs for card in getattr(config, "home_cards", ())), key=lambda c: c.order)
