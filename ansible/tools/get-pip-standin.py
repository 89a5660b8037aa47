"""Stand-in for ansible-test's pip bootstrap script, whose download host
(ci-files.testing.ansible.com) is not reachable from our CI: installs the pip that Python's
ensurepip ships into the new virtual environment, then the pip version ansible-test asked for
from PyPI. scripts/test-ansible.sh puts it in ansible-test's cache under the expected name."""
import ensurepip
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
arguments = [argument for argument in sys.argv[1:] if argument not in ("--no-setuptools", "--no-wheel")]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + arguments))
