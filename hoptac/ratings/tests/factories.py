"""Test data of the ratings app, made through its services: a rating is the engine's proposal
for an HTX and a year (`services.rating_start`), computed from the registry and the HTX's
approved report, as when an officer or the HTX's manager starts it."""

from __future__ import annotations

import factory

from hoptac.accounts import access
from hoptac.ratings import services
from hoptac.ratings.models import Rating
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.reports.tests.factories import approved_report


class RatingFactory(factory.django.DjangoModelFactory):
    """The 2019 rating proposed for an HTX of Xã Lương Bằng (Chợ Đồn) by the system; the HTX
    gets an approved report of the year first unless `with_report=False`."""

    class Meta:
        model = Rating

    cooperative = factory.SubFactory(CooperativeFactory)
    year = 2019

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        by = kwargs.pop("by", access.SYSTEM)
        if kwargs.pop("with_report", True):
            approved_report(kwargs["cooperative"], kwargs["year"])
        return services.rating_start(by=by, **kwargs)
