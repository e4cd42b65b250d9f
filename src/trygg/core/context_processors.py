from django.apps import apps


def navigation(request):
    """The main navigation: each app's ``nav_items`` the current user may see, the current one marked."""
    items = sorted(
        (item for config in apps.get_app_configs() for item in getattr(config, "nav_items", ())),
        key=lambda item: item.order,
    )
    links = [
        {"label": item.label, "url": item.url, "current": request.path.startswith(item.url)}
        for item in items
        if item.visible_to(request.user)
    ]
    return {"nav_links": links}
