from django import forms
from django.utils.translation import gettext_lazy as _

from unlockdesk.helpcenter.models import Category
from unlockdesk.helpcenter.services import MAX_COMMENT


class FeedbackForm(forms.Form):
    helpful = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    comment = forms.CharField(
        label=_("Anything we should improve? (optional)"), required=False, max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}))


class ArticleEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 22, "class": "mono"}))
    note = forms.CharField(max_length=200, required=False)


class NewArticleForm(ArticleEditForm):
    slug = forms.SlugField(max_length=100)
    category = forms.ModelChoiceField(queryset=Category.objects.all())
    language = forms.ChoiceField(choices=[("zh-hans", "简体中文"), ("en", "English")])
