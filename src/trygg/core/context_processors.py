from django.apps import apps

from .navigation import nav_items, section_of


def account_confirmed(user) -> bool:
    """A logged-in user past every step of the login: KS staff only once they have typed their one-time code."""
    # django-otp's middleware gives the user is_verified; a request that never passed it is not confirmed.
    verified = getattr(user, "is_verified", None)
    return user.is_authenticated and (not user.is_ks_staff or bool(verified and verified()))


def navigation(request):
    """The main navigation: each app's ``nav_items`` the current user may see, the current one marked.

    The current one is the longest address the path starts with, so /tiltak/veileder/ marks "Guide", not also
    "Measures" at /tiltak/. Items of one group become one entry with ``children`` where more than one is visible.
    Until KS staff have confirmed their one-time code, the header shows neither menu nor name.
    """
    user = request.user
    confirmed = account_confirmed(user)
    if user.is_authenticated and not confirmed:
        return {"nav_links": [], "account_confirmed": False}
    visible = [item for item in nav_items(apps.get_app_configs()) if item.visible_to(user)]
    section = section_of(request.path, visible)
    current = section.url if section else None
    group_sizes = {}
    for item in visible:
        group_sizes[item.group] = group_sizes.get(item.group, 0) + 1
    links, groups = [], {}
    for item in visible:
        link = {"label": item.label, "url": item.url, "current": item.url == current}
        if item.group is None or group_sizes[item.group] == 1:
            links.append(link)
        elif item.group in groups:
            groups[item.group]["children"].append(link)
            groups[item.group]["current"] |= link["current"]
        else:
            groups[item.group] = {"label": item.group, "children": [link], "current": link["current"]}
            links.append(groups[item.group])
    return {"nav_links": links, "account_confirmed": confirmed}
