from django.views.generic import TemplateView


class SignupConfirmView(TemplateView):
    template_name = "registrations/signup_confirmed.html"


class SignupWithdrawView(TemplateView):
    template_name = "registrations/signup_withdrawn.html"
