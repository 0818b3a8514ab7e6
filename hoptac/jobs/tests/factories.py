"""Test data of the jobs app: a job started through `services.job_start` (its kind checked,
the language recorded, queued when the transaction commits), of the tests' own kind
`test.write_rows` (hoptac/jobs/tests/kinds.py) unless told."""

from __future__ import annotations

import factory

from hoptac.accounts import access
from hoptac.jobs import services
from hoptac.jobs.models import Job
from hoptac.jobs.tests import kinds  # noqa: F401  (registers the kind test.write_rows)


class JobFactory(factory.django.DjangoModelFactory):
    """A queued job writing three rows, started by `by` (default: the system, so no owner)."""

    class Meta:
        model = Job

    kind = "test.write_rows"
    title = factory.Sequence(lambda n: f"Ghi dòng thử {n}")
    params = factory.LazyFunction(lambda: {"n": 3})

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.job_start(by=kwargs.pop("by", access.SYSTEM), **kwargs)
