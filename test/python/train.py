"""Runs an exported train.py in its folder as one process (`python train.py`), forwarding its output.

    python train.py DIR [train.py args…]
"""
import subprocess
import sys

result = subprocess.run([sys.executable, "train.py", *sys.argv[2:]], cwd=sys.argv[1], text=True,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
(sys.stdout if result.returncode == 0 else sys.stderr).write(result.stdout)
sys.exit(result.returncode)
