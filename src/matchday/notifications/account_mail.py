"""django-allauth's account emails go through the notifications send path.

``settings.ACCOUNT_ADAPTER`` points here: the accounts adapter (client address, MFA rules)
plus :meth:`AccountAdapter.send_mail`, which stores each account email (confirmation,
password reset, security notices) as a ``Message`` and sends it in the background like every
other email, so a slow or absent mail server never holds up sign-up or log-in and nothing
is lost. (Here rather than in ``accounts``: notifications sits above accounts.)
"""

from __future__ import annotations

from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from matchday.accounts.adapter import AccountAdapter as BaseAccountAdapter
from matchday.accounts.models import User
from matchday.notifications.models import Message
from matchday.notifications.services import message_queue_email


class AccountAdapter(BaseAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        msg = self.render_mail(template_prefix, email, ctx)
        html = next(
            (c for c, mimetype in getattr(msg, "alternatives", []) if mimetype == "text/html"), ""
        )
        message_queue_email(
            to_email=email,
            subject=msg.subject,
            body=msg.body,
            html_body=html,
            kind=Message.Kind.ACCOUNT,
            recipient=User.objects.filter(email__iexact=email).first(),
        )
