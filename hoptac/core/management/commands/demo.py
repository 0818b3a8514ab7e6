"""`python manage.py demo`: build the illustrative demo data (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from hoptac.core.demo import demo_loaders


class Command(BaseCommand):
    help = "Create or refresh the illustrative demo data of every app (safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        for label, load in demo_loaders():
            with transaction.atomic():
                load(self.stdout)
            self.stdout.write(f"demo: {label} ok")
