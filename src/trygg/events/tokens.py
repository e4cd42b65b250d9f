import secrets


def new_token() -> str:
    """An unguessable token for personal links that work without an account (e.g. the date poll)."""
    return secrets.token_urlsafe(32)
