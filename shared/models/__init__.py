"""The Alexa interaction models: reading them, checking them against Alexa's rules, the code and the
content, and building what is derived from them (other English locales, slot values, an ASK project)."""
