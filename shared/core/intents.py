"""Every intent name the product uses, and the groups of them: the one place they are spelled.

The names are plain strings, exactly as Alexa sends them and as the interaction models
(`interaction_models/*.json`) and the content files (`phrases.offers`, `phone.menu`...) write them,
so they compare equal to what comes in and serve as dict keys and JSON as they are.

Adding an intent: its name here (and in `CUSTOM_INTENTS`, or `TOPIC_INTENTS` for a content topic),
a handler in `shared/core/dialogue.py` `HANDLERS`, its samples in `interaction_models/en-US.json`;
see docs/architecture.md, "Where to change what".
"""
from __future__ import annotations

# Ours (custom intents in the interaction model).
WHAT_IS = "WhatIsIntent"
PAIN = "PainIntent"
DOWNTIME = "DowntimeIntent"
SESSION_COUNT = "SessionCountIntent"
SUITABILITY = "SuitabilityIntent"
BENEFITS = "BenefitsIntent"
PROCEDURE = "ProcedureIntent"
AFTERCARE = "AftercareIntent"
RISKS = "RisksIntent"
AFTERCARE_TIMING = "AftercareTimingIntent"
COMPLICATION = "ComplicationIntent"    # a problem report: the safety answer, then the front desk offered
FRONT_DESK = "FrontDeskIntent"         # wants a person (the phone transfers)
REMINDER = "ReminderIntent"            # each channel sets the reminder itself (skill/reminders.py, ivr/reminders.py)

# Alexa's built-ins that we handle.
HELP = "AMAZON.HelpIntent"
STOP = "AMAZON.StopIntent"
CANCEL = "AMAZON.CancelIntent"
FALLBACK = "AMAZON.FallbackIntent"
NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
NEXT = "AMAZON.NextIntent"
PREVIOUS = "AMAZON.PreviousIntent"
REPEAT = "AMAZON.RepeatIntent"
START_OVER = "AMAZON.StartOverIntent"
YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"

# The content topics (keys under `topics:` in shared/content/<locale>.yaml, and in the content schema)
# and the intents that answer them: the contract between data and code.
TOPIC_INTENTS: dict[str, str] = {
    "what_is": WHAT_IS,
    "pain": PAIN,
    "downtime": DOWNTIME,
    "sessions": SESSION_COUNT,
    "suitability": SUITABILITY,
    "benefits": BENEFITS,
    "procedure": PROCEDURE,
    "aftercare": AFTERCARE,
    "risks": RISKS,
}
CUSTOM_INTENTS: tuple[str, ...] = (*TOPIC_INTENTS.values(), AFTERCARE_TIMING, COMPLICATION, FRONT_DESK, REMINDER)
# Every model must have these (shared/models/checks.py) and the dialogue answers each.
BUILTIN_INTENTS: tuple[str, ...] = (HELP, STOP, CANCEL, FALLBACK, NAVIGATE_HOME, NEXT, PREVIOUS, REPEAT,
                                    START_OVER, YES, NO)
