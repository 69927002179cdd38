import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from matchday.accounts.services import partner_create


class Command(BaseCommand):
    help = "Create a talent partner account (they can also use the Django admin)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--password", help="Read from the prompt (or MATCHDAY_PARTNER_PASSWORD) if omitted."
        )

    def handle(self, *args, email, name, password=None, **options):
        import os

        password = password or os.environ.get("MATCHDAY_PARTNER_PASSWORD") or getpass.getpass()
        try:
            user = partner_create(email=email, password=password, full_name=name)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Talent partner {user.email} created."))
