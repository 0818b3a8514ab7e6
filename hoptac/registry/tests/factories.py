"""Test data for the registry, made through the services (so placement, search text and the
first status are as in real use)."""

from datetime import date

import factory

from hoptac.areas.models import AdminUnit
from hoptac.registry import services
from hoptac.registry.choices import Kind, Sector, SubSector
from hoptac.registry.models import Cooperative


def legacy_unit(code: str) -> AdminUnit:
    return AdminUnit.objects.get(era="legacy", code=code)


class CooperativeFactory(factory.django.DjangoModelFactory):
    """An operating agricultural HTX in Xã Lương Bằng (Chợ Đồn, Bắc Kạn) unless told."""

    class Meta:
        model = Cooperative

    kind = Kind.COOPERATIVE
    name = factory.Sequence(lambda n: f"HTX Thử nghiệm {n}")
    tax_code = factory.Sequence(lambda n: f"47{n:08d}")
    sector = Sector.AGRICULTURAL
    sub_sector = SubSector.CROPS
    founded_on = date(2015, 3, 1)
    commune_legacy = factory.LazyFunction(lambda: legacy_unit("02062"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.cooperative_create(by=kwargs.pop("by", None), **kwargs)
