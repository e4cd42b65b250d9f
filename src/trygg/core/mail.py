"""E-mail from templates, in the platform's language, through Django's backend (console by default, SMTP by setting)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(
    subject_template: str, body_template: str, context: dict, to: list[str], attachments: tuple = ()
) -> None:
    """Render subject and body in bokmål (a recipient has no language choice of ours) and send.

    ``attachments`` are (filename, content, mimetype) triples.
    """
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    for attachment in attachments:
        message.attach(*attachment)
    message.send()
