"""Test data of the portal, made through its services: news articles written by an editor of
a province (`services.article_save`: body sanitised, slug, search text, publication date) and
messages citizens send (`services.message_submit`)."""

from __future__ import annotations

import factory

from hoptac.accounts.tests.factories import root_admin
from hoptac.areas.models import AdminUnit
from hoptac.portal import services
from hoptac.portal.choices import ArticleStatus, MessageKind
from hoptac.portal.models import Article, Message


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article of Tỉnh Bắc Kạn's portal, written by the administrator unless `by`
    (an editor of `province`) is given."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Hợp tác xã chè Bắc Kạn vào mùa {n}")
    summary = "Các hợp tác xã chè mở rộng diện tích."
    body = "<p>Năm nay các <strong>hợp tác xã</strong> chè mở rộng diện tích.</p>"
    status = ArticleStatus.PUBLISHED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        by = kwargs.pop("by", None) or root_admin()
        province = kwargs.pop("province", None) or AdminUnit.objects.get(era="legacy", code="06")
        return services.article_save(by=by, province=province, **kwargs)


class MessageFactory(factory.django.DjangoModelFactory):
    """A citizen's feedback, not yet answered."""

    class Meta:
        model = Message

    kind = MessageKind.FEEDBACK
    name = factory.Sequence(lambda n: f"Người dân {n}")
    contact = "nguoidan@example.vn"
    subject = "Thủ tục thành lập hợp tác xã"
    content = "Xin hỏi hồ sơ thành lập hợp tác xã gồm những gì?"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.message_submit(**kwargs)
