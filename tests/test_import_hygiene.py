"""The domain never imports the UI: a headless run loads no Textual module."""

import subprocess
import sys


def test_model_storage_and_analysis_load_no_textual():
    code = (
        "import sys, planner.model, planner.storage, planner.analysis, planner.render.text, planner.cli\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'planner.ui')))\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
