"""`python manage.py support_catalogue`: refresh the State's support policies from
hoptac/support/data/policies.yaml (idempotent; local policies are left alone)."""

from django.core.management.base import BaseCommand

from hoptac.support import services


class Command(BaseCommand):
    help = "Create or refresh the catalogue of the State's support policies (safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        count = services.policy_catalogue_load()
        self.stdout.write(f"support catalogue: {count} policies")
