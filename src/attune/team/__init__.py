"""Team scale: live state shared by parallel sessions and teammates, on files or on Redis (issue 14).

`attune.team.store` is the interface, `files` and `redis` its two backends, `settings` the
`team:` section of the config, `open_store` picks the backend. `leases`, `signals` and `live`
(the session index) are built on it; working memory uses it too.
"""

from __future__ import annotations
