"""What the line must remember after a call: callback requests, questions it could not answer, and
Alexa fallbacks per day, in a SQL database (SQLAlchemy 2 and Alembic; see `db.py`)."""
