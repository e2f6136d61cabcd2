from __future__ import annotations

from attune.llm.wizards import diff

PATCH = """\
diff --git a/src/app.py b/src/app.py
index 1111111..2222222 100644
--- a/src/app.py
+++ b/src/app.py
@@ -1,4 +1,5 @@
 import os
-import sys
+import subprocess
+import shlex

 def main():
@@ -10,2 +11,3 @@ def main():
     x = 1
+    subprocess.run(cmd, shell=True)
     return x
diff --git a/new file.txt b/new file.txt
new file mode 100644
--- /dev/null
+++ b/new file.txt
@@ -0,0 +1,2 @@
+--- not a header
++++ nor this
diff --git a/gone.py b/gone.py
deleted file mode 100644
--- a/gone.py
+++ /dev/null
@@ -1 +0,0 @@
-print("bye")
"""


def test_added_lines_carry_their_new_line_numbers():
    app, new, gone = diff.parse(PATCH)
    assert app.path == "src/app.py"
    assert app.added == ((2, "import subprocess"), (3, "import shlex"), (12, "    subprocess.run(cmd, shell=True)"))
    assert app.removed == 1 and not app.new_file
    assert new == diff.FileChange("new file.txt", ((1, "--- not a header"), (2, "+++ nor this")), 0, True, False)
    assert gone.path == "gone.py" and gone.deleted and gone.removed == 1 and gone.added == ()
    assert diff.added_text(app).splitlines()[2] == "    subprocess.run(cmd, shell=True)"


def test_empty_diff():
    assert diff.parse("") == []
