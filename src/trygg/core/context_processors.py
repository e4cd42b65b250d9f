from django.apps import apps


def navigation(request):
    """The main navigation: each app's ``nav_items`` the current user may see, the current one marked.

    The current one is the longest address the path starts with, so /tiltak/veileder/ marks "Guide", not also
    "Measures" at /tiltak/.
    """
    items = sorted(
        (item for config in apps.get_app_configs() for item in getattr(config, "nav_items", ())),
        key=lambda item: item.order,
    )
    visible = [item for item in items if item.visible_to(request.user)]
    current = max((item.url for item in visible if request.path.startswith(item.url)), key=len, default=None)
    links = [{"label": item.label, "url": item.url, "current": item.url == current} for item in visible]
    return {"nav_links": links}
