"""Read another equisante instance's API (pure Python: the standard library only, no Django).

>>> from equisante.api.client import RemoteApi
>>> remote = RemoteApi("https://autre-instance.example")           # doctest: +SKIP
>>> catalogue = remote.table("/api/indicateurs")                     # doctest: +SKIP
>>> values = remote.table("/api/indicateurs/mortalite/valeurs", level="commune")   # doctest: +SKIP

``table`` follows the pages (``Link: <…>; rel="next"``) of a CSV representation and returns the
whole table as CSV bytes (one header). Errors are :class:`equisante.errors.EquisanteError`
``api_remote_unreachable`` with the French reason (or the remote's own French error body).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import equisante.api.problems  # noqa: F401  (declares api_remote_unreachable)
from equisante.errors import EquisanteError

NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class RemoteApi:
    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 120.0, page_size: int = 50000):
        base = base_url.strip().rstrip("/")
        if base.endswith("/api"):
            base = base[: -len("/api")]
        if not base.startswith(("http://", "https://")):
            raise EquisanteError("api_remote_unreachable", url=base_url, reason="adresse http:// ou https:// attendue")
        self.base = base
        self.token = token
        self.timeout = timeout
        self.page_size = page_size

    def _get(self, url: str) -> tuple[bytes, dict]:
        request = urllib.request.Request(url, headers={"Accept": "text/csv, application/json",
                                                       "User-Agent": "equisante-import"})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only)
                return response.read(), dict(response.headers.items())
        except urllib.error.HTTPError as exc:
            detail = exc.reason
            try:
                detail = json.loads(exc.read().decode("utf-8")).get("detail", detail)
            except (ValueError, AttributeError):
                pass
            raise EquisanteError("api_remote_unreachable", url=url, reason=f"HTTP {exc.code} : {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise EquisanteError("api_remote_unreachable", url=url, reason=str(getattr(exc, "reason", exc))) from exc

    def url(self, path: str, **params) -> str:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return f"{self.base}{path}" + (f"?{query}" if query else "")

    def json(self, path: str, **params) -> dict:
        body, _headers = self._get(self.url(path, **params))
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError as exc:
            raise EquisanteError("api_remote_unreachable", url=self.url(path, **params),
                                 reason="la réponse n'est pas du JSON") from exc

    def table(self, path: str, **params) -> bytes:
        """Every page of the CSV representation of ``path``, as one CSV (UTF-8 with BOM, one header)."""
        url = self.url(path, format="csv", limit=self.page_size, **params)
        chunks: list[bytes] = []
        while url:
            body, headers = self._get(url)
            text = body.decode("utf-8-sig")
            if chunks:
                text = text.split("\n", 1)[1] if "\n" in text else ""
            chunks.append(text.encode("utf-8"))
            link = {k.lower(): v for k, v in headers.items()}.get("link", "")
            found = NEXT.search(link)
            url = found.group(1) if found else None
        return b"\xef\xbb\xbf" + b"".join(chunks)
