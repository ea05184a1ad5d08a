"""The app's entry script, alone in its folder: Streamlit puts the script's folder first on sys.path, so no
module beside it may share a name with one of the standard library's (casewise/ui/html.py would hide `html`)."""
