"""Forms of the public portal: filters, citizens' messages (with a honeypot and attachment
limits), the article editor and the publication settings. Messages for bad input are in
Vietnamese (through the catalogue) and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hoptac.areas.models import AdminUnit
from hoptac.market.choices import Category as ProductCategory
from hoptac.market.choices import CertificationKind
from hoptac.portal import rules
from hoptac.portal.choices import ArticleStatus, FieldGroup, MessageStatus
from hoptac.portal.models import Article, Category
from hoptac.registry.choices import Sector

MAX_CONTENT = 5000


class StyledForm(forms.Form):
    """Bootstrap's classes on every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


def style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()


class DirectoryFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)

    def __init__(self, *args: Any, areas: list[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["area"].choices = everything + [(unit.pk, unit.name) for unit in areas]
        self.fields["sector"].choices = everything + list(Sector.choices)
        self.fields["product"].choices = everything + list(ProductCategory.choices)


class ProductFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    certification = forms.ChoiceField(label=_("Certification"), required=False)
    stars = forms.TypedChoiceField(
        label=_("OCOP stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any")),
            (3, _("3 stars or more")),
            (4, _("4 stars or more")),
            (5, _("5 stars")),
        ],
    )
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, areas: list[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["area"].choices = everything + [(unit.pk, unit.name) for unit in areas]
        self.fields["category"].choices = everything + list(ProductCategory.choices)
        self.fields["certification"].choices = everything + list(CertificationKind.choices)


class MapFilterForm(DirectoryFilterForm):
    """The map filters by sector and product (and area)."""


class MessageForm(StyledForm):
    """What a citizen sends. `website` is a honeypot: hidden from people (CSS and
    aria-hidden), filled in by bots; a message with it is dropped."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    contact = forms.CharField(
        label=_("Email or phone"),
        max_length=200,
        help_text=_("So that we can answer you; it is never published."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    content = forms.CharField(
        label=_("Content"), max_length=MAX_CONTENT, widget=forms.Textarea(attrs={"rows": 6})
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class FeedbackForm(MessageForm):
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX, XLSX or ODT, at most %(mb)s MB."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attachment"]
        field.help_text = str(field.help_text) % {"mb": _max_mb()}
        extensions = ",".join(f".{ext}" for ext in rules.ATTACHMENT_MAGIC)
        field.widget.attrs["accept"] = extensions

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        head = upload.read(16)
        upload.seek(0)
        problem = rules.attachment_problem(
            upload.name or "", upload.size or 0, head, max_bytes=_max_mb() * 1024 * 1024
        )
        if problem is None:
            return upload
        messages = {
            "type": _("Attachment: this kind of file is not accepted."),
            "size": _("Attachment: the file is larger than %(mb)s MB.") % {"mb": _max_mb()},
            "empty": _("Attachment: the file is empty."),
            "content": _("Attachment: the file's content does not match its name."),
        }
        raise forms.ValidationError(messages[problem.code], code=problem.code)


def _max_mb() -> int:
    return int(getattr(settings, "HOPTAC_FEEDBACK_MAX_MB", 5))


class AnswerForm(StyledForm):
    answer = forms.CharField(
        label=_("Answer"), max_length=MAX_CONTENT, widget=forms.Textarea(attrs={"rows": 6})
    )
    publish = forms.BooleanField(
        label=_("Publish the question with this answer on the Feedback page"), required=False
    )


class StatusForm(StyledForm):
    status = forms.ChoiceField(
        choices=[
            (MessageStatus.REJECTED, MessageStatus.REJECTED.label),
            (MessageStatus.ANSWERED, _("Withdraw from the public page")),
            (MessageStatus.NEW, _("Reopen")),
        ]
    )


class ArticleForm(forms.ModelForm):
    """The article editor: a plain textarea of HTML, sanitised on save (nh3) — paragraphs,
    headings, lists, links, images and tables are kept, anything else is removed."""

    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "summary",
            "body",
            "image",
            "image_alt",
            "author_name",
            "source",
            "categories",
            "status",
            "published_at",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}),
            "categories": forms.CheckboxSelectMultiple,
            "published_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {
            "body": _(
                "HTML: <p>, <h2>–<h4>, <strong>, <em>, lists, links, images and tables are "
                "kept; scripts, styles and anything else are removed when saved."
            ),
            "published_at": _("Empty: the moment it is published."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.order_by("name")
        self.fields["published_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        self.fields["status"].choices = ArticleStatus.choices
        style(self)
        if self.instance.pk:
            self.initial["tags_text"] = ", ".join(t.name for t in self.instance.tags.all())


class PublicationForm(StyledForm):
    """Which field groups of HTX profiles the province publishes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group in FieldGroup:
            self.fields[group.value] = forms.BooleanField(label=group.label, required=False)
        style(self)
