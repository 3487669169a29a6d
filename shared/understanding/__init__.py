"""The phone line's language understanding (Alexa does its own): what a caller said -> intent, slots
and how sure; its word lists (`data/`); and the evaluation on labelled questions."""
