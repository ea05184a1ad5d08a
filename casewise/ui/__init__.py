"""Rendering helpers and pages of the Streamlit app (app.py); no retrieval or parsing logic lives here."""
