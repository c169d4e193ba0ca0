"""Access chokepoint for questionnaires.

Shared defaults (no partnership) can be read by anyone whose current role may view
questionnaires, and copied into their partnership by someone who may manage them; they
are never changed in place (`questionnaires.change` is refused on them). A partnership's
own questionnaires follow its memberships. One permission policy per model
(``questionnaires``, ``versions``; see ``howgood.partnerships.policies``).
"""

from __future__ import annotations

from howgood.partnerships.policies import ModelPolicy
from howgood.questionnaires.models import Questionnaire, QuestionnaireVersion

SHARED_REFUSED = "Shared questionnaires cannot be changed. Make a copy for your partnership."

questionnaires = ModelPolicy(
    Questionnaire,
    related=("partnership",),
    shared=True,
    shared_refuses={"questionnaires.change"},
    shared_refused=SHARED_REFUSED,
)
versions = ModelPolicy(
    QuestionnaireVersion,
    partnership="questionnaire__partnership",
    related=("questionnaire__partnership",),
    shared=True,
    shared_refuses={"questionnaires.change"},
    shared_refused=SHARED_REFUSED,
)
