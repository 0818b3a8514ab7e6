"""`manage.py api_token create --user NAME --scope read|read-write [--days N] [--name TEXT]`
prints a new token once; `manage.py api_token revoke ID` revokes one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoptac.accounts import access
from hoptac.api import services
from hoptac.api.choices import Scope
from hoptac.api.models import ApiToken


class Command(BaseCommand):
    help = "Personal API tokens: create one (printed once) or revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a token and print it (once).")
        create.add_argument("--user", required=True, help="The account's user name.")
        create.add_argument("--scope", required=True, choices=Scope.values)
        create.add_argument("--days", type=int, default=services.DEFAULT_DAYS)
        create.add_argument("--name", default="manage.py api_token")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        from hoptac.accounts.models import User

        if options["action"] == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No account named {options['user']!r}.")
            try:
                issued = services.token_create(
                    by=access.SYSTEM,
                    user=user,
                    name=options["name"],
                    scope=options["scope"],
                    days=options["days"],
                )
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            self.stderr.write(
                f"token {issued.token.pk} for {user.username}, {issued.token.scope}, "
                f"expires {issued.token.expires_at:%Y-%m-%d}: shown once"
            )
            self.stdout.write(issued.text)
        else:
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"No token {options['id']}.")
            services.token_revoke(by=access.SYSTEM, token=token)
            self.stdout.write(f"token {token.pk} ({token.name}) of {token.user.username} revoked")
