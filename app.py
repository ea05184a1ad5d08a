"""Casewise in the browser: `streamlit run app.py` from a checkout (or `casewise app` anywhere).

The app itself is the package's `casewise/ui/app/main.py`, so an installed Casewise runs the same code; this file
runs it afresh on every Streamlit rerun.
"""

import runpy

runpy.run_module("casewise.ui.app.main", run_name="__main__")
