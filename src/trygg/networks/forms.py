from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.models import Municipality, Organisation, Person
from trygg.core.widgets import SearchableSelect

from .models import ContactRole, Member, Network


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].validators.append(screening.validator())


class MemberForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all(), required=False, widget=SearchableSelect
    )
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.all(), required=False, widget=SearchableSelect
    )


class ContactForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.all(), widget=SearchableSelect)
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = network.members.select_related("municipality", "organisation")


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("subject", "body"):
            self.fields[name].validators.append(screening.validator())
