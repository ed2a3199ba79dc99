"""The resident's pages, one module per concept.

- ``signups``: the e-loket, its confirmation and withdrawal links;
- ``house_rules``: the house rules and accepting new ones;
- ``privacy``: the privacy notice;
- ``waiting_list``: "tell me when my street gets a group";
- ``own_page``: a resident's own page (status, new mobile or e-mail, withdraw);
- ``reconfirmation``: the yearly question "do you still live here?";
- ``common``: which zone applies, and the page of a link that opens nothing.
"""

from .house_rules import (
    HouseRulesAcceptView,
    HouseRulesView,
)
from .own_page import (
    EmailChangeConfirmView,
    MySignupChangeView,
    MySignupEmailView,
    MySignupPhoneView,
    MySignupView,
    MySignupWithdrawView,
)
from .privacy import (
    PrivacyView,
)
from .reconfirmation import ReconfirmView
from .signups import (
    SignupConfirmView,
    SignupFromFinderView,
    SignupSentView,
    SignupView,
    SignupWithdrawnView,
    SignupWithdrawView,
)
from .waiting_list import (
    WaitingListConfirmView,
    WaitingListFromFinderView,
    WaitingListLeaveView,
    WaitingListLeftView,
    WaitingListSentView,
    WaitingListView,
)

__all__ = [
    "EmailChangeConfirmView",
    "HouseRulesAcceptView",
    "HouseRulesView",
    "MySignupChangeView",
    "MySignupEmailView",
    "MySignupPhoneView",
    "MySignupView",
    "MySignupWithdrawView",
    "PrivacyView",
    "ReconfirmView",
    "SignupConfirmView",
    "SignupFromFinderView",
    "SignupSentView",
    "SignupView",
    "SignupWithdrawView",
    "SignupWithdrawnView",
    "WaitingListConfirmView",
    "WaitingListFromFinderView",
    "WaitingListLeaveView",
    "WaitingListLeftView",
    "WaitingListSentView",
    "WaitingListView",
]
